"""Confirming matches (one, a batch, revalidated), the lifecycle, reviews,
birth companions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from operations.core.audit import AuditEvent
from operations.core.models import ServiceKind
from referrals.workflow import Status as ReferralStatus
from tests.factories import ServiceFactory, council_area
from tests.matching.helpers import fit_volunteer, waiting_referral
from volunteers.matching import services
from volunteers.matching.models import Match, MatchRole, MatchStatus
from volunteers.models import PvgRecord, VolunteerProfile
from volunteers.selectors import with_current_caseload

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    return council_area("S12000026")


@pytest.fixture
def referral(organisation, service, area):
    return waiting_referral(organisation=organisation, service=service, area=area)


@pytest.fixture
def profile(organisation, area, volunteer):
    return fit_volunteer(organisation=organisation, areas=[area], user=volunteer, max_caseload=1)


def confirm(coordinator, organisation, referral, profile) -> Match:
    return services.match_confirm(
        actor=coordinator, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=profile.pk
    )


def test_confirming_creates_the_match_moves_the_referral_and_counts_the_caseload(
    coordinator, organisation, referral, profile
) -> None:
    match = confirm(coordinator, organisation, referral, profile)
    referral.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED
    assert match.role == MatchRole.BEFRIENDER
    assert referral.status == ReferralStatus.MATCHED
    assert match.next_review_on is not None
    assert with_current_caseload(VolunteerProfile.objects.filter(pk=profile.pk)).get().current_caseload == 1
    event = AuditEvent.objects.filter(object_type="matching.Match").get()
    assert referral.parent.first_name not in event.summary


def test_a_full_volunteer_is_refused_and_nothing_is_written(
    coordinator, organisation, service, area, referral, profile
):
    confirm(coordinator, organisation, referral, profile)
    second = waiting_referral(organisation=organisation, service=service, area=area)
    with pytest.raises(ValidationError) as caught:
        confirm(coordinator, organisation, second, profile)
    assert "No capacity left" in str(caught.value)
    assert Match.objects.count() == 1
    second.refresh_from_db()
    assert second.status == ReferralStatus.WAITING


def test_an_unfit_volunteer_is_refused(coordinator, organisation, referral, profile) -> None:
    PvgRecord.objects.filter(profile=profile).update(renewal_due=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="PVG expired"):
        confirm(coordinator, organisation, referral, profile)
    assert not Match.objects.exists()


def test_a_match_across_organisations_is_refused(
    coordinator, organisation, other_organisation, other_service, referral
) -> None:
    stranger = fit_volunteer(organisation=other_organisation, areas=[council_area("S12000026")])
    with pytest.raises(ValidationError, match="not in your organisation"):
        confirm(coordinator, organisation, referral, stranger)
    foreign = waiting_referral(organisation=other_organisation, service=other_service)
    with pytest.raises(ValidationError, match="not in your organisation"):
        services.match_confirm(
            actor=coordinator, organisation_id=organisation.pk, referral_id=foreign.pk, volunteer_id=stranger.pk
        )
    assert not Match.objects.exists()


def test_a_batch_is_revalidated_and_failures_are_reported_one_by_one(
    coordinator, organisation, service, area, profile
) -> None:
    first = waiting_referral(organisation=organisation, service=service, area=area)
    second = waiting_referral(organisation=organisation, service=service, area=area)
    other = fit_volunteer(organisation=organisation, areas=[area])
    third = waiting_referral(organisation=organisation, service=service, area=area)
    results = services.match_confirm_batch(
        actor=coordinator,
        organisation_id=organisation.pk,
        pairs=[(first.pk, profile.pk), (second.pk, profile.pk), (third.pk, other.pk)],
    )
    assert [r.ok for r in results] == [True, False, True]
    assert "No capacity left (1 of 1)." in results[1].errors
    assert Match.objects.count() == 2
    second.refresh_from_db()
    assert second.status == ReferralStatus.WAITING


def test_a_referral_no_longer_waiting_is_refused(coordinator, organisation, referral, profile, area, service) -> None:
    confirm(coordinator, organisation, referral, profile)
    other = fit_volunteer(organisation=organisation, areas=[area])
    with pytest.raises(ValidationError, match="not waiting"):
        confirm(coordinator, organisation, referral, other)


def test_the_lifecycle_to_a_planned_ending(coordinator, organisation, referral, profile, volunteer) -> None:
    match = confirm(coordinator, organisation, referral, profile)
    match = services.match_transition(actor=coordinator, match=match, to_status=MatchStatus.INTRODUCED)
    assert match.introduced_on == timezone.localdate()
    services.contact_log_create(
        actor=volunteer,
        match=match,
        data={"contact_date": timezone.localdate(), "duration_minutes": 60, "mode": "home_visit"},
    )
    match.refresh_from_db()
    referral.refresh_from_db()
    assert match.status == MatchStatus.ACTIVE
    assert referral.status == ReferralStatus.ACTIVE
    match = services.match_transition(actor=coordinator, match=match, to_status=MatchStatus.ENDING)
    with pytest.raises(ValidationError) as caught:
        services.match_transition(actor=coordinator, match=match, to_status=MatchStatus.ENDED)
    assert set(caught.value.message_dict) == {"ending_type", "closing_note"}
    match = services.match_transition(
        actor=coordinator, match=match, to_status=MatchStatus.ENDED, ending_type="planned", closing_note="Went well."
    )
    assert (match.status, match.ended_on) == (MatchStatus.ENDED, timezone.localdate())
    with pytest.raises(ValidationError, match="cannot move"):
        services.match_transition(actor=coordinator, match=match, to_status=MatchStatus.ACTIVE)


def test_a_match_ended_before_it_started_returns_the_parent_to_the_waiting_list(
    coordinator, organisation, referral, profile
) -> None:
    match = confirm(coordinator, organisation, referral, profile)
    services.match_transition(
        actor=coordinator, match=match, to_status=MatchStatus.ENDED, ending_type="unplanned", closing_note="Moved."
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING


def test_a_review_sets_the_next_one(coordinator, organisation, referral, profile) -> None:
    match = confirm(coordinator, organisation, referral, profile)
    today = timezone.localdate()
    review = services.match_review_record(actor=coordinator, match=match, held_on=today, going_well=True)
    match.refresh_from_db()
    assert match.next_review_on == review.next_review_on > today + dt.timedelta(days=85)
    with pytest.raises(ValidationError):
        services.match_review_record(
            actor=coordinator, match=match, held_on=today + dt.timedelta(days=1), going_well=True
        )


def test_a_birth_companion_match_carries_the_due_date_and_an_on_call_window(coordinator, organisation, area) -> None:
    companions = ServiceFactory(organisation=organisation, name="Birth companions", kind=ServiceKind.BIRTH_COMPANION)
    referral = waiting_referral(organisation=organisation, service=companions, area=area, due_in_days=30)
    companion = fit_volunteer(organisation=organisation, areas=[area], kinds=["birth_companion"])
    match = confirm(coordinator, organisation, referral, companion)
    due = timezone.localdate() + dt.timedelta(days=30)
    assert match.role == MatchRole.BIRTH_COMPANION
    assert match.due_date == due
    assert match.on_call_from == due - dt.timedelta(days=21)
    assert match.on_call_to == due + dt.timedelta(days=14)


def test_a_parent_may_have_a_pso_and_a_befriender_but_one_open_match_per_role(
    coordinator, organisation, referral, profile, area
) -> None:
    confirm(coordinator, organisation, referral, profile)
    pso_service = ServiceFactory(organisation=organisation, name="PSO", kind=ServiceKind.PSO_SUPPORT)
    pso_referral = waiting_referral(organisation=organisation, service=pso_service, area=area)
    pso_referral.parent = referral.parent
    pso_referral.save()
    pso_profile = fit_volunteer(organisation=organisation, areas=[area], kinds=["pso"])
    assert confirm(coordinator, organisation, pso_referral, pso_profile).role == MatchRole.PSO
    assert Match.objects.filter(parent=referral.parent).count() == 2
