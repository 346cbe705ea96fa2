"""Every reminder sent once, none lost — proved with real Celery workers on a
real Redis (required in CI): a burst shared by two workers, a worker killed
mid-batch, and a broker outage while a request writes a reminder."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone
from kombu import Connection

from operations.celery import app as celery_app
from operations.groups.services import booking_create
from operations.notifications.models import Channel, Notification, Status
from operations.notifications.scan import reminders_scan
from operations.notifications.services import notification_write
from operations.notifications.tasks import send_notification, sweep_notifications
from tests.factories import GroupSessionFactory, ParentFactory
from tests.notifications.recording import recorded_keys
from tests.worker import RealWorker, point_publisher_at, publisher_settings, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

QUEUES = "reminders,default"


def private_redis_url() -> str:
    # A database of its own, so nothing else queued on this Redis interferes.
    base = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0]
    url = f"{base}/13"
    Connection(url).default_channel.client.flushdb()
    return url


def write_due_reminders(organisation, count: int, prefix: str) -> list[int]:
    ids = []
    for index in range(count):
        notification, _ = notification_write(
            key=f"{prefix}-{index}",
            kind="session_reminder",
            channel=Channel.SMS,
            organisation=organisation,
            subject="Group tomorrow",
            body="Your group meets tomorrow at 10:00.",
            recipient_address="+447700900123",
        )
        ids.append(notification.pk)
    return ids


def worker_for(tmp_path, redis_url, record_path, **env) -> RealWorker:
    return RealWorker(
        tmp_path,
        redis_url=redis_url,
        queues=QUEUES,
        extra_env={
            "SMS_BACKEND": "tests.notifications.recording.RecordingSms",
            "SMS_RECORD_PATH": str(record_path),
            **env,
        },
    )


def sent_count() -> int:
    return Notification.objects.filter(status=Status.SENT).count()


@pytest.fixture
def quiet_hours_off(monkeypatch):
    # The workers are real processes: quiet hours would hold SMS at night.
    return {"NOTIFICATION_TEST_IGNORE_QUIET_HOURS": "1"}


def test_a_burst_handed_out_twice_to_two_workers_is_sent_exactly_once(organisation, tmp_path, quiet_hours_off):
    redis_url = private_redis_url()
    record = tmp_path / "sms.jsonl"
    ids = write_due_reminders(organisation, 300, "burst")
    worker = worker_for(tmp_path, redis_url, record, **quiet_hours_off)
    worker.start(name="a", concurrency=2)
    worker.start(name="b", concurrency=2)
    try:
        with Connection(redis_url) as conn:
            for notification_id in ids + ids:  # every row enqueued twice
                send_notification.apply_async((notification_id,), connection=conn, queue="reminders")
        assert wait_until(lambda: sent_count() == 300, timeout=120), f"only {sent_count()} of 300 sent"
    finally:
        worker.stop()
    keys = recorded_keys(record)
    assert len(keys) == 300
    assert max(Counter(keys).values()) == 1
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_nothing(organisation, tmp_path, quiet_hours_off):
    redis_url = private_redis_url()
    record = tmp_path / "sms.jsonl"
    ids = write_due_reminders(organisation, 120, "crash")
    env = {**quiet_hours_off, "SMS_RECORD_DELAY": "0.05", "NOTIFICATION_CLAIM_TIMEOUT_SECONDS": "2"}
    worker = worker_for(tmp_path, redis_url, record, **env)
    first = worker.start(name="doomed", concurrency=2)
    try:
        with Connection(redis_url) as conn:
            for notification_id in ids:
                send_notification.apply_async((notification_id,), connection=conn, queue="reminders")
        assert wait_until(lambda: sent_count() >= 20, timeout=60)
        worker.kill(first)
        in_flight = Notification.objects.filter(status=Status.SENDING).count()
        assert sent_count() < 120, "the worker finished before it could be killed"

        worker.start(name="restarted", concurrency=2)

        def all_sent() -> bool:
            # Beat's sweep, run by hand: re-offers stale claims, enqueues due rows.
            with Connection(redis_url) as conn:
                sweep_notifications.apply_async(connection=conn, queue="default")
            return wait_until(lambda: sent_count() == 120, timeout=5)

        assert wait_until(all_sent, timeout=120, interval=0), f"only {sent_count()} of 120 sent"
    finally:
        worker.stop()
    keys = recorded_keys(record)
    assert set(keys) == {f"crash-{index}" for index in range(120)}  # none lost
    # A row can only be delivered twice if the kill fell between the
    # provider accepting it and the row being marked sent: at most the rows
    # in flight at that moment. The outbox key goes to the provider as its
    # idempotency key (Message-ID, Idempotency-Key), so the recipient still
    # gets it once where the provider honours it.
    duplicates = sum(count - 1 for count in Counter(keys).values())
    assert duplicates <= in_flight
    assert Notification.objects.exclude(status=Status.SENT).count() == 0


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs the redis-server binary")
def test_with_the_broker_down_a_request_still_succeeds_and_the_reminder_goes_later(
    organisation, coordinator, tmp_path, quiet_hours_off
):
    port = free_port()  # never a fixed port: shutting it down could stop another Redis
    redis_url = f"redis://127.0.0.1:{port}/0"

    def start_redis():
        subprocess.run(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "yes", "--dir", str(tmp_path)],
            check=True,
        )  # fmt: skip
        assert wait_until(lambda: _pings(redis_url), timeout=10)

    def stop_redis():
        subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], check=False, capture_output=True)
        assert wait_until(lambda: not _pings(redis_url), timeout=10)

    # The web process publishes to the broker that is about to go down.
    saved = publisher_settings(celery_app)
    point_publisher_at(celery_app, **{**saved, "broker_url": redis_url})
    stop_redis()
    record = tmp_path / "sms.jsonl"
    try:
        # A coordinator books a parent onto a session starting in two hours,
        # and the reminders scan runs, all while the broker is down.
        session = _session_soon(organisation)
        parent = ParentFactory(
            organisation=organisation, phone="07700900123", safe_sms=True, contact_safety_recorded_at=timezone.now()
        )
        started = time.monotonic()
        booking = booking_create(session_id=session.pk, actor=coordinator, parent=parent)
        assert booking.status == "booked"
        reminders_scan()
        assert time.monotonic() - started < 15, "a request waited too long for the broker"
        notification = Notification.objects.get(kind="session_reminder")
        assert notification.status == Status.PENDING

        start_redis()
        worker = worker_for(tmp_path, redis_url, record, **quiet_hours_off)
        worker.start(name="after-outage")
        try:
            with Connection(redis_url) as conn:
                sweep_notifications.apply_async(connection=conn, queue="default")
            assert wait_until(lambda: sent_count() == 1, timeout=60)
        finally:
            worker.stop()
    finally:
        subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], check=False, capture_output=True)
        point_publisher_at(celery_app, **saved, close_connections=True)
    assert recorded_keys(record) == [notification.key]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _pings(url: str) -> bool:
    import redis

    try:
        return redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        return False


def _session_soon(organisation):
    from tests.groups.helpers import make_group

    starts = timezone.now() + timedelta(hours=2)
    # The group meets weekly on another day than this extra session's: near
    # midnight before a meeting day the two would share an occurrence date.
    group = make_group(organisation, weekday=(timezone.localtime(starts).weekday() + 3) % 7)
    return GroupSessionFactory(
        organisation=organisation,
        group=group,
        occurrence=starts.date(),
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        adult_places=10,
    )


def test_a_real_worker_asks_the_parents_record_again_and_sends_nothing_unsafe(
    organisation, coordinator, tmp_path, quiet_hours_off
):
    """Three SMS are waiting when the record changes underneath them (as a
    row already handed to a worker would see it): SMS no longer safe, the
    processing restricted, the record erased. A real worker on Redis sends
    only the fourth, whose parent's record still allows it."""
    redis_url = private_redis_url()
    record = tmp_path / "sms.jsonl"
    safe = {"phone": "07700900123", "safe_sms": True, "contact_safety_recorded_at": timezone.now()}
    parents = {
        name: ParentFactory(organisation=organisation, **safe) for name in ("unsafe", "restricted", "erased", "ok")
    }
    ids = {}
    for name, parent in parents.items():
        notification, _ = notification_write(
            key=f"parent-{name}",
            kind="session_reminder",
            channel=Channel.SMS,
            organisation=organisation,
            subject="Group tomorrow",
            body="Your group meets tomorrow at 10:00.",
            recipient_address=parent.phone,
            recipient_parent=parent,
            due_at=timezone.now() + timedelta(hours=1),
        )
        ids[name] = notification.pk
    Parent = type(parents["ok"])
    Parent.objects.filter(pk=parents["unsafe"].pk).update(safe_sms=False)
    Parent.objects.filter(pk=parents["restricted"].pk).update(processing_restricted=True)
    Parent.objects.filter(pk=parents["erased"].pk).update(erased_at=timezone.now())
    Notification.objects.filter(pk__in=ids.values()).update(due_at=timezone.now())

    worker = worker_for(tmp_path, redis_url, record, **quiet_hours_off)
    worker.start(name="recheck")
    try:
        with Connection(redis_url) as conn:
            for notification_id in ids.values():
                send_notification.apply_async((notification_id,), connection=conn, queue="reminders")
        assert wait_until(lambda: not Notification.objects.filter(pk__in=ids.values(), status="pending").exists())
        assert wait_until(lambda: not Notification.objects.filter(pk__in=ids.values(), status="sending").exists())
    finally:
        worker.stop()
    assert recorded_keys(record) == ["parent-ok"]
    status = dict(Notification.objects.filter(pk__in=ids.values()).values_list("key", "status"))
    assert status == {
        "parent-unsafe": Status.CANCELLED,
        "parent-restricted": Status.CANCELLED,
        "parent-erased": Status.CANCELLED,
        "parent-ok": Status.SENT,
    }
    told = Notification.objects.filter(recipient_user=coordinator, kind="message_withheld").values_list(
        "body", flat=True
    )
    assert [f"parent #{parents['unsafe'].pk}" in body for body in told] == [True]
