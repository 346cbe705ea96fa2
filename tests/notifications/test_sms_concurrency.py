"""Providers retry webhooks, sometimes all at once: real threads, each with
its own database connection. The same text delivered six times at once is
kept once and announced once; receipts racing each other never leave a
delivered text marked not delivered. PostgreSQL only (SQLite serialises
every writer)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from operations.notifications.inbound import receive_text, text_received
from operations.notifications.models import Channel, DeliveryStatus, InboundText, Notification, Status
from operations.notifications.services import notification_record_receipt
from tests.factories import NotificationFactory
from tests.groups.test_concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_same_text_delivered_six_times_at_once_is_kept_and_announced_once(organisation):
    heard: list[int] = []
    lock = threading.Lock()

    def receiver(sender, inbound, **kwargs):
        with lock:
            heard.append(inbound.pk)

    text_received.connect(receiver)
    try:
        results = race(
            lambda i: receive_text(
                provider="twilio",
                provider_message_id="SM" + "9" * 32,
                from_number="+447700900123",
                to_number="+447700900001",
                body="YES",
                received_at=dt.datetime(2028, 2, 14, 10, 2, tzinfo=dt.UTC),
            ),
            6,
        )
    finally:
        text_received.disconnect(receiver)
    assert InboundText.objects.count() == 1
    assert sum(created for _, created in results) == 1
    assert heard == [InboundText.objects.get().pk]


def test_racing_receipts_never_move_a_delivered_text_back(organisation):
    notification = NotificationFactory(
        organisation=organisation,
        channel=Channel.SMS,
        recipient_user=None,
        recipient_address="+447700900123",
        status=Status.SENT,
        provider_message_id="SM" + "8" * 32,
    )
    race(
        lambda i: notification_record_receipt(
            provider_message_id="SM" + "8" * 32, delivered=i % 2 == 0, detail="number not in service"
        ),
        6,
    )
    notification.refresh_from_db()
    assert notification.delivery_status == DeliveryStatus.DELIVERED
    assert Notification.objects.filter(delivery_status=DeliveryStatus.FAILED).count() == 0
