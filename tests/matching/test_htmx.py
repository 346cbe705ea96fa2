"""htmx partials on the matching pages, and the same actions without
JavaScript (plain POST, redirect or full page)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.workflow import Status as ReferralStatus
from tests.factories import council_area
from tests.matching.helpers import fit_volunteer, waiting_referral
from volunteers.matching import services
from volunteers.matching.models import Match, MatchReview, MatchStatus

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def area():
    return council_area("S12000026")


@pytest.fixture
def proposal(organisation, service, area):
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    profile = fit_volunteer(organisation=organisation, areas=[area], max_caseload=1)
    url = reverse("matching:proposals") + f"?service={service.pk}"
    return url, referral, profile, f"{referral.pk}:{profile.pk}"


def test_confirming_one_row_with_htmx_replaces_that_row_with_the_match(coordinator_client, proposal) -> None:
    url, referral, _, pair = proposal
    response = coordinator_client.post(url, {"only": pair, "pair": [pair]}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<tr")
    assert "<html" not in body
    match = Match.objects.get()
    assert f"Match #{match.pk}" in body
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.MATCHED


def test_a_row_that_fails_revalidation_shows_why_in_place_and_writes_nothing(
    coordinator_client, coordinator, organisation, service, area, proposal
) -> None:
    url, _, profile, pair = proposal
    # Meanwhile the volunteer took another family and is now full.
    other = waiting_referral(organisation=organisation, service=service, area=area)
    services.match_confirm(
        actor=coordinator, organisation_id=organisation.pk, referral_id=other.pk, volunteer_id=profile.pk
    )
    response = coordinator_client.post(url, {"only": pair}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Not confirmed" in body
    assert "No capacity left" in body
    assert Match.objects.count() == 1


def test_confirming_the_ticked_with_htmx_returns_the_result_section(coordinator_client, proposal) -> None:
    url, referral, _, pair = proposal
    response = coordinator_client.post(url, {"pair": [pair]}, **HTMX)
    body = response.content.decode()
    assert "<html" not in body
    assert f"Referral #{referral.pk}" in body
    assert "confirmed" in body
    # The fresh proposal has nobody left to match.
    assert "No proposals" in body


def test_without_javascript_the_row_button_confirms_only_its_own_pair(
    coordinator_client, organisation, service, area, proposal
) -> None:
    url, referral, _, pair = proposal
    second = waiting_referral(organisation=organisation, service=service, area=area)
    other = fit_volunteer(organisation=organisation, areas=[area])
    response = coordinator_client.post(url, {"only": pair, "pair": [pair, f"{second.pk}:{other.pk}"]})
    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert list(Match.objects.values_list("referral_id", flat=True)) == [referral.pk]


@pytest.fixture
def match(coordinator, organisation, service, area) -> Match:
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    profile = fit_volunteer(organisation=organisation, areas=[area])
    return services.match_confirm(
        actor=coordinator, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=profile.pk
    )


def test_the_review_form_works_inline(coordinator_client, match) -> None:
    url = reverse("matching:match-review", args=[match.pk])
    response = coordinator_client.post(url, {"held_on": timezone.localdate().isoformat(), "notes": "Fine"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="review-section"' in body
    assert "Review recorded." in body
    assert "Fine" in body
    assert MatchReview.objects.count() == 1


def test_a_refused_review_shows_its_field_error_inline_and_writes_nothing(coordinator_client, match) -> None:
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = coordinator_client.post(reverse("matching:match-review", args=[match.pk]), {"held_on": tomorrow}, **HTMX)
    assert response.status_code == 200
    assert "A review cannot be in the future." in response.content.decode()
    assert not MatchReview.objects.exists()


def test_ending_a_match_inline_updates_the_section_and_the_status_badge(coordinator_client, match) -> None:
    url = reverse("matching:match-move", args=[match.pk])
    refused = coordinator_client.post(url, {"to_status": "ended", "ending_type": "unplanned"}, **HTMX)
    assert "Write a short closing note." in refused.content.decode()
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED
    response = coordinator_client.post(
        url, {"to_status": "ended", "ending_type": "unplanned", "closing_note": "Family moved on"}, **HTMX
    )
    body = response.content.decode()
    assert 'id="match-status"' in body
    assert 'hx-swap-oob="true"' in body
    assert ">Ended<" in body
    assert "The referral is waiting" in body  # it never started: back on the waiting list
    match.refresh_from_db()
    assert match.status == MatchStatus.ENDED


def test_without_javascript_ending_a_match_redirects_to_its_page(coordinator_client, match) -> None:
    response = coordinator_client.post(
        reverse("matching:match-move", args=[match.pk]),
        {"to_status": "ended", "ending_type": "planned", "closing_note": "Done"},
    )
    assert response.status_code == 302
    assert response["Location"] == match.get_absolute_url()
    page = coordinator_client.get(match.get_absolute_url()).content.decode()
    assert "Ended on" in page
    # No inline script anywhere (CSP): every <script> has a src.
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)


def test_the_match_page_offers_the_inline_forms_with_a_plain_post_fallback(coordinator_client, match) -> None:
    page = coordinator_client.get(match.get_absolute_url()).content.decode()
    for name in ("match-move", "match-review"):
        url = reverse(f"matching:{name}", args=[match.pk])
        assert f'action="{url}" hx-post="{url}"' in page
