"""The providers calling back: delivery receipts reaching the notification
log, texts sent to an organisation's number kept once, and everything that
is not the provider refused — unsigned, wrongly signed, too large, too
many, or not a POST — with nothing stored and nothing personal logged.

The fake provider signs each callback the provider's way; the app checks
it against the public address (SMS_PUBLIC_BASE_URL), as it sits behind a
proxy whose own address differs."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from operations.notifications.models import Channel, DeliveryStatus, InboundText, Notification, Status
from operations.notifications.reminder_settings import reminder_settings_create
from operations.notifications.services import notification_send, notification_write
from tests.notifications.fake_sms_provider import (
    PUBLIC_BASE_URL,
    TWILIO_SID,
    TWILIO_TOKEN,
    FakeSmsProvider,
    Sent,
    twilio_signature,
)

MIDDAY = datetime(2028, 2, 14, 12, 0, tzinfo=UTC)
PUBLIC = PUBLIC_BASE_URL
PARENT = "+447700900123"
OURS = "+447700900001"


@pytest.fixture(autouse=True)
def _midday_and_a_fresh_count():
    cache.clear()  # the webhooks' rate limit counts in the cache
    with time_machine.travel(MIDDAY, tick=True):
        yield
    cache.clear()


@pytest.fixture
def our_number(organisation):
    row = reminder_settings_create(organisation_id=organisation.pk)
    row.sms_number = OURS
    row.save()
    return OURS


def sent_text(settings, provider, organisation, backend: str, key: str = "visit-reminder-41") -> Sent:
    settings.SMS_BACKEND = backend
    notification, _ = notification_write(
        key=key,
        kind="test",
        channel=Channel.SMS,
        organisation=organisation,
        subject="Visit tomorrow",
        body="Your visit is tomorrow at 10:00.",
        recipient_address=PARENT,
    )
    assert notification_send(notification_id=notification.pk) == Status.SENT
    return provider.sent[-1]


def log_page(client) -> str:
    return client.get(reverse("notifications:log")).content.decode()


def url(name: str) -> str:
    return PUBLIC + reverse(name)


# --- Delivery receipts ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_twilio_receipt_marks_the_text_delivered_on_the_log(settings, provider, organisation, coordinator_client):
    # A key as the reminders write them, colons and all: it rides in the signed callback address.
    sent = sent_text(settings, provider, organisation, "twilio", key="pvg-renewal:7:2028-05-01:3m:12:sms")
    assert sent.fields["StatusCallback"].endswith("?ref=pvg-renewal%3A7%3A2028-05-01%3A3m%3A12%3Asms")
    response = provider.twilio_status(coordinator_client, sent, "delivered")
    assert response.status_code == 204
    notification = Notification.objects.get(provider_message_id=sent.message_id)
    assert notification.delivery_status == DeliveryStatus.DELIVERED
    assert "Delivered 14 Feb 2028 12:00" in log_page(coordinator_client)


@pytest.mark.django_db
def test_a_twilio_undelivered_receipt_shows_the_reason_in_words(settings, provider, organisation, coordinator_client):
    sent = sent_text(settings, provider, organisation, "twilio")
    provider.twilio_status(coordinator_client, sent, "undelivered", error_code="30005")
    notification = Notification.objects.get(provider_message_id=sent.message_id)
    assert (notification.status, notification.delivery_status) == (Status.SENT, DeliveryStatus.FAILED)
    page = log_page(coordinator_client)
    assert "Not delivered: number not in service" in page
    assert "30005" not in page


@pytest.mark.django_db
def test_receipts_out_of_order_never_move_a_delivered_text_back(settings, provider, organisation, client):
    sent = sent_text(settings, provider, organisation, "twilio")
    provider.twilio_status(client, sent, "delivered")
    for late in ("sent", "queued", "undelivered"):
        assert provider.twilio_status(client, sent, late, error_code="30003").status_code == 204
    notification = Notification.objects.get(provider_message_id=sent.message_id)
    assert notification.delivery_status == DeliveryStatus.DELIVERED
    assert notification.delivery_detail == ""


@pytest.mark.django_db
def test_a_receipt_faster_than_the_outbox_finds_the_text_by_its_key(settings, provider, organisation, client):
    """Twilio may call back before the outbox has kept its id: the key in the callback's address finds it."""
    notification, _ = notification_write(
        key="visit-reminder-77", kind="test", channel=Channel.SMS, organisation=organisation,
        subject="Visit", body="Tomorrow", recipient_address=PARENT,
    )  # fmt: skip
    Notification.objects.filter(pk=notification.pk).update(status=Status.SENDING)
    callback = f"{url('sms:twilio-status')}?ref=visit-reminder-77"
    early = Sent("twilio", "", {"To": PARENT, "From": OURS, "StatusCallback": callback}, message_id="SM" + "7" * 32)
    provider.twilio_status(client, early, "delivered")
    notification.refresh_from_db()
    assert (notification.delivery_status, notification.provider_message_id) == ("delivered", "SM" + "7" * 32)


