"""Thin tasks on the "exports" queue: an id in, a service call."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from operations.evaluation import services
from operations.evaluation.pooled import services as pooled_services


@shared_task(
    name="operations.evaluation.tasks.build_export",
    acks_late=True,
    soft_time_limit=settings.EXPORT_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.EXPORT_TASK_SOFT_TIME_LIMIT + 60,
)
def build_export(export_id: int) -> str:
    return services.export_build(export_id=export_id)


@shared_task(
    name="operations.evaluation.tasks.purge_expired_exports", acks_late=True, soft_time_limit=300, time_limit=360
)
def purge_expired_exports() -> int:
    return services.expired_exports_purge()


@shared_task(
    name="operations.evaluation.tasks.build_pooled_export",
    acks_late=True,
    soft_time_limit=settings.EXPORT_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.EXPORT_TASK_SOFT_TIME_LIMIT + 60,
)
def build_pooled_export(export_id: int) -> str:
    return pooled_services.pooled_export_build(export_id=export_id)
