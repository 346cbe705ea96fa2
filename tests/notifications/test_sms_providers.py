"""Texts through Twilio and Vonage, to a fake provider on loopback that
speaks their APIs: what reaches the provider (the words, the organisation's
number as the sender, the account's credentials or signature, where to send
the receipt), the provider's message id kept for its receipt, and each
provider's failures sorted onto the outbox's retry rules."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest
import time_machine

from operations.notifications.models import Channel, Notification, ReminderSettings, Status
from operations.notifications.providers import twilio, vonage
from operations.notifications.reminder_settings import reminder_settings_create
from operations.notifications.services import RetryLater, notification_send, notification_write
from tests.notifications.fake_sms_provider import (
    PUBLIC_BASE_URL,
    TWILIO_SID,
    VONAGE_KEY,
    VONAGE_SIGNATURE_SECRET,
    FakeSmsProvider,
    twilio_signature,
    vonage_signature,
)

MIDDAY = datetime(2028, 2, 14, 12, 0, tzinfo=UTC)
PUBLIC = PUBLIC_BASE_URL


@pytest.fixture(autouse=True)
def _midday():
    """Texts go at midday (no quiet hours), whatever the hour the suite runs."""
    with time_machine.travel(MIDDAY, tick=True):
        yield


@pytest.fixture
def with_number(organisation):
    settings_row = reminder_settings_create(organisation_id=organisation.pk)
    settings_row.sms_number = "+447700900001"
    settings_row.save()
    return settings_row


def text(organisation, *, key="visit-reminder-41", body="Your visit is tomorrow at 10:00.") -> Notification:
    notification, _ = notification_write(
        key=key,
        kind="test",
        channel=Channel.SMS,
        organisation=organisation,
        subject="Visit tomorrow",
        body=body,
        recipient_address="+447700900123",
    )
    return notification


# --- Twilio -------------------------------------------------------------------------


@pytest.mark.django_db
def test_twilio_sends_the_words_from_the_organisations_number_with_the_account_and_keeps_the_sid(
    settings, provider, organisation, with_number
):
    settings.SMS_BACKEND = "twilio"
    notification = text(organisation)

    assert notification_send(notification_id=notification.pk) == Status.SENT

    [sent] = provider.sent
    assert sent.path == f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json"
    assert sent.fields["To"] == "+447700900123"
    assert sent.fields["From"] == "+447700900001"
    assert sent.fields["Body"] == "Your visit is tomorrow at 10:00."
    assert sent.fields["StatusCallback"] == f"{PUBLIC}/sms/twilio/status/?ref=visit-reminder-41"
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert notification.provider_message_id == sent.message_id
    assert notification.delivery_status == ""


@pytest.mark.django_db
def test_without_its_own_number_an_organisations_text_comes_from_the_default_sender(settings, provider, organisation):
    settings.SMS_BACKEND = "twilio"
    settings.SMS_PUBLIC_BASE_URL = ""
    notification_send(notification_id=text(organisation).pk)
    [sent] = provider.sent
    assert sent.fields["From"] == "PeerSupport"
    assert "StatusCallback" not in sent.fields  # no public address: no receipts asked for


@pytest.mark.django_db
def test_twilio_refuses_wrong_credentials_and_the_text_fails_with_the_reason(settings, provider, organisation):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_AUTH_TOKEN = "not-the-token"  # noqa: S105
    notification = text(organisation)
    assert notification_send(notification_id=notification.pk) == Status.FAILED
    notification.refresh_from_db()
    assert notification.last_error == "Twilio refused our account details"
    assert provider.sent == []


@pytest.mark.parametrize(("backend", "failure"), [("twilio", "500"), ("twilio", "429"), ("vonage", "500"),
                                                  ("vonage", "429"), ("vonage", "throttled")])  # fmt: skip
@pytest.mark.django_db
def test_a_busy_or_broken_provider_is_retried_with_backoff_then_the_text_goes(
    settings, provider, organisation, backend, failure
):
    settings.SMS_BACKEND = backend
    notification = text(organisation)
    provider.fail_next(failure)

    with pytest.raises(RetryLater) as retry:
        notification_send(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.status == Status.PENDING
    assert notification.attempts == 1
    assert retry.value.delay_seconds == 60
    assert notification.due_at > MIDDAY
    assert "busy" in notification.last_error
    assert provider.sent == []

    with time_machine.travel(notification.due_at, tick=False):
        assert notification_send(notification_id=notification.pk) == Status.SENT
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == (Status.SENT, 2, "")
    assert len(provider.sent) == 1


@pytest.mark.django_db
def test_a_provider_that_stays_down_fails_the_text_after_the_last_attempt(settings, provider, organisation):
    settings.SMS_BACKEND = "twilio"
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    notification = text(organisation)
    provider.fail_next("500", times=2)
    with pytest.raises(RetryLater):
        notification_send(notification_id=notification.pk)
    notification.refresh_from_db()
    with time_machine.travel(notification.due_at, tick=False):
        assert notification_send(notification_id=notification.pk) == Status.FAILED
    notification.refresh_from_db()
    assert notification.last_error == "Twilio is busy or unavailable (500)"


@pytest.mark.django_db
def test_a_provider_out_of_reach_is_retried(settings, organisation):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_API_URL = f"http://127.0.0.1:{port}"
    notification = text(organisation)
    with pytest.raises(RetryLater):
        notification_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == Status.PENDING
    assert notification.last_error.startswith("Twilio could not be reached")


@pytest.mark.parametrize(
    ("backend", "failure", "reason"),
    [
        ("twilio", "invalid_number", "invalid number"),
        ("twilio", "unsubscribed", "the recipient has unsubscribed: they texted STOP to our number"),
        ("twilio", "barred", "the number cannot be reached from our account"),
        ("vonage", "invalid_number", "invalid number"),
        ("vonage", "barred", "the number is blocked"),
    ],
)
@pytest.mark.django_db
def test_a_refusal_fails_the_text_at_once_with_the_providers_reason_in_words(
    settings, provider, organisation, backend, failure, reason
):
    settings.SMS_BACKEND = backend
    notification = text(organisation)
    provider.fail_next(failure)
    assert notification_send(notification_id=notification.pk) == Status.FAILED
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == (Status.FAILED, 1, reason)
    assert provider.sent == []


# --- Vonage -------------------------------------------------------------------------


@pytest.mark.django_db
def test_vonage_sends_signed_from_the_organisations_number_with_the_key_as_client_ref(
    settings, provider, organisation, with_number
):
    settings.SMS_BACKEND = "vonage"
    notification = text(organisation, body="Café at 10:00 — see you there")

    assert notification_send(notification_id=notification.pk) == Status.SENT

    [sent] = provider.sent
    assert sent.path == "/sms/json"
    assert sent.fields["from"] == "447700900001"
    assert sent.fields["to"] == "447700900123"
    assert sent.fields["text"] == "Café at 10:00 — see you there"
    assert sent.fields["type"] == "unicode"
    assert sent.fields["client-ref"] == "visit-reminder-41"
    assert sent.fields["callback"] == f"{PUBLIC}/sms/vonage/status/"
    assert "api_secret" not in sent.fields  # signed with the signature secret instead
    assert sent.fields["sig"].lower() == vonage_signature(sent.fields).lower()
    notification.refresh_from_db()
    assert notification.provider_message_id == sent.message_id


@pytest.mark.django_db
def test_vonage_refuses_a_wrong_signature_secret_and_the_text_fails(settings, provider, organisation):
    settings.SMS_BACKEND = "vonage"
    settings.VONAGE_SIGNATURE_SECRET = "not-the-secret"  # noqa: S105
    notification = text(organisation)
    assert notification_send(notification_id=notification.pk) == Status.FAILED
    notification.refresh_from_db()
    assert notification.last_error == "Vonage refused our signature"


@pytest.mark.django_db
def test_vonage_with_md5_hash_signing_as_its_dashboard_defaults(settings, organisation):
    settings.SMS_BACKEND = "vonage"
    settings.VONAGE_SIGNATURE_METHOD = "md5hash"
    with FakeSmsProvider(vonage_method="md5hash") as fake:
        settings.VONAGE_API_URL = fake.url
        settings.VONAGE_API_KEY = VONAGE_KEY
        settings.VONAGE_SIGNATURE_SECRET = VONAGE_SIGNATURE_SECRET
        assert notification_send(notification_id=text(organisation).pk) == Status.SENT
    assert len(fake.sent) == 1


def test_signatures_match_the_providers_published_examples():
    # Vonage's client libraries' test vector (md5hash, secret "secret").
    fields = {"a": "1", "b": "2", "timestamp": "1461605396"}
    assert vonage.signature(fields, secret="secret", method="md5hash") == "6af838ef94998832dbfc29020b564830"  # noqa: S106
    # Twilio's documented example (auth token 12345).
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = [("CallSid", "CA1234567890ABCDE"), ("Caller", "+12349013030"), ("Digits", "1234"),
              ("From", "+12349013030"), ("To", "+18005551212")]  # fmt: skip
    assert twilio.signature(url, params, "12345") == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
    assert twilio_signature(url, params, "12345") == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="  # the fake's own


@pytest.mark.django_db
def test_the_organisations_number_is_only_ever_its_own(settings, provider, organisation, other_organisation):
    """Each organisation's texts come from its own number; one without a number uses the default."""
    settings.SMS_BACKEND = "twilio"
    for org, number in ((organisation, "+447700900001"), (other_organisation, "")):
        row = reminder_settings_create(organisation_id=org.pk)
        row.sms_number = number
        row.save()
    notification_send(notification_id=text(organisation, key="a").pk)
    notification_send(notification_id=text(other_organisation, key="b").pk)
    assert [sent.fields["From"] for sent in provider.sent] == ["+447700900001", "PeerSupport"]
    assert ReminderSettings.objects.filter(sms_number="+447700900001").count() == 1
