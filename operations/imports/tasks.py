"""Thin tasks on the "exports" queue (long runs): ids in, a service call."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from operations.imports import services


@shared_task(
    name="operations.imports.tasks.check_batch",
    acks_late=True,
    soft_time_limit=settings.IMPORT_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.IMPORT_TASK_SOFT_TIME_LIMIT + 60,
)
def check_batch(batch_id: int, actor_id: int | None = None) -> str:
    return services.run_check(batch_id, actor_id=actor_id)


@shared_task(
    name="operations.imports.tasks.apply_batch",
    acks_late=True,
    soft_time_limit=settings.IMPORT_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.IMPORT_TASK_SOFT_TIME_LIMIT + 60,
)
def apply_batch(batch_id: int, actor_id: int | None = None) -> str:
    return services.run_apply(batch_id, actor_id=actor_id)


@shared_task(name="operations.imports.tasks.purge_expired_imports", acks_late=True, soft_time_limit=300, time_limit=360)
def purge_expired_imports() -> int:
    return services.expired_batches_purge()


@shared_task(name="operations.imports.tasks.sweep_stopped_imports", acks_late=True, soft_time_limit=120, time_limit=180)
def sweep_stopped_imports() -> int:
    return services.stopped_runs_fail()
