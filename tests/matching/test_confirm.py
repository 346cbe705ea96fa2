"""Destructive actions on a match ask first: cancelling a visit, ending a
match (the confirmation is the form: how it ended and a closing note).
Closing a concern is the safeguarding pages' (tests/safeguarding). The GET
changes nothing; the POST does it; a refused POST comes back to the confirmation with field errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import VisitFactory, council_area
from tests.matching.helpers import fit_volunteer, waiting_referral
from volunteers.matching import services
from volunteers.matching.models import Match, MatchStatus, Visit

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def match(coordinator, organisation, service, volunteer) -> Match:
    area = council_area("S12000026")
    referral = waiting_referral(organisation=organisation, service=service, area=area, first_name="Rhona")
    profile = fit_volunteer(organisation=organisation, areas=[area], user=volunteer)
    return services.match_confirm(
        actor=coordinator, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=profile.pk
    )


@pytest.fixture
def visit(organisation, match) -> Visit:
    return VisitFactory(
        organisation=organisation,
        match=match,
        planned_for=dt.date(2030, 2, 14),
        at_time=dt.time(10, 30),
        mode="home_visit",
    )


def test_the_visit_cancel_page_says_nobody_is_told_and_changes_nothing(volunteer_client, match, visit) -> None:
    url = reverse("matching:visit-cancel", args=[visit.pk])
    page = volunteer_client.get(url).content.decode()
    assert "Cancel the visit on Thu 14 Feb 2030 at 10:30 (home visit)?" in page
    assert "Nobody is sent a message" in page
    assert "Yes, cancel the visit" in page
    visit.refresh_from_db()
    assert not visit.cancelled
    assert volunteer_client.post(url).status_code == 302
    visit.refresh_from_db()
    assert visit.cancelled


def test_the_match_page_asks_before_cancelling_a_visit(volunteer_client, match, visit) -> None:
    page = volunteer_client.get(match.get_absolute_url()).content.decode()
    url = reverse("matching:visit-cancel", args=[visit.pk])
    assert f'href="{url}" hx-get="{url}"' in page
    assert f'action="{url}"' not in page


def test_ending_a_match_asks_with_the_form_and_says_what_happens(coordinator_client, match, visit) -> None:
    url = reverse("matching:match-end", args=[match.pk])
    page = coordinator_client.get(url).content.decode()
    assert "End the match of Rhona" in page
    assert "Support had not started, so the referral goes back to the waiting list" in page
    assert "1 planned visit from today stays in the diary" in page
    assert 'name="closing_note"' in page
    assert 'name="ending_type"' in page
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED


def test_ending_a_match_without_a_note_is_refused_on_the_confirmation(coordinator_client, match) -> None:
    url = reverse("matching:match-end", args=[match.pk])
    response = coordinator_client.post(url, {"ending_type": "planned", "closing_note": ""}, **HTMX)
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED


def test_ending_a_match_from_its_confirmation(coordinator_client, match) -> None:
    url = reverse("matching:match-end", args=[match.pk])
    response = coordinator_client.post(url, {"ending_type": "planned", "closing_note": "All done"}, follow=True)
    assert "The match is ended. The referral is waiting." in response.content.decode()
    match.refresh_from_db()
    assert (match.status, match.closing_note) == (MatchStatus.ENDED, "All done")


def test_the_match_page_ends_a_match_only_through_its_confirmation(coordinator_client, match) -> None:
    page = coordinator_client.get(match.get_absolute_url()).content.decode()
    assert reverse("matching:match-end", args=[match.pk]) in page
    assert '<option value="ended"' not in page  # not a quick move any more


def test_a_volunteer_cannot_end_a_match(volunteer_client, match) -> None:
    assert volunteer_client.get(reverse("matching:match-end", args=[match.pk])).status_code == 403
