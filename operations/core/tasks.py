"""Base-layer tasks. Thin: they take ids (or nothing) and call a service."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from operations.core.models import WorkerHeartbeat


@shared_task(name="operations.core.tasks.record_heartbeat", acks_late=True)
def record_heartbeat(name: str = "worker") -> None:
    """Records that a worker ran a task: beat → broker → worker → database."""
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})
