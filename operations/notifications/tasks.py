"""Thin tasks: ids in, a service call, nothing personal in the arguments."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from operations.notifications import services


@shared_task(
    bind=True,
    name="operations.notifications.tasks.send_notification",
    acks_late=True,
    soft_time_limit=30,
    time_limit=60,
)
def send_notification(self, notification_id: int) -> str:
    try:
        return services.notification_send(notification_id=notification_id)
    except services.RetryLater as exc:
        # The row is already back to pending with its next due time; this
        # retry is the fast path, the sweep the safety net if it is lost.
        raise self.retry(exc=exc, countdown=exc.delay_seconds, max_retries=settings.NOTIFICATION_MAX_ATTEMPTS) from exc


@shared_task(
    name="operations.notifications.tasks.sweep_notifications", acks_late=True, soft_time_limit=50, time_limit=55
)
def sweep_notifications() -> int:
    return services.notification_sweep()


@shared_task(
    name="operations.notifications.tasks.scan_due_reminders", acks_late=True, soft_time_limit=240, time_limit=300
)
def scan_due_reminders() -> int:
    from operations.notifications.scan import reminders_scan

    return reminders_scan()
