"""What the online forms hold about a parent, and how it is erased.

A submission that became a referral keeps only its reference, form and
date (the referral holds what she typed); one held for a coordinator keeps
what was typed until it is dealt with. Spam is linked to no one and is
deleted after 30 days. Erasure deletes the submissions linked to her
referrals: the reference means nothing without the record."""

from __future__ import annotations

from operations.core.gdpr import Section, readable
from referrals.online.models import OnlineSubmission

HOLDS = [OnlineSubmission]

RESTRICTION_REFUSES: tuple[str, ...] = ()
#: Nothing here acts on a parent's record: a form sent about a restricted
#: record is held for a coordinator by ``referral_create``'s own refusal.
RESTRICTION_REFUSES_NOTHING = (
    "The forms make referrals only through referrals.services.referral_create, which refuses a restricted "
    "record; the form is then held for a coordinator, unread by the service."
)
RESTRICTION_ALLOWS: dict[str, str] = {}

#: Clearer labels than the fields' verbose names, for the subject access report.
LABELS = {
    "reference": "Reference given",
    "form": "Form",
    "received_at": "Received",
    "outcome": "What became of it",
    "held_reason": "Held because",
    "dealt_with_at": "Dealt with",
    "dealt_with_by": "Dealt with by",
}


def _linked(parent):
    return OnlineSubmission.objects.filter(referral__parent=parent).order_by("received_at", "pk")


def subject_access(parent) -> list[Section]:
    rows = []
    for submission in _linked(parent).select_related("service", "referral", "dealt_with_by"):
        row = readable(submission, exclude=["organisation", "answers"], labels=LABELS)
        row.update(submission.answers)
        rows.append(row)
    return (
        [Section(title="Online referral forms", rows=rows, source="online_referrals.OnlineSubmission")] if rows else []
    )


def erase(parent) -> None:
    _linked(parent).delete()
