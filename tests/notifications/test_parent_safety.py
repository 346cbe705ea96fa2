"""A message to a parent is checked against their record again just before
it goes: a channel that became unsafe, a service that may no longer be
named, a restriction or an erasure stops it, and coordinators are told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from operations.notifications.models import Channel, Notification, Status
from operations.notifications.services import (
    notification_claim,
    notification_deliver_claimed,
    notification_send,
    notification_write,
)
from referrals import services as referral_services
from tests.factories import ParentFactory
from tests.notifications.conftest import sent_sms

MIDDAY = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _midday():
    with time_machine.travel(MIDDAY, tick=True):
        yield


@pytest.fixture
def parent(organisation):
    return ParentFactory(
        organisation=organisation,
        phone="07700900123",
        email="rhona@example.org",
        safe_sms=True,
        safe_email=True,
        may_name_service=True,
        contact_safety_recorded_at=timezone.now(),
    )


def message_to(parent, *, key="reminder-1", channel=Channel.SMS, names_service=True, due_at=None):
    notification, _ = notification_write(
        key=key,
        kind="session_reminder",
        channel=channel,
        organisation=parent.organisation,
        subject="Tweed Valley Mums tomorrow" if names_service else "Tomorrow",
        body="See you at 10:00.",
        recipient_address=parent.phone if channel == Channel.SMS else parent.email,
        recipient_parent=parent,
        names_service=names_service,
        due_at=due_at,
    )
    return notification


def sms_no_longer_safe(parent, actor) -> None:
    referral_services.parent_record_contact_safety(actor=actor, parent=parent, data={"safe_sms": False})


def coordinator_notes(coordinator):
    return Notification.objects.filter(recipient_user=coordinator, kind="message_withheld")


@pytest.mark.django_db
def test_a_safe_message_is_sent(parent, sms_file):
    notification = message_to(parent)
    assert notification_send(notification_id=notification.pk) == Status.SENT
    assert [sms["to"] for sms in sent_sms(sms_file)] == ["07700900123"]


@pytest.mark.django_db
def test_sms_made_unsafe_while_waiting_cancels_the_message_at_once_and_tells_the_coordinators(
    parent, coordinator, sms_file
):
    notification = message_to(parent, due_at=timezone.now() + timedelta(hours=3))
    sms_no_longer_safe(parent, coordinator)

    notification.refresh_from_db()
    assert notification.status == Status.CANCELLED
    assert notification.cancelled_reason == "Text message is no longer recorded as safe."
    # Due now, a worker given the row anyway sends nothing.
    Notification.objects.filter(pk=notification.pk).update(due_at=timezone.now())
    assert notification_send(notification_id=notification.pk) == "not-claimed"
    assert sent_sms(sms_file) == []
    note = coordinator_notes(coordinator).get()
    assert f"parent #{parent.pk}" in note.body
    assert "another way" in note.body
    assert parent.first_name not in note.subject + note.body  # by record number only
    assert note.link == f"/referrals/parents/{parent.pk}/"


@pytest.mark.django_db
def test_a_message_claimed_just_before_the_change_is_not_sent(parent, coordinator, sms_file):
    notification = message_to(parent)
    now = timezone.now()
    assert notification_claim(notification_id=notification.pk, now=now)
    sms_no_longer_safe(parent, coordinator)  # the worker has the row, not yet the provider
    assert notification_deliver_claimed(notification_id=notification.pk, now=now) == Status.CANCELLED
    assert sent_sms(sms_file) == []
    notification.refresh_from_db()
    assert (notification.status, notification.cancelled_reason) == (
        Status.CANCELLED,
        "Text message is no longer recorded as safe.",
    )
    assert coordinator_notes(coordinator).count() == 1


@pytest.mark.django_db
def test_an_sms_held_for_quiet_hours_is_not_sent_in_the_morning_once_unsafe(parent, coordinator, sms_file):
    with time_machine.travel(datetime(2026, 12, 1, 22, 30, tzinfo=UTC)):
        notification = message_to(parent)
        assert notification_send(notification_id=notification.pk) == Status.PENDING  # held for the morning
    with time_machine.travel(datetime(2026, 12, 2, 6, 0, tzinfo=UTC)):
        sms_no_longer_safe(parent, coordinator)
    with time_machine.travel(datetime(2026, 12, 2, 8, 1, tzinfo=UTC)):
        assert notification_send(notification_id=notification.pk) == "not-claimed"
    notification.refresh_from_db()
    assert notification.status == Status.CANCELLED
    assert sent_sms(sms_file) == []


@pytest.mark.django_db
def test_a_message_naming_the_service_stops_when_it_may_no_longer_be_named_a_neutral_one_goes(
    parent, coordinator, sms_file
):
    named = message_to(parent, key="named", names_service=True)
    neutral = message_to(parent, key="neutral", names_service=False)
    referral_services.parent_record_contact_safety(actor=coordinator, parent=parent, data={"may_name_service": False})
    named.refresh_from_db()
    assert (named.status, named.cancelled_reason) == (
        Status.CANCELLED,
        "Messages may no longer name the service or group.",
    )
    assert notification_send(notification_id=neutral.pk) == Status.SENT
    assert len(sent_sms(sms_file)) == 1


@pytest.mark.django_db
def test_a_changed_number_gets_the_message_never_the_old_one(parent, coordinator, sms_file):
    notification = message_to(parent)
    referral_services.parent_update(actor=coordinator, parent=parent, data={"phone": "07700900999"})
    assert notification_send(notification_id=notification.pk) == Status.SENT
    assert [sms["to"] for sms in sent_sms(sms_file)] == ["07700900999"]


@pytest.mark.django_db
def test_restriction_cancels_every_waiting_message_and_nobody_is_asked_to_chase(parent, manager, coordinator, sms_file):
    sms = message_to(parent, key="sms")
    email = message_to(parent, key="email", channel=Channel.EMAIL)
    referral_services.parent_restrict(
        actor=manager, parent=parent, requested_on=timezone.localdate(), reason="Contests the record"
    )
    for notification in (sms, email):
        notification.refresh_from_db()
        assert (notification.status, notification.cancelled_reason) == (
            Status.CANCELLED,
            "Processing of the parent's record is restricted.",
        )
    assert not coordinator_notes(coordinator).exists()
    assert notification_send(notification_id=sms.pk) == "not-claimed"
    assert sent_sms(sms_file) == []


@pytest.mark.django_db
def test_erasure_cancels_waiting_messages_and_removes_address_and_wording_of_all(parent, manager, sms_file):
    sent = message_to(parent, key="sent")
    assert notification_send(notification_id=sent.pk) == Status.SENT
    waiting = message_to(parent, key="waiting", due_at=timezone.now() + timedelta(days=1))
    referral_services.parent_erase(actor=manager, parent=parent)

    waiting.refresh_from_db()
    assert (waiting.status, waiting.cancelled_reason) == (Status.CANCELLED, "The parent's record was erased.")
    for row in Notification.objects.filter(pk__in=[sent.pk, waiting.pk]):
        assert (row.recipient_address, row.body) == ("", "")
        assert "Tweed" not in row.subject
    assert Notification.objects.get(pk=sent.pk).status == Status.SENT  # still counted as sent


@pytest.mark.django_db
def test_messages_to_the_parent_are_in_their_subject_access_report(parent, manager):
    message_to(parent)
    sections = referral_services.parent_subject_access(actor=manager, parent=parent)
    messages = next(section for section in sections if section.title == "Messages sent to the parent")
    assert messages.rows[0]["Subject"] == "Tweed Valley Mums tomorrow"
    assert messages.rows[0]["How"] == "Text message"
