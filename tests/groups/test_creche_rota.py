"""Only adults fit to work with children (active, PVG for children, core
training current) are offered for a crèche rota, accepted by the services
and counted toward the crèche's staffing; someone whose PVG lapses later
stops counting and the session page warns."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from operations.core.models import Role, ServiceKind
from operations.groups import selectors, services
from operations.groups.models import Booking, BookingStatus, Group, GroupSession
from operations.groups.services import CrecheChild
from tests.factories import ServiceFactory, member
from tests.groups.helpers import born, creche_adult, first_session, make_group, rota
from tests.groups.test_pages import group_form
from volunteers import fitness
from volunteers.models import PvgRecord, Status, TrainingRecord

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 26)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def named(user, first_name: str):
    user.first_name, user.last_name = first_name, "Tester"
    user.save(update_fields=["first_name", "last_name"])
    return user


@pytest.fixture
def group_service(organisation):
    return ServiceFactory(organisation=organisation, name="Groups", kind=ServiceKind.GROUP, end_child_age_months=24)


@pytest.fixture
def unfit(organisation) -> dict:
    """One person for each way of not being fit to work with children."""
    lapsed = named(creche_adult(organisation), "Lapsed")
    PvgRecord.objects.filter(profile__user=lapsed).update(renewal_due=TODAY - dt.timedelta(days=1))
    adults_only = named(creche_adult(organisation), "Adultsonly")
    PvgRecord.objects.filter(profile__user=adults_only).update(scheme="adults")
    untrained = named(creche_adult(organisation), "Untrained")
    TrainingRecord.objects.filter(profile__user=untrained).update(expires_on=TODAY - dt.timedelta(days=1))
    return {
        "left": named(creche_adult(organisation, status=Status.LEFT), "Leaver"),
        "applicant": named(creche_adult(organisation, status=Status.APPLICANT, pvg=False, trained=False), "Newbie"),
        "lapsed": lapsed,
        "adults_only": adults_only,
        "untrained": untrained,
        "no_record": named(member(username="norecord", organisation=organisation, role=Role.VOLUNTEER), "Norecord"),
    }


def test_the_pure_rule_names_each_reason():
    common = {
        "today": TODAY,
        "status": "active",
        "required_course_ids": {1},
        "valid_course_ids": {1},
        "has_pvg": True,
        "pvg_renewal_due": TODAY,
        "pvg_scheme": "children",
    }
    assert fitness.creche_fitness_reasons(**common) == []
    assert [r.code for r in fitness.creche_fitness_reasons(**{**common, "pvg_scheme": "adults"})] == [
        "pvg_not_for_children"
    ]
    left_untrained = fitness.creche_fitness_reasons(**{**common, "status": "left", "valid_course_ids": set()})
    assert [r.code for r in left_untrained] == ["status_not_active", "core_training_incomplete"]
    lapsed = fitness.creche_fitness_reasons(**{**common, "pvg_renewal_due": TODAY - dt.timedelta(1)})
    assert [r.message for r in lapsed] == ["PVG expired on 25 Nov 2026"]


def test_the_forms_offer_only_fit_people_as_ticks(coordinator_client, organisation, unfit):
    fit = named(creche_adult(organisation), "Fiona")
    group = make_group(organisation, creche_adults=[fit, *rota(organisation, 1)])
    session = first_session(group)
    for url in ("/groups/new/", f"/groups/{group.pk}/edit/", f"/groups/sessions/{session.pk}/edit/"):
        page = coordinator_client.get(url).content.decode()
        rota_field = page[page.index('id="div_id_creche_adults"') :]
        rota_field = rota_field[: rota_field.index("</fieldset>") if "</fieldset>" in rota_field else 4000]
        assert 'type="checkbox" class="form-check-input"  name="creche_adults"' in rota_field, url
        assert "Fiona Tester" in rota_field, url
        for person in unfit.values():
            assert person.first_name not in rota_field, (url, person.first_name)


def test_someone_on_the_rota_who_became_unfit_is_named_on_the_form(coordinator_client, organisation):
    people = rota(organisation, 3)
    group = make_group(organisation, creche_adults=people)
    named(people[0], "Lapsed")
    PvgRecord.objects.filter(profile__user=people[0]).update(renewal_due=TODAY - dt.timedelta(days=3))
    page = coordinator_client.get(f"/groups/{group.pk}/edit/").content.decode()
    assert "No longer offered, so taken off when you save: Lapsed Tester (PVG expired on 23 Nov 2026)" in page


@pytest.mark.parametrize("who", ["left", "applicant", "lapsed", "adults_only", "untrained", "no_record"])
def test_the_services_refuse_unfit_people_naming_them_and_write_nothing(organisation, unfit, who):
    person = unfit[who]
    with pytest.raises(ValidationError) as refused:
        make_group(organisation, creche_adults=[person, *rota(organisation, 1)])
    message = refused.value.message_dict["creche_adults"][0]
    assert message.startswith(f"Not fit to work with children: {person.first_name} Tester (")
    assert not Group.objects.exists()
    assert not GroupSession.objects.exists()


def test_a_session_rota_change_with_an_unfit_person_is_refused(organisation, unfit):
    people = rota(organisation)
    session = first_session(make_group(organisation, creche_adults=people))
    with pytest.raises(ValidationError) as refused:
        services.session_update(
            session=session,
            actor=None,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            adult_places=session.adult_places,
            creche_on=True,
            creche_adults=[people[0], unfit["lapsed"]],
        )
    assert "Lapsed Tester (PVG expired on 25 Nov 2026)" in refused.value.message_dict["creche_adults"][0]
    session.refresh_from_db()
    assert set(session.creche_adults.all()) == set(people)
    assert not session.changed


def test_the_group_page_refuses_an_unfit_person(coordinator_client, group_service, organisation, unfit):
    fit = rota(organisation, 1)
    response = coordinator_client.post(
        "/groups/new/",
        group_form(group_service, creche_on="on", creche_adults=[fit[0].pk, unfit["left"].pk]),
    )
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert not Group.objects.exists()


def test_the_api_refuses_an_unfit_person_naming_them(coordinator, group_service, organisation, unfit):
    body = {
        "service": group_service.pk,
        "name": "Talk it Over",
        "weekday": 2,
        "start_time": "10:00",
        "end_time": "12:00",
        "starts_on": "2026-12-01",
        "creche_on": True,
        "creche_adults": [rota(organisation, 1)[0].pk, unfit["adults_only"].pk],
    }
    response = api(coordinator).post("/api/v1/groups/", body, format="json")
    assert response.status_code == 400
    assert "Adultsonly Tester (PVG does not cover work with children)" in response.json()["creche_adults"][0]
    assert not Group.objects.exists()


@pytest.fixture
def six_babies(organisation):
    """Two fit adults on the rota; three bookings with two babies each: 6
    children under 2 need 2 adults."""
    people = rota(organisation)
    session = first_session(make_group(organisation, creche_adults=people))
    for number in range(3):
        services.booking_create(
            session_id=session.pk,
            actor=None,
            attendee_name=f"Mum {number}",
            attendee_consent=True,
            children=[CrecheChild("Isla", born(0, 6)), CrecheChild("Rory", born(1))],
        )
    return session, people


def test_a_lapsed_pvg_stops_counting_and_the_session_page_warns(coordinator_client, six_babies):
    session, people = six_babies
    page = coordinator_client.get(f"/groups/sessions/{session.pk}/").content.decode()
    assert "fit to work with children:" not in page
    assert selectors.load_of(session).fit_creche_adults == 2

    PvgRecord.objects.filter(profile__user=people[0]).update(renewal_due=timezone.localdate() - dt.timedelta(days=1))
    load = selectors.load_of(session)
    assert (load.rota_size, load.fit_creche_adults, load.creche_adults_needed) == (2, 1, 2)
    assert load.child_places_left == {"under_2": 0, "2_to_3": 0, "3_plus": 0}
    page = coordinator_client.get(f"/groups/sessions/{session.pk}/").content.decode()
    assert "2 adults on the rota, 1 fit to work with children: the 6 booked children need 2." in page
    assert "not fit to work with children: PVG expired on 25 Nov 2026" in page


def test_an_unfit_adult_does_not_count_for_a_new_booking(organisation, six_babies):
    session, people = six_babies
    # Room for three more babies with two fit adults ...
    assert selectors.load_of(session).child_places_left["under_2"] == 0
    services.booking_cancel(booking=Booking.objects.filter(session=session).first(), actor=None)
    assert selectors.load_of(session).child_places_left["under_2"] == 2
    # ... none once one of them has left.
    from volunteers.models import VolunteerProfile

    VolunteerProfile.objects.filter(user=people[1]).update(status=Status.LEFT)
    booking = services.booking_create(
        session_id=session.pk,
        actor=None,
        attendee_name="Another mum",
        attendee_consent=True,
        children=[CrecheChild("Orla", born(0, 4))],
    )
    assert booking.status == BookingStatus.WAITING


def test_the_api_shows_fit_adults_beside_the_need(coordinator, six_babies):
    session, people = six_babies
    PvgRecord.objects.filter(profile__user=people[0]).delete()
    row = api(coordinator).get(f"/api/v1/group-sessions/{session.pk}/").json()
    assert row["places_left"]["creche_adults_fit"] == 1
    assert row["places_left"]["creche_adults_needed"] == 2
