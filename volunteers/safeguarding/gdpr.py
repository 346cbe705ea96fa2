"""What safeguarding holds about a parent (concerns about the family and
their timelines), and how it is erased.

Erasure keeps each concern's kind, urgency, dates, status and outcome (the
dashboard's anonymous counts, and the fact that a concern was handled) and
removes every word written: the details and the timeline's notes."""

from __future__ import annotations

from operations.core.gdpr import Section, readable
from volunteers.safeguarding.models import Concern, ConcernEvent

HOLDS = [Concern, ConcernEvent]

#: A restriction of processing (Article 18) refuses nothing here: raising and
#: working a concern protect someone's vital interests (Art. 18(2)), so each
#: step goes on while the record is restricted.
RESTRICTION_REFUSES: tuple[str, ...] = ()
RESTRICTION_REFUSES_NOTHING = "Safeguarding protects vital interests, which a restriction does not stop."
RESTRICTION_ALLOWS = {
    "concern_acknowledge": "Working a concern is safeguarding, which a restriction does not stop.",
    "concern_plan": "Working a concern is safeguarding, which a restriction does not stop.",
    "concern_close": "Recording the outcome of a concern is safeguarding, which a restriction does not stop.",
}

LABELS = {
    "match": "Support",
    "volunteer": "Volunteer",
    "about": "About",
    "kind": "Kind of concern",
    "urgency": "Urgency",
    "details": "What was seen or heard",
    "source": "How it was raised",
    "contact_log": "From contact log",
    "raised_by": "Raised by",
    "raised_at": "Raised",
    "acknowledged_by": "Acknowledged by",
    "acknowledged_at": "Acknowledged",
    "owner": "Follow-up owner",
    "follow_up_on": "Follow up on",
    "outcome": "Outcome",
    "closed_by": "Closed by",
    "closed_at": "Closed",
}

EVENT_LABELS = {
    "concern": "Concern",
    "kind": "Step",
    "at": "When",
    "actor": "By",
    "note": "Note",
    "owner": "Follow-up owner",
    "follow_up_on": "Follow up on",
    "outcome": "Outcome",
}


def subject_access(parent) -> list[Section]:
    concerns = (
        Concern.objects.filter(parent=parent)
        .select_related("match", "volunteer__user", "raised_by", "acknowledged_by", "owner", "closed_by")
        .order_by("raised_at", "pk")
    )
    events = (
        ConcernEvent.objects.filter(concern__parent=parent)
        .select_related("actor", "owner")
        .order_by("concern_id", "at", "pk")
    )
    return [
        Section(
            "Concerns",
            [
                readable(
                    concern,
                    exclude=["organisation", "parent", "client_key", "supervision", "escalate_at"],
                    labels=LABELS,
                    values={"volunteer": concern.volunteer.user.first_name if concern.volunteer else ""},
                )
                for concern in concerns
            ],
            source="safeguarding.Concern",
        ),
        Section(
            "What was done about each concern",
            [readable(event, labels=EVENT_LABELS) for event in events],
            source="safeguarding.ConcernEvent",
        ),
    ]


def erase(parent) -> None:
    Concern.objects.filter(parent=parent).update(details="")
    ConcernEvent.objects.filter(concern__parent=parent).update(note="")
