"""What the outbox holds about a parent (the messages written to them), and
how it is erased: waiting messages are cancelled, and the address and wording
of every message goes; the rows stay, without anything personal, for the
counts."""

from __future__ import annotations

from django.utils import timezone

from operations.core.dates import short_date
from operations.core.gdpr import Section
from operations.notifications import services
from operations.notifications.models import Channel, Notification

HOLDS = [Notification]


def subject_access(parent) -> list[Section]:
    messages = Notification.objects.filter(recipient_parent_id=parent.pk).order_by("due_at", "pk")
    rows = [
        {
            "Written": short_date(timezone.localdate(message.created_at)),
            "How": Channel(message.channel).label,
            "Subject": message.subject,
            "Message": message.body,
            "State": message.get_status_display(),
            "Sent": short_date(timezone.localdate(message.sent_at)) if message.sent_at else "",
            "Why not sent": message.cancelled_reason,
        }
        for message in messages
    ]
    return [Section("Messages sent to the parent", rows)]


def erase(parent) -> None:
    services.notifications_forget_parent(parent_id=parent.pk)
