"""Retention of the outbox: rows that were sent, failed or cancelled go
after the period (their bodies may name a record); pending rows stay."""

from __future__ import annotations

from django.db.models import QuerySet

from operations.core.retention import RetentionRule
from operations.notifications.models import Notification, Status


def old_notifications_due(organisation_id: int, cutoff) -> QuerySet[Notification]:
    return Notification.objects.filter(
        organisation_id=organisation_id,
        status__in=[Status.SENT, Status.FAILED, Status.CANCELLED],
        due_at__lt=cutoff,
    )


RULE = RetentionRule(
    key="notifications",
    label="Sent and failed notifications",
    default_months=12,
    due=old_notifications_due,
    apply=lambda queryset: queryset.delete()[0],
)
