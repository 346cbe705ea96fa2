"""A YES through the real webhook: the session reminder goes out through the
fake Twilio on loopback, her YES comes back signed the provider's way and is
retried, and the booking is confirmed once, with one answer texted back.
A STOP through the webhook stops the next text before it reaches the
provider."""

from __future__ import annotations

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from operations.groups.models import BookingStatus
from operations.notifications.models import InboundText, Notification, Status, TextHandling
from tests.notifications.fake_sms_provider import PUBLIC_BASE_URL
from tests.notifications.helpers_texts import (
    ORGANISATION_NUMBER,
    THURSDAY,
    book,
    fridays_session,
    remind,
    safe_parent,
    send_due,
    use_number,
)

pytestmark = pytest.mark.django_db

HER_NUMBER = "+447700900123"


@pytest.fixture(autouse=True)
def _thursday_and_a_fresh_count():
    cache.clear()  # the webhooks' rate limit counts in the cache
    with time_machine.travel(THURSDAY, tick=True):
        yield
    cache.clear()


@pytest.fixture
def twilio(provider, settings):
    """The fake provider (tests.notifications.conftest), sending as Twilio."""
    settings.SMS_BACKEND = "twilio"
    return provider


def texts_to_her(fake) -> list[str]:
    # Her record keeps the national form; the Twilio backend passes the address on as written.
    return [sent.fields["Body"] for sent in fake.sent if sent.fields.get("To") in (HER_NUMBER, "07700900123")]


def reply(fake, client, capture, *, sid: str, body: str):
    with capture(execute=True):
        response = fake.twilio_inbound(
            client,
            PUBLIC_BASE_URL + reverse("sms:twilio-inbound"),
            sid=sid,
            from_number=HER_NUMBER,
            to_number=ORGANISATION_NUMBER,
            body=body,
        )
    assert response.status_code == 200
    send_due()


def test_yes_through_the_webhook_confirms_once_when_twilio_retries(
    organisation, twilio, client, django_capture_on_commit_callbacks
):
    use_number(organisation)
    parent = safe_parent(organisation, phone="07700900123")
    booking = book(fridays_session(organisation), parent)
    remind()
    assert texts_to_her(twilio) == ["A reminder of your appointment Fri 4 Dec 2026 at 10:00."]

    for _ in range(3):  # Twilio retries when it did not hear our answer in time
        reply(twilio, client, django_capture_on_commit_callbacks, sid="SM" + "7" * 32, body="Yes")

    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    assert booking.confirmed_at is not None
    [kept] = InboundText.objects.all()
    assert (kept.parent_id, kept.handling) == (parent.pk, TextHandling.ACTED)
    assert texts_to_her(twilio)[1:] == ["Thank you: your appointment on Fri 4 Dec 2026 at 10:00 is confirmed."]
    assert Notification.objects.filter(kind="text_reply").count() == 1


def test_stop_through_the_webhook_stops_the_next_text_before_the_provider(
    organisation, twilio, client, django_capture_on_commit_callbacks
):
    use_number(organisation)
    parent = safe_parent(organisation, phone="07700900123")
    book(fridays_session(organisation), parent)
    reply(twilio, client, django_capture_on_commit_callbacks, sid="SM" + "8" * 32, body="STOP")
    parent.refresh_from_db()
    assert parent.sms_stopped_at is not None

    remind()
    assert texts_to_her(twilio) == []
    assert (
        not Notification.objects.filter(kind="session_reminder", channel="sms")
        .exclude(status=Status.CANCELLED)
        .exists()
    )
