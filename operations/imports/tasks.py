"""Thin tasks on the "exports" queue (long runs): ids in, a service call."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from operations.imports import services


@shared_task(
    name="operations.imports.tasks.check_batch",
    bind=True,
    acks_late=True,
    soft_time_limit=settings.IMPORT_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.IMPORT_TASK_SOFT_TIME_LIMIT + 60,
)
def check_batch(self, batch_id: int, actor_id: int | None = None) -> str:
    return _again_if_held(self, batch_id, services.run_check(batch_id, actor_id=actor_id))


@shared_task(
    name="operations.imports.tasks.apply_batch",
    bind=True,
    acks_late=True,
    soft_time_limit=settings.IMPORT_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.IMPORT_TASK_SOFT_TIME_LIMIT + 60,
)
def apply_batch(self, batch_id: int, actor_id: int | None = None) -> str:
    return _again_if_held(self, batch_id, services.run_apply(batch_id, actor_id=actor_id))


def _again_if_held(task, batch_id: int, outcome: str) -> str:
    """Delivered again while the batch's run still looks alive: its pool
    process was killed (out of memory, say) and the broker gave the task
    straight back. Looks again once that run is past its limit, and takes it
    up then if it never finished (a live run has ended by then)."""
    if outcome == "not-claimed":
        wait = services.seconds_until_unheld(batch_id)
        if wait is not None:
            raise task.retry(countdown=wait, max_retries=3)
    return outcome


@shared_task(name="operations.imports.tasks.purge_expired_imports", acks_late=True, soft_time_limit=300, time_limit=360)
def purge_expired_imports() -> int:
    return services.expired_batches_purge()


@shared_task(name="operations.imports.tasks.sweep_stopped_imports", acks_late=True, soft_time_limit=120, time_limit=180)
def sweep_stopped_imports() -> int:
    return services.stopped_runs_fail()
