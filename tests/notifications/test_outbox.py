"""The outbox without a worker: write once, claim once, quiet hours,
failures and retries, and who sees which notification."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from operations.notifications import channels, rules
from operations.notifications.models import Channel, Notification, Status
from operations.notifications.services import (
    RetryLater,
    notification_mark_read,
    notification_send,
    notification_sweep,
    notification_write,
)
from tests.notifications.conftest import sent_sms
from tests.notifications.test_pages_at_scale import QUERIES

LOG_QUERIES = QUERIES["/notifications/log/"]  # named there


@pytest.fixture(autouse=True)
def _midday():
    """Tests that are not about quiet hours send at midday, whatever the hour
    the suite runs (CI may run at night); those that are travel again."""
    with time_machine.travel(datetime(2026, 12, 1, 12, 0, tzinfo=UTC), tick=True):
        yield


def write(organisation, *, key="k1", channel=Channel.SMS, due_at=None, **kwargs):
    defaults = {"recipient_address": "+447700900123"} if channel == Channel.SMS else {}
    return notification_write(
        key=key,
        kind="test",
        channel=channel,
        organisation=organisation,
        subject="Reminder",
        body="See you tomorrow",
        due_at=due_at,
        **{**defaults, **kwargs},
    )


@pytest.mark.parametrize(
    ("utc_time", "quiet"),
    [("20:59", False), ("21:00", True), ("23:30", True), ("07:59", True), ("08:00", False), ("12:00", False)],
)
def test_quiet_hours_are_21_to_8_uk_time(utc_time, quiet):
    hour, minute = map(int, utc_time.split(":"))
    assert rules.in_quiet_hours(datetime(2026, 12, 1, hour, minute, tzinfo=UTC)) is quiet  # GMT in December


def test_quiet_hours_follow_british_summer_time():
    # 20:30 UTC in July is 21:30 in London.
    assert rules.in_quiet_hours(datetime(2026, 7, 1, 20, 30, tzinfo=UTC)) is True
    assert rules.end_of_quiet_hours(datetime(2026, 7, 1, 20, 30, tzinfo=UTC)) == datetime(2026, 7, 2, 7, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_writing_the_same_reminder_twice_keeps_one_row(organisation):
    _, created = write(organisation)
    _, created_again = write(organisation)
    assert (created, created_again) == (True, False)
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_a_row_is_sent_once_however_often_it_is_handed_to_a_sender(organisation, sms_file):
    notification, _ = write(organisation)
    assert notification_send(notification_id=notification.pk) == Status.SENT
    assert notification_send(notification_id=notification.pk) == "not-claimed"
    assert len(sent_sms(sms_file)) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1
    assert notification.sent_at is not None


@pytest.mark.django_db
def test_a_row_not_yet_due_is_not_sent(organisation, sms_file):
    notification, _ = write(organisation, due_at=datetime(2030, 1, 1, tzinfo=UTC))
    assert notification_send(notification_id=notification.pk) == "not-claimed"
    assert sent_sms(sms_file) == []


@pytest.mark.django_db
def test_sms_waits_for_the_morning_in_quiet_hours(organisation, sms_file):
    with time_machine.travel(datetime(2026, 12, 1, 22, 15, tzinfo=UTC), tick=False):
        notification, _ = write(organisation)
        assert notification_send(notification_id=notification.pk) == Status.PENDING
    notification.refresh_from_db()
    assert notification.due_at == datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    assert notification.attempts == 0
    assert sent_sms(sms_file) == []
    with time_machine.travel(datetime(2026, 12, 2, 8, 1, tzinfo=UTC), tick=False):
        assert notification_send(notification_id=notification.pk) == Status.SENT


@pytest.mark.django_db
def test_in_app_notifications_are_not_held_by_quiet_hours(organisation, coordinator):
    with time_machine.travel(datetime(2026, 12, 1, 23, 0, tzinfo=UTC), tick=False):
        notification, _ = write(organisation, channel=Channel.IN_APP, recipient_user=coordinator)
        assert notification_send(notification_id=notification.pk) == Status.SENT


class FlakySms:
    calls = 0

    def send(self, message):
        FlakySms.calls += 1
        raise channels.TransientSendError("provider timed out")


@pytest.mark.django_db
def test_transient_failures_back_off_then_fail_and_show_the_error(organisation, settings, monkeypatch):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    monkeypatch.setitem(channels.SMS_BACKENDS, "flaky", FlakySms)
    settings.SMS_BACKEND = "flaky"
    notification, _ = write(organisation)
    start = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    for attempt in (1, 2):
        with time_machine.travel(start.replace(hour=12 + attempt), tick=False), pytest.raises(RetryLater):
            notification_send(notification_id=notification.pk)
        notification.refresh_from_db()
        assert notification.status == Status.PENDING
        assert notification.last_error == "provider timed out"
    with time_machine.travel(start.replace(hour=16), tick=False):
        assert notification_send(notification_id=notification.pk) == Status.FAILED
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.FAILED, 3)


@pytest.mark.django_db
def test_a_bad_address_fails_at_once(organisation, coordinator):
    coordinator.email = ""
    coordinator.save()
    notification, _ = write(organisation, channel=Channel.EMAIL, recipient_user=coordinator)
    assert notification_send(notification_id=notification.pk) == Status.FAILED
    notification.refresh_from_db()
    assert notification.last_error == "no address for this channel"


@pytest.mark.django_db
def test_email_carries_the_key_as_message_id(organisation, coordinator, mailoutbox):
    notification, _ = write(organisation, channel=Channel.EMAIL, recipient_user=coordinator, key="pvg-renewal-7-3m")
    notification_send(notification_id=notification.pk)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].extra_headers["Message-ID"].startswith("<pvg-renewal-7-3m@")
    assert mailoutbox[0].to == ["coordinator@example.org"]


@pytest.mark.django_db
def test_sweep_reoffers_rows_whose_worker_died_mid_send(organisation, settings):
    settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS = 60
    notification, _ = write(organisation)
    Notification.objects.filter(pk=notification.pk).update(
        status=Status.SENDING, claimed_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    assert notification_sweep() == 1
    notification.refresh_from_db()
    assert notification.status == Status.PENDING


@pytest.mark.django_db
def test_one_sweep_hands_out_a_whole_backlog_in_batches_each_row_once(organisation, monkeypatch):
    from operations.notifications import services

    # 2,500 rows written while the broker was down, some due at the same moment.
    now = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)
    Notification.objects.bulk_create(
        Notification(
            key=f"backlog-{index}",
            kind="test",
            channel=Channel.SMS,
            organisation=organisation,
            subject="Reminder",
            body="See you",
            recipient_address="+447700900123",
            due_at=now.replace(minute=index % 50),
        )
        for index in range(2500)
    )
    handed_out = []
    monkeypatch.setattr(services, "enqueue_send", lambda pk: handed_out.append(pk) or True)
    assert notification_sweep(batch=1000) == 2500
    assert len(handed_out) == len(set(handed_out)) == 2500


@pytest.mark.django_db
def test_volunteers_see_only_their_own_notifications(organisation, coordinator, volunteer, volunteer_client):
    mine, _ = write(organisation, key="mine", channel=Channel.IN_APP, recipient_user=volunteer)
    write(organisation, key="theirs", channel=Channel.IN_APP, recipient_user=coordinator)
    for row in Notification.objects.all():
        notification_send(notification_id=row.pk)
    assert list(Notification.objects.visible_to(volunteer)) == [mine]
    assert volunteer_client.get(reverse("notifications:log")).status_code == 403
    page = volunteer_client.get(reverse("notifications:centre")).content.decode()
    assert page.count("See you tomorrow") == 1
    assert notification_mark_read(user=volunteer) == 1


@pytest.mark.django_db
def test_the_bell_counts_unread_notifications(organisation, coordinator, coordinator_client):
    notification, _ = write(organisation, channel=Channel.IN_APP, recipient_user=coordinator)
    notification_send(notification_id=notification.pk)
    page = coordinator_client.get(reverse("home")).content.decode()
    assert '1<span class="visually-hidden"> unread</span>' in page
    coordinator_client.post(reverse("notifications:mark-read"))
    assert "unread</span>" not in coordinator_client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_log_shows_failures_and_a_retry_puts_the_row_back(organisation, coordinator_client, other_organisation):
    notification, _ = write(organisation)
    Notification.objects.filter(pk=notification.pk).update(status=Status.FAILED, last_error="provider answered 503")
    elsewhere, _ = write(other_organisation, key="elsewhere")
    page = coordinator_client.get(reverse("notifications:log"), {"status": "failed"}).content.decode()
    assert "provider answered 503" in page
    assert coordinator_client.post(reverse("notifications:retry", args=[elsewhere.pk])).status_code == 404
    coordinator_client.post(reverse("notifications:retry", args=[notification.pk]))
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.PENDING, 0)


@pytest.mark.django_db
def test_notification_log_query_count_does_not_grow_with_rows(
    organisation, coordinator, coordinator_client, django_assert_num_queries
):
    url = reverse("notifications:log")
    for rows in (3, 40):
        for index in range(rows):
            write(organisation, key=f"q{rows}-{index}", channel=Channel.IN_APP, recipient_user=coordinator)
        coordinator_client.get(url)  # warm-up: the first view fills per-process caches
        with django_assert_num_queries(LOG_QUERIES):
            assert coordinator_client.get(url).status_code == 200
