"""Ending a match moves its referral through the referrals workflow when it
was the referral's last open match, with the ending type as the reason."""

from __future__ import annotations

import pytest
from django.utils import timezone

from referrals.models import ReferralTransition
from referrals.workflow import Status as ReferralStatus
from tests.factories import MatchFactory, council_area
from tests.matching.helpers import fit_volunteer, waiting_referral
from volunteers.matching import services
from volunteers.matching.models import Match, MatchRole, MatchStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    return council_area("S12000026")


@pytest.fixture
def referral(organisation, service, area):
    return waiting_referral(organisation=organisation, service=service, area=area)


def _active_match(coordinator, organisation, referral, area, user=None) -> Match:
    profile = fit_volunteer(organisation=organisation, areas=[area], user=user)
    match = services.match_confirm(
        actor=coordinator, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=profile.pk
    )
    services.contact_log_create(
        actor=coordinator,
        match=match,
        data={"contact_date": timezone.localdate(), "duration_minutes": 45, "mode": "phone"},
    )
    match.refresh_from_db()
    return match


def _end(coordinator, match, ending_type="planned", to_status=MatchStatus.ENDED):
    return services.match_transition(
        actor=coordinator, match=match, to_status=to_status, ending_type=ending_type, closing_note="Goodbye visit."
    )


def test_ending_the_only_active_match_closes_the_referral_with_the_ending_type(
    coordinator, organisation, referral, area
) -> None:
    match = _active_match(coordinator, organisation, referral, area)
    _end(coordinator, match, ending_type="parent_moved")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED
    moves = list(ReferralTransition.objects.filter(referral=referral).values_list("to_status", "reason"))
    assert moves[-2:] == [
        (ReferralStatus.ENDING, "Support ended: Parent moved away"),
        (ReferralStatus.CLOSED, "Support ended: Parent moved away"),
    ]


def test_a_match_moving_to_ending_makes_the_referral_ending_then_ended_closes_it(
    coordinator, organisation, referral, area
) -> None:
    match = _active_match(coordinator, organisation, referral, area)
    match = _end(coordinator, match, to_status=MatchStatus.ENDING)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ENDING
    _end(coordinator, match)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED
    assert ReferralTransition.objects.filter(referral=referral).last().reason == "Support ended: Planned ending"


def test_while_another_match_of_the_referral_is_open_the_referral_stays(
    coordinator, organisation, referral, area
) -> None:
    first = _active_match(coordinator, organisation, referral, area)
    # A second open match on the same referral (a birth companion beside the befriender).
    second = MatchFactory(
        organisation=organisation,
        referral=referral,
        parent=referral.parent,
        volunteer=fit_volunteer(organisation=organisation, areas=[area], kinds=["birth_companion"]),
        role=MatchRole.BIRTH_COMPANION,
        status=MatchStatus.ACTIVE,
        started_on=None,  # no contact logged yet
    )
    _end(coordinator, first, to_status=MatchStatus.ENDING)
    _end(coordinator, first)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACTIVE
    _end(coordinator, second, ending_type="unplanned")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED


@pytest.mark.parametrize(
    ("ending_type", "expected"),
    [
        ("unplanned", ReferralStatus.WAITING),
        ("volunteer_left", ReferralStatus.WAITING),
        ("eligibility_ended", ReferralStatus.NOT_ELIGIBLE),
        ("parent_moved", ReferralStatus.WITHDRAWN),
    ],
)
def test_a_match_ended_before_any_contact_returns_the_parent_to_waiting_unless_they_cannot_be_supported(
    coordinator, organisation, referral, area, ending_type, expected
) -> None:
    profile = fit_volunteer(organisation=organisation, areas=[area])
    match = services.match_confirm(
        actor=coordinator, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=profile.pk
    )
    match = services.match_transition(actor=coordinator, match=match, to_status=MatchStatus.INTRODUCED)
    _end(coordinator, match, ending_type=ending_type)
    referral.refresh_from_db()
    assert referral.status == expected
    assert (
        ReferralTransition.objects.filter(referral=referral)
        .last()
        .reason.startswith("Match ended before support started: ")
    )


def test_a_refused_ending_moves_neither_the_match_nor_the_referral(coordinator, organisation, referral, area) -> None:
    from django.core.exceptions import ValidationError

    match = _active_match(coordinator, organisation, referral, area)
    with pytest.raises(ValidationError):
        services.match_transition(actor=coordinator, match=match, to_status=MatchStatus.ENDED, ending_type="planned")
    match.refresh_from_db()
    referral.refresh_from_db()
    assert (match.status, referral.status) == (MatchStatus.ACTIVE, ReferralStatus.ACTIVE)
