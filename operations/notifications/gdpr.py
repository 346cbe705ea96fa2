"""What the outbox holds about a parent (the messages written to them), and
how it is erased: waiting messages are cancelled, and the address and wording
of every message goes; the rows stay, without anything personal, for the
counts."""

from __future__ import annotations

from operations.core.gdpr import Section, readable
from operations.notifications import services
from operations.notifications.models import InboundText, Notification

HOLDS = [Notification, InboundText]

#: What a restriction of processing (Article 18) refuses (see referrals.gdpr):
#: no message is written to a restricted parent, and notifications.safety
#: withholds at sending any written before the restriction.
RESTRICTION_REFUSES = ("notification_write",)
RESTRICTION_ALLOWS = {
    "notifications_recheck_for_parent": "Cancels waiting messages that are no longer safe to send.",
    "notifications_forget_parent": "Erasure: removes the address and wording of every message.",
}

#: The outbox's own bookkeeping (codes, keys, links, retries): nothing about the parent.
INTERNAL = [
    "organisation", "kind", "recipient_user", "recipient_parent", "about_type", "about_id", "link", "key",
    "attempts", "last_error", "claimed_at", "read_at", "provider_message_id",
]  # fmt: skip

#: Clearer labels than the fields' verbose names, for the subject access report.
LABELS = {
    "channel": "How",
    "recipient_address": "Sent to",
    "names_service": "Names the service",
    "cancelled_reason": "Why not sent",
    "body": "Message",
    "due_at": "Due to be sent",
    "sent_at": "Sent",
    "created_at": "Written",
    "delivery_status": "Delivery",
    "delivery_detail": "Delivery, in the provider's words",
    "delivered_at": "Delivered",
}


#: A text's bookkeeping: the provider's ids, the organisation, the receiver's claim, who closed it.
TEXT_INTERNAL = [
    "organisation", "provider", "provider_message_id", "parent", "volunteer", "candidates", "processed_at",
    "handled_by", "handled_at", "created_at",
]  # fmt: skip
TEXT_LABELS = {
    "from_number": "From",
    "to_number": "To",
    "body": "Text",
    "received_at": "Received",
    "handling": "Dealt with",
    "outcome": "What was done",
}


def subject_access(parent) -> list[Section]:
    messages = Notification.objects.filter(recipient_parent_id=parent.pk).order_by("due_at", "pk")
    rows = [readable(message, exclude=INTERNAL, labels=LABELS) for message in messages]
    texts = InboundText.objects.filter(parent_id=parent.pk).order_by("received_at", "pk")
    text_rows = [readable(text, exclude=TEXT_INTERNAL, labels=TEXT_LABELS) for text in texts]
    return [
        Section("Messages sent to the parent", rows, source="notifications.Notification"),
        Section("Texts received from the parent", text_rows, source="notifications.InboundText"),
    ]


def erase(parent) -> None:
    services.notifications_forget_parent(parent_id=parent.pk)
    # Her texts keep that a text came and what was done (for the counts), without her number or her words.
    InboundText.objects.filter(parent_id=parent.pk).update(from_number="", body="", outcome="", candidates=[])
