"""The outbox's entries on a parent's timeline (found by
``operations.core.timeline``): every message written to her, sent or not,
with its subject, and every text received from her (with what was done
about it). One query per kind, whatever the number of messages.

Messages to her referrer would belong here too, but none is written: when no
channel is safe and contact goes through the referrer, the coordinators are
asked in the app to pass it on (``group_messages.attendees_tell``), and those
rows are addressed to the coordinators, not to her."""

from __future__ import annotations

from django.db.models.functions import Coalesce

from operations.core.timeline import Entry, at, newest_first
from operations.notifications.models import Channel, InboundText, Notification, Status

KINDS = {"message": "Messages sent to her", "text": "Texts from her"}

CHANNEL_WORDS = {Channel.EMAIL: "Email", Channel.SMS: "Text message", Channel.IN_APP: "Message in the app"}
STATUS_WORDS = {
    Status.PENDING: "waiting to be sent",
    Status.SENDING: "being sent",
    Status.SENT: "sent",
    Status.FAILED: "could not be sent",
    Status.CANCELLED: "not sent",
}


def entries(parent, *, user, kinds: frozenset[str], limit: int) -> list[Entry]:
    found = _sent(parent, user=user, limit=limit) if "message" in kinds else []
    if "text" in kinds:
        found = newest_first([*found, *_received(parent, user=user, limit=limit)])[:limit]
    return found


def _received(parent, *, user, limit: int) -> list[Entry]:
    """The texts she sent (matched to her, or linked by a coordinator), with what was done."""
    texts = (
        InboundText.objects.visible_to(user)
        .filter(parent=parent)
        .only("body", "outcome", "received_at")
        .order_by("-received_at", "-pk")[:limit]
    )
    return [
        at(text.received_at, kind="text", label=f"Text from her: “{text.body[:120]}”", detail=text.outcome)
        for text in texts
    ]


def _sent(parent, *, user, limit: int) -> list[Entry]:
    messages = (
        Notification.objects.visible_to(user)
        .filter(recipient_parent=parent)
        .only("channel", "status", "subject", "cancelled_reason", "due_at", "sent_at")
        # When it went, or when it is (or was) due to go.
        .annotate(moment=Coalesce("sent_at", "due_at"))
        .order_by("-moment", "-pk")[:limit]
    )
    found = []
    for message in messages:
        label = f"{CHANNEL_WORDS.get(message.channel, 'Message')} {STATUS_WORDS.get(message.status, '')}"
        if message.subject:
            label += f": “{message.subject}”"
        found.append(at(message.moment, kind="message", label=label, detail=message.cancelled_reason))
    return found
