"""While a parent's processing is restricted (Article 18), every app that
holds their data refuses new processing (the lists are in each app's gdpr
module; tests/core/test_gdpr_coverage.py holds every service to a side).
These are the refusals added with that list: moving a referral or a match
further, recording a review or an extension, writing a message. Each is
refused through the service, the page and the API, with nothing written;
winding support down still works."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from operations.notifications.models import Channel, Notification
from operations.notifications.services import notification_write
from referrals import services
from referrals.models import Referral, ReferralTransition
from referrals.workflow import Status
from tests.factories import ReferralFactory
from tests.referrals.test_processing_restriction import matched, restrict  # noqa: F401  (fixture)
from volunteers.matching import services as matching_services
from volunteers.matching.models import Match, MatchReview, MatchStatus

RESTRICTED = "restricted at their request"


@pytest.fixture
def restricted_match(matched, manager):  # noqa: F811
    restrict(matched.parent, manager)
    matched.refresh_from_db()
    matched.parent.refresh_from_db()
    return matched


@pytest.fixture
def restricted_referral(organisation, service, manager):
    referral = ReferralFactory(organisation=organisation, service=service)
    restrict(referral.parent, manager)
    referral.refresh_from_db()
    return referral


def unchanged(match: Match) -> bool:
    fresh = Match.objects.get(pk=match.pk)
    return (fresh.status, fresh.extended_until, fresh.next_review_on) == (
        match.status,
        match.extended_until,
        match.next_review_on,
    ) and not MatchReview.objects.filter(match=match).exists()


@pytest.mark.django_db
def test_no_review_extension_or_introduction_through_the_services(restricted_match, coordinator):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match=RESTRICTED):
        matching_services.match_review_record(actor=coordinator, match=restricted_match, held_on=today, going_well=True)
    with pytest.raises(ValidationError, match=RESTRICTED):
        matching_services.match_record_extension(
            actor=coordinator, match=restricted_match, until=today + dt.timedelta(days=400), reason="More time"
        )
    with pytest.raises(ValidationError, match=RESTRICTED) as refused:
        matching_services.match_transition(actor=coordinator, match=restricted_match, to_status=MatchStatus.INTRODUCED)
    assert list(refused.value.message_dict) == ["to_status"]
    assert unchanged(restricted_match)


@pytest.mark.django_db
def test_the_match_page_refuses_a_review_and_an_introduction(restricted_match, coordinator_client):
    url = reverse("matching:match-review", args=[restricted_match.pk])
    page = coordinator_client.post(url, {"held_on": timezone.localdate().isoformat(), "notes": "Fine"}, follow=True)
    assert RESTRICTED in page.content.decode()
    moved = coordinator_client.post(
        reverse("matching:match-move", args=[restricted_match.pk]), {"to_status": "introduced"}, follow=True
    )
    assert RESTRICTED in moved.content.decode()
    assert unchanged(restricted_match)


@pytest.mark.django_db
def test_the_api_refuses_a_review_and_an_introduction_with_a_400(restricted_match, coordinator_client):
    review = coordinator_client.post(
        reverse("api-match-review-list"),
        {"match": restricted_match.pk, "held_on": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert review.status_code == 400
    assert RESTRICTED in str(review.json())
    moved = coordinator_client.post(
        reverse("api-match-transition", args=[restricted_match.pk]),
        {"to_status": "introduced"},
        content_type="application/json",
    )
    assert moved.status_code == 400
    assert RESTRICTED in str(moved.json()["to_status"])
    assert unchanged(restricted_match)


@pytest.mark.django_db
def test_support_can_still_be_wound_down(restricted_match, coordinator):
    matching_services.match_transition(
        actor=coordinator,
        match=restricted_match,
        to_status=MatchStatus.ENDED,
        ending_type="unplanned",
        closing_note="The parent asked us to stop while her record is checked.",
    )
    assert Match.objects.get(pk=restricted_match.pk).status == MatchStatus.ENDED
    assert Referral.objects.get(pk=restricted_match.referral_id).status == Status.WAITING  # and never proposed


@pytest.mark.django_db
def test_a_restricted_referral_does_not_move_forward_anywhere(restricted_referral, coordinator, coordinator_client):
    with pytest.raises(ValidationError, match=RESTRICTED):
        services.referral_transition(actor=coordinator, referral=restricted_referral, to_status=Status.CONTACTED)
    page = coordinator_client.post(
        reverse("referrals:referral-transition", args=[restricted_referral.pk]), {"to_status": "contacted"}
    )
    assert page.status_code == 400
    assert RESTRICTED in page.content.decode()
    api = coordinator_client.post(
        reverse("api-referral-transition", args=[restricted_referral.pk]),
        {"to_status": "contacted", "reason": ""},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert RESTRICTED in str(api.json())
    assert Referral.objects.get(pk=restricted_referral.pk).status == Status.RECEIVED
    assert not ReferralTransition.objects.filter(referral=restricted_referral).exists()
    # Leaving the service winds processing down: allowed.
    services.referral_transition(
        actor=coordinator, referral=restricted_referral, to_status=Status.WITHDRAWN, reason="Asked to stop"
    )
    assert Referral.objects.get(pk=restricted_referral.pk).status == Status.WITHDRAWN


@pytest.mark.django_db
def test_no_message_is_written_to_a_restricted_parent(restricted_referral, organisation):
    with pytest.raises(ValidationError, match=RESTRICTED):
        notification_write(
            key="group-reminder-1",
            kind="session_reminder",
            channel=Channel.SMS,
            organisation=organisation,
            subject="Your group is tomorrow",
            body="See you at 10:00.",
            recipient_address="07700900123",
            recipient_parent=restricted_referral.parent,
        )
    assert not Notification.objects.exists()