@pytest.mark.parametrize("as_json", [False, True])
@pytest.mark.django_db
def test_a_vonage_receipt_marks_the_text_delivered_at_the_networks_time(
    settings, provider, organisation, coordinator_client, as_json
):
    sent = sent_text(settings, provider, organisation, "vonage")
    response = provider.vonage_status(coordinator_client, url("sms:vonage-status"), sent, "delivered", as_json=as_json)
    assert response.status_code == 204
    assert "Delivered 14 Feb 2028 10:02" in log_page(coordinator_client)


@pytest.mark.django_db
def test_a_vonage_failed_receipt_shows_the_reason_in_words(settings, provider, organisation, coordinator_client):
    sent = sent_text(settings, provider, organisation, "vonage")
    provider.vonage_status(coordinator_client, url("sms:vonage-status"), sent, "failed", err_code="3")
    assert "Not delivered: number not in service" in log_page(coordinator_client)


@pytest.mark.django_db
def test_a_receipt_for_a_text_we_do_not_know_changes_nothing_and_is_answered(settings, provider, client):
    unknown = Sent("vonage", "", {"to": "447700900123", "from": "PeerSupport"}, message_id="0A0000000000FFFF")
    response = provider.vonage_status(client, url("sms:vonage-status"), unknown, "delivered")
    assert response.status_code == 204
    assert not Notification.objects.exclude(delivery_status="").exists()


# --- Inbound texts -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_twilio_text_is_kept_once_and_a_retried_webhook_stores_nothing_more(
    provider, client, organisation, our_number
):
    arguments = {"sid": "SM" + "1" * 32, "from_number": PARENT, "to_number": our_number, "body": "YES please"}
    first = provider.twilio_inbound(client, url("sms:twilio-inbound"), **arguments)
    again = provider.twilio_inbound(client, url("sms:twilio-inbound"), **arguments)

    for response in (first, again):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/xml")
        assert response.content.decode().endswith("<Response></Response>")  # no auto-reply
    [kept] = InboundText.objects.all()
    assert (kept.provider, kept.organisation_id, kept.from_number, kept.to_number, kept.body) == (
        "twilio",
        organisation.pk,
        PARENT,
        OURS,
        "YES please",
    )


@pytest.mark.parametrize("as_json", [False, True])
@pytest.mark.django_db
def test_a_vonage_text_is_kept_once_with_numbers_in_e164(provider, client, organisation, our_number, as_json):
    arguments = {"message_id": "0B00000012345678", "from_number": PARENT, "to_number": our_number, "body": "STOP"}
    for _ in range(2):
        response = provider.vonage_inbound(client, url("sms:vonage-inbound"), as_json=as_json, **arguments)
        assert response.status_code == 204
    [kept] = InboundText.objects.all()
    assert (kept.provider, kept.organisation_id, kept.from_number, kept.to_number) == (
        "vonage",
        organisation.pk,
        PARENT,
        OURS,
    )
    assert kept.received_at == datetime(2028, 2, 14, 10, 2, tzinfo=UTC)


@pytest.mark.django_db
def test_a_text_to_a_number_no_organisation_uses_is_kept_without_one(provider, client, organisation, our_number):
    provider.twilio_inbound(
        client, url("sms:twilio-inbound"), sid="SM" + "2" * 32, from_number=PARENT, to_number="+447700900999", body="Hi"
    )
    [kept] = InboundText.objects.all()
    assert kept.organisation_id is None


# --- Refusals --------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["sms:twilio-inbound", "sms:vonage-inbound"])
@pytest.mark.django_db
def test_a_forged_text_is_refused_nothing_stored_and_neither_body_nor_numbers_logged(
    provider, client, our_number, caplog, route
):
    caplog.set_level(logging.DEBUG)
    secret_words = "my partner hit me"
    if route == "sms:twilio-inbound":
        response = provider.twilio_inbound(
            client, url(route), sid="SM" + "3" * 32, from_number=PARENT, to_number=our_number, body=secret_words,
            token="a-guess",  # noqa: S106
        )  # fmt: skip
    else:
        provider.vonage_method = "sha1"  # signed, but not as our account signs
        response = provider.vonage_inbound(
            client, url(route), message_id="0C00000000000001", from_number=PARENT, to_number=our_number,
            body=secret_words,
        )  # fmt: skip
    assert response.status_code == 403
    assert not InboundText.objects.exists()
    assert "signature missing or wrong" in caplog.text
    for personal in (secret_words, PARENT, PARENT.lstrip("+"), "7700900123"):
        assert personal not in caplog.text


