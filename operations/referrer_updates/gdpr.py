"""What word back to the referrer holds about a parent (which moments of
her referrals were told to the referrer, and coordinators' notes), and how
it is erased: the notes and the messages' wording go, the moments stay."""

from __future__ import annotations

from operations.core.gdpr import Section, readable
from operations.referrer_updates import services
from operations.referrer_updates.models import ReferrerUpdate

HOLDS = [ReferrerUpdate]

#: Nothing is sent to a referrer about a restricted record (Article 18):
#: the updates stay silent and a note is refused.
RESTRICTION_REFUSES = ("referrer_update_write", "referrer_note_send")
RESTRICTION_ALLOWS = {
    "referrer_updates_forget_parent": "Erasure: removes the notes and the wording of every message.",
}

LABELS = {
    "event": "What the referrer was told",
    "referrer": "Told to",
    "note": "Note",
    "sent_by": "Written by",
    "created_at": "When",
}


def subject_access(parent) -> list[Section]:
    updates = (
        ReferrerUpdate.objects.filter(referral__parent_id=parent.pk)
        .select_related("referral", "referrer", "sent_by")
        .order_by("created_at", "pk")
    )
    rows = [readable(update, exclude=["organisation", "notification"], labels=LABELS) for update in updates]
    return [Section("Updates to the person who referred", rows, source="referrer_updates.ReferrerUpdate")]


def erase(parent) -> None:
    services.referrer_updates_forget_parent(parent_id=parent.pk)
