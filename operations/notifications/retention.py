"""Retention of the outbox: rows that were sent, failed or cancelled go
after the period (their bodies may name a record); pending rows stay. And
of texts received: they go after their own period, with those sent to a
number no organisation uses (nobody's to review) in every organisation's run."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from operations.core.retention import RetentionRule
from operations.notifications.models import InboundText, Notification, Status


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


def old_texts_received_due(organisation_id: int, cutoff) -> QuerySet[InboundText]:
    return InboundText.objects.filter(
        Q(organisation_id=organisation_id) | Q(organisation__isnull=True), received_at__lt=cutoff
    )


INBOUND_RULE = RetentionRule(
    key="texts_received",
    label="Text messages received (replies to the organisation's number)",
    default_months=12,
    due=old_texts_received_due,
    apply=lambda queryset: queryset.delete()[0],
)

RULES = [RULE, INBOUND_RULE]
