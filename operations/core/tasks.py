"""Base-layer tasks. Thin: they take ids (or nothing) and call a service."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from operations.core.models import WorkerHeartbeat


@shared_task(name="operations.core.tasks.record_heartbeat", acks_late=True)
def record_heartbeat(name: str = "worker") -> None:
    """Records that a worker ran a task: beat → broker → worker → database."""
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})


@shared_task(name="operations.core.tasks.retention_dry_runs", acks_late=True, soft_time_limit=600, time_limit=660)
def retention_dry_runs() -> int:
    """A dry run for every organisation, for its managers to review and apply."""
    from operations.core.models import Organisation
    from operations.core.retention import retention_dry_run

    organisation_ids = list(Organisation.objects.values_list("pk", flat=True))
    for organisation_id in organisation_ids:
        retention_dry_run(organisation_id=organisation_id)
    return len(organisation_ids)
