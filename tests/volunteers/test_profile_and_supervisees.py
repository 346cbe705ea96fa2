"""Issue 22, smaller things seen: the volunteer profile lists her current
families and shows availability as a week grid; a PSO's "Your supervisees"
does not list herself; a supervision action's owner is a current person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from operations.core.models import Membership
from tests.factories import MatchFactory, ReferralFactory
from tests.volunteers.conftest import TODAY
from tests.volunteers.helpers import make_profile
from volunteers import fitness, services
from volunteers.matching.models import MatchStatus
from volunteers.models import SupervisionAction, SupervisionSession

pytestmark = pytest.mark.django_db


def test_the_week_grid_has_a_row_a_day_and_ticks_the_cells_given() -> None:
    grid = fitness.availability_grid(["mon_am", "sat_eve", "not_a_cell"])
    assert [day for day, _ in grid] == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert grid[0][1] == [("Morning", True), ("Afternoon", False), ("Evening", False)]
    assert grid[5][1] == [("Morning", False), ("Afternoon", False), ("Evening", True)]
    assert sum(free for _, parts in grid for _, free in parts) == 2


def test_the_profile_shows_availability_as_a_grid_with_headers_not_codes(coordinator_client, organisation) -> None:
    profile = make_profile(organisation=organisation, today=TODAY, availability=["sat_am", "wed_eve"])
    page = coordinator_client.get(reverse("volunteers:detail", args=[profile.pk])).content.decode()
    assert '<th scope="col">Morning</th>' in page
    assert '<th scope="row" class="text-start fw-normal">Saturday</th>' in page
    assert page.count('<span class="visually-hidden">Available</span>') == 2
    assert "sat_am" not in page
    assert "wed_eve" not in page


def _match(profile, *, preferred_name: str, status: str = MatchStatus.ACTIVE):
    referral = ReferralFactory(organisation=profile.organisation, parent__preferred_name=preferred_name)
    return MatchFactory(referral=referral, volunteer=profile, status=status)


def test_staff_see_her_current_families_with_a_link_to_each_match(coordinator_client, organisation) -> None:
    profile = make_profile(organisation=organisation, today=TODAY)
    current = _match(profile, preferred_name="Ailsa")
    _match(profile, preferred_name="Morag", status=MatchStatus.ENDED)
    response = coordinator_client.get(reverse("volunteers:detail", args=[profile.pk]))
    page = response.content.decode()
    assert "Current families" in page
    assert "Ailsa" in page
    assert "Befriender" in page
    assert "Active" in page
    assert reverse("matching:match-detail", args=[current.pk]) in page
    assert "Morag" not in page  # an ended match is not a current family


def test_a_volunteer_sees_her_own_families_and_a_pso_none_of_a_supervisees(
    volunteer_client, pso_client, volunteer, pso, organisation
) -> None:
    own = make_profile(organisation=organisation, user=volunteer, today=TODAY, supervisor=pso)
    _match(own, preferred_name="Ailsa")
    url = reverse("volunteers:detail", args=[own.pk])
    assert "Ailsa" in volunteer_client.get(url).content.decode()
    # Her supervisor sees her profile, but matches are not a PSO's to see: no list, rather than "none".
    page = pso_client.get(url).content.decode()
    assert "Current families" not in page
    assert "Ailsa" not in page


def test_a_psos_supervisees_do_not_include_herself(pso_client, pso, organisation) -> None:
    make_profile(organisation=organisation, user=pso, today=TODAY)
    supervisee = make_profile(organisation=organisation, today=TODAY, supervisor=pso)
    page = pso_client.get(reverse("volunteers:list")).content.decode()
    assert "Your supervisees" in page
    assert str(supervisee.user) in page
    assert reverse("volunteers:detail", args=[pso.volunteer_profiles.get().pk]) not in page


def test_the_owner_choice_offers_current_people_who_can_take_part_only(
    coordinator_client, coordinator, manager, pso, organisation
) -> None:
    current = make_profile(organisation=organisation, today=TODAY, supervisor=pso)
    gone = make_profile(organisation=organisation, today=TODAY, supervisor=pso)
    Membership.objects.filter(user=gone.user).update(is_active=False)
    response = coordinator_client.get(reverse("volunteers:supervision-new"))
    owners = set(response.context["formset"].forms[0].fields["owner"].queryset)
    assert current.user in owners
    assert pso in owners
    assert coordinator in owners
    assert gone.user not in owners  # a former member
    assert manager not in owners  # not a supervisor and not a volunteer: never in the session


def test_the_service_refuses_an_action_owned_by_a_former_member_and_writes_nothing(
    organisation, coordinator, pso
) -> None:
    gone = make_profile(organisation=organisation, today=TODAY, supervisor=pso, supervised_days_ago=None)
    Membership.objects.filter(user=gone.user).update(is_active=False)
    with pytest.raises(ValidationError) as refused:
        services.supervision_session_create(
            organisation=organisation,
            actor=coordinator,
            supervisor=pso,
            volunteers=[gone],
            held_on=TODAY - dt.timedelta(days=1),
            mode="in_person",
            duration_minutes=60,
            wellbeing="good",
            actions=[{"description": "Read the lone working policy", "owner": gone.user}],
        )
    assert "no longer a member" in refused.value.message_dict["actions"][0]
    assert not SupervisionSession.objects.exists()
    assert not SupervisionAction.objects.exists()


def test_the_service_still_accepts_the_supervisor_as_owner(organisation, coordinator, pso) -> None:
    profile = make_profile(organisation=organisation, today=TODAY, supervisor=pso, supervised_days_ago=None)
    session = services.supervision_session_create(
        organisation=organisation,
        actor=coordinator,
        supervisor=pso,
        volunteers=[profile],
        held_on=TODAY - dt.timedelta(days=1),
        mode="in_person",
        duration_minutes=60,
        wellbeing="good",
        actions=[{"description": "Send the leaflet", "owner": pso}],
    )
    assert session.actions.get().owner == pso
