"""Issue 23, self-service in matching: what a volunteer changes on "My
details" counts in the candidates at once (nothing keeps the old values),
and while she is on a break she is out of the candidates, the proposals
and confirming a match, and back on the day she said."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import council_area
from tests.matching.helpers import fit_volunteer, waiting_referral
from volunteers import services as volunteer_services
from volunteers.matching import selectors, services
from volunteers.matching.access import get_referral_for_matching
from volunteers.matching.models import Match

BORDERS, HIGHLAND = "S12000026", "S12000017"
TODAY = dt.date(2026, 11, 26)
BACK_ON = dt.date(2026, 12, 10)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


def _eligible_ids(coordinator, referral) -> list[int]:
    page = selectors.candidates_for(get_referral_for_matching(coordinator, referral.pk))
    return [assessment.volunteer.volunteer_id for assessment in page.candidates.ranked]


def _excluded(coordinator, referral) -> dict[int, list[str]]:
    page = selectors.candidates_for(get_referral_for_matching(coordinator, referral.pk))
    return {a.volunteer.volunteer_id: [e.reason for e in a.exclusions] for a in page.candidates.excluded}


def test_an_area_she_adds_herself_brings_her_into_the_candidates_at_once(organisation, service, coordinator) -> None:
    referral = waiting_referral(organisation=organisation, service=service, area=council_area(HIGHLAND))
    profile = fit_volunteer(organisation=organisation, areas=[council_area(BORDERS)])
    assert profile.pk not in _eligible_ids(coordinator, referral)

    volunteer_services.volunteer_own_details_save(
        profile=profile,
        actor=profile.user,
        availability=profile.availability,
        council_areas=[council_area(BORDERS), council_area(HIGHLAND)],
        languages=profile.languages,
    )
    assert profile.pk in _eligible_ids(coordinator, referral)


def test_on_a_break_she_is_out_of_matching_until_the_day_she_is_back(
    organisation, service, coordinator, frozen_today
) -> None:
    area = council_area(BORDERS)
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    profile = fit_volunteer(organisation=organisation, areas=[area])
    assert profile.pk in _eligible_ids(coordinator, referral)

    volunteer_services.volunteer_break_start(profile=profile, actor=profile.user, until=BACK_ON)
    assert profile.pk not in _eligible_ids(coordinator, referral)
    assert _excluded(coordinator, referral)[profile.pk] == [
        "Not fit to match: On a break: back in matching on 10 Dec 2026"
    ]
    assert selectors.proposals_for(service).rows == []
    with pytest.raises(ValidationError, match="On a break"):
        services.match_confirm(
            actor=coordinator, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=profile.pk
        )
    assert not Match.objects.exists()

    frozen_today.move_to(dt.datetime(2026, 12, 9, 18, 0, tzinfo=dt.UTC))  # her last day away
    assert profile.pk not in _eligible_ids(coordinator, referral)
    frozen_today.move_to(dt.datetime(2026, 12, 10, 9, 0, tzinfo=dt.UTC))  # the day she said
    assert profile.pk in _eligible_ids(coordinator, referral)
    assert [row.volunteer.volunteer_id for row in selectors.proposals_for(service).rows] == [profile.pk]


def test_ending_her_break_early_brings_her_back_the_same_day(organisation, service, coordinator) -> None:
    area = council_area(BORDERS)
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    profile = fit_volunteer(organisation=organisation, areas=[area])
    volunteer_services.volunteer_break_start(profile=profile, actor=profile.user, until=BACK_ON)
    volunteer_services.volunteer_break_end(profile=profile, actor=profile.user)
    assert profile.pk in _eligible_ids(coordinator, referral)


def test_the_candidates_page_says_why_she_is_not_offered(
    organisation, service, coordinator, coordinator_client
) -> None:
    area = council_area(BORDERS)
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    profile = fit_volunteer(organisation=organisation, areas=[area])
    volunteer_services.volunteer_break_start(profile=profile, actor=profile.user, until=BACK_ON)
    page = coordinator_client.get(reverse("matching:candidates", args=[referral.pk])).content.decode()
    assert "On a break: back in matching on 10 Dec 2026" in page
