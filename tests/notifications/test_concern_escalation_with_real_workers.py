"""A concern nobody acknowledges reaches the manager exactly once, proved
with real Celery workers on a real Redis and PostgreSQL (required in CI):
the escalation task is run by two workers at once and again afterwards,
as an overlapping beat or a retry would, and the manager still gets one
message in the app and one email, the on-call phone one SMS, and the
concern's timeline one "escalated" step."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from kombu import Connection

from operations.celery import app as celery_app
from operations.core.models import Role
from operations.notifications.models import Channel, Notification, Status
from tests.factories import member
from tests.notifications.recording import recorded_keys
from tests.notifications.test_delivery_with_real_workers import private_redis_url
from tests.worker import RealWorker, point_publisher_at, publisher_settings, wait_until
from volunteers.safeguarding import services as safeguarding
from volunteers.safeguarding.models import About, Concern, EventKind, Kind, SafeguardingSettings, Urgency
from volunteers.safeguarding.tasks import escalate_concerns

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ON_CALL = "07700900999"


def drained(redis_url: str) -> bool:
    """Nothing waiting in the workers' queues and nothing being worked on
    (a task taken by a worker sits in ``unacked`` until it finishes)."""
    client = Connection(redis_url).default_channel.client
    return not (client.llen("default") or client.llen("reminders") or client.hlen("unacked"))


def still_drained(redis_url: str) -> bool:
    """Drained again a moment later: no task was between the queue and a worker."""
    time.sleep(0.5)
    return drained(redis_url)


def test_with_nobody_acknowledging_the_escalation_reaches_the_manager_exactly_once(
    organisation, coordinator, manager, volunteer, match, tmp_path
):
    deputy = member(username="deputy", organisation=organisation, role=Role.PSO)
    config = SafeguardingSettings.objects.get(organisation=organisation)
    config.deputy = deputy
    config.on_call_phone = ON_CALL
    config.save()

    redis_url = private_redis_url()
    saved = publisher_settings(celery_app)
    # This process publishes where the workers listen (the raised concern's messages too).
    point_publisher_at(celery_app, broker_url=redis_url, routes=saved["routes"])
    record = tmp_path / "sms.jsonl"
    worker = RealWorker(
        tmp_path,
        redis_url=redis_url,
        queues="default,reminders",
        extra_env={"SMS_BACKEND": "tests.notifications.recording.RecordingSms", "SMS_RECORD_PATH": str(record)},
    )
    try:
        concern = safeguarding.concern_raise(
            actor=volunteer,
            data={
                "about": About.PARENT,
                "kind": Kind.MENTAL_HEALTH,
                "urgency": Urgency.DANGER_NOW,
                "details": "She talked about ending her life.",
                "match": match,
            },
        )
        # Nobody acknowledged it, and its 30 minutes are up.
        Concern.objects.filter(pk=concern.pk).update(escalate_at=timezone.now() - timedelta(minutes=1))

        with Connection(redis_url) as conn:
            # Two runs already waiting when two workers start: they run at once.
            for _ in range(2):
                escalate_concerns.apply_async(connection=conn, queue="default")
        output = tmp_path / "worker.log"
        worker.start(name="a", concurrency=2, output=output)
        worker.start(name="b", concurrency=2, output=output)
        assert wait_until(lambda: concern.events.filter(kind=EventKind.ESCALATED).exists(), timeout=60)
        with Connection(redis_url) as conn:
            # And the beat's next minutes, twice more.
            for _ in range(3):
                escalate_concerns.apply_async(connection=conn, queue="default")

        def settled() -> bool:
            escalated = Notification.objects.filter(kind="concern_escalated")
            return (
                drained(redis_url)
                and escalated.exists()
                and not escalated.exclude(status=Status.SENT).exists()
                and still_drained(redis_url)
            )

        assert wait_until(settled, timeout=120), "the escalation was not sent"
    finally:
        worker.stop()
        point_publisher_at(celery_app, **saved)

    to_manager = Notification.objects.filter(kind="concern_escalated", recipient_user=manager)
    assert sorted(to_manager.values_list("channel", "status")) == [
        (Channel.EMAIL, Status.SENT),
        (Channel.IN_APP, Status.SENT),
    ]
    assert Notification.objects.filter(kind="concern_escalated", recipient_user=deputy).count() == 2
    assert concern.events.filter(kind=EventKind.ESCALATED).count() == 1
    concern.refresh_from_db()
    assert concern.escalated_at is not None
    # The on-call phone: one SMS when it was raised, one when it escalated.
    assert sorted(recorded_keys(record)) == [
        f"concern-escalated:{concern.pk}:on-call:sms",
        f"concern-raised:{concern.pk}:on-call:sms",
    ]