@pytest.mark.parametrize(
    "route", ["sms:twilio-status", "sms:twilio-inbound", "sms:vonage-status", "sms:vonage-inbound"]
)
@pytest.mark.django_db
def test_an_unsigned_post_is_refused_and_a_get_is_not_allowed(client, provider, route):
    fields = {"MessageSid": "SM1", "messageId": "1", "From": PARENT, "msisdn": PARENT, "Body": "x", "text": "x"}
    assert client.post(reverse(route), fields).status_code == 403
    assert client.get(reverse(route)).status_code == 405
    assert not InboundText.objects.exists()


@pytest.mark.django_db
def test_a_forged_receipt_changes_nothing(settings, provider, organisation, client):
    sent = sent_text(settings, provider, organisation, "twilio")
    response = provider.twilio_status(client, sent, "undelivered", error_code="30005", token="a-guess")  # noqa: S106
    assert response.status_code == 403
    assert Notification.objects.get(provider_message_id=sent.message_id).delivery_status == ""


@pytest.mark.django_db
def test_a_body_over_the_limit_is_refused_unread(settings, provider, client, our_number):
    settings.SMS_WEBHOOK_MAX_BYTES = 2048
    response = provider.twilio_inbound(
        client,
        url("sms:twilio-inbound"),
        sid="SM" + "4" * 32,
        from_number=PARENT,
        to_number=our_number,
        body="x" * 3000,
    )
    assert response.status_code == 413
    assert not InboundText.objects.exists()


@pytest.mark.django_db
def test_posts_over_the_hourly_limit_from_one_address_are_refused(settings, provider, client, our_number):
    settings.SMS_WEBHOOK_LIMIT_PER_ADDRESS = 2
    answers = [
        provider.twilio_inbound(
            client, url("sms:twilio-inbound"), sid=f"SM{n:032d}", from_number=PARENT, to_number=our_number, body="Hi"
        ).status_code
        for n in range(3)
    ]
    assert answers == [200, 200, 429]
    assert InboundText.objects.count() == 2


# --- The public address, behind a proxy --------------------------------------------------


@pytest.mark.django_db
def test_twilio_signatures_are_checked_against_the_public_address_not_the_proxys(
    settings, provider, client, our_number
):
    """Twilio signs the address it called (https://ops.example.org/…); the app,
    behind a proxy, is reached as http://testserver/…. With SMS_PUBLIC_BASE_URL
    set the signature holds; without it, the same request is refused."""
    arguments = {"sid": "SM" + "5" * 32, "from_number": PARENT, "to_number": our_number, "body": "Hello"}
    settings.SMS_PUBLIC_BASE_URL = ""
    assert provider.twilio_inbound(client, url("sms:twilio-inbound"), **arguments).status_code == 403
    settings.SMS_PUBLIC_BASE_URL = PUBLIC
    assert provider.twilio_inbound(client, url("sms:twilio-inbound"), **arguments).status_code == 200
    assert InboundText.objects.count() == 1


@pytest.mark.django_db
def test_without_a_public_address_twilio_is_checked_against_the_address_it_reached(settings, provider, client):
    settings.SMS_PUBLIC_BASE_URL = ""
    fields = [("MessageSid", "SM" + "6" * 32), ("From", PARENT), ("To", OURS), ("Body", "Hello")]
    signature = twilio_signature("http://testserver/sms/twilio/inbound/", fields)
    response = client.post(
        "/sms/twilio/inbound/",
        data="&".join(f"{name}={value}".replace("+", "%2B") for name, value in fields),
        content_type="application/x-www-form-urlencoded",
        headers={"X-Twilio-Signature": signature},
    )
    assert response.status_code == 200
    assert InboundText.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_end_to_end_over_http_a_text_sent_through_twilio_is_reported_delivered(settings, live_server, organisation):
    """The outbox sends to the fake Twilio, which calls the live server back
    over HTTP at the StatusCallback it was given, signed as Twilio signs."""
    with FakeSmsProvider() as provider:
        settings.TWILIO_API_URL = provider.url
        settings.TWILIO_ACCOUNT_SID = TWILIO_SID
        settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
        settings.SMS_PUBLIC_BASE_URL = live_server.url
        sent = sent_text(settings, provider, organisation, "twilio")
        status, _ = provider.twilio_status(live_server.url, sent, "delivered")
    assert status == 204
    assert Notification.objects.get(provider_message_id=sent.message_id).delivery_status == DeliveryStatus.DELIVERED
