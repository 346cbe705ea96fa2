"""The safeguarding app's entries on a parent's timeline (found by
``operations.core.timeline``): each step of each concern about her family,
from its own timeline (raised, acknowledged, action planned, escalated,
closed with its outcome). One query, whatever the number of concerns; the
words written (the details and the notes) only for those
``Concern.notes_visible_to``."""

from __future__ import annotations

from django.urls import reverse

from operations.core.dates import short_date
from operations.core.timeline import Entry, at
from volunteers.safeguarding.models import Concern, ConcernEvent, EventKind, Kind, Outcome, Urgency

KINDS = {"concern": "Concerns"}


def entries(parent, *, user, kinds: frozenset[str], limit: int) -> list[Entry]:
    events = (
        ConcernEvent.objects.filter(concern__in=Concern.objects.visible_to(user).filter(parent=parent))
        .select_related("concern", "actor")
        .order_by("-at", "-pk")[:limit]
    )
    concern_kinds = dict(Kind.choices)
    urgencies = dict(Urgency.choices)
    outcomes = dict(Outcome.choices)
    # Whether notes are readable depends on the reader and the organisation only: asked once.
    readable: dict[int, bool] = {}
    found = []
    for event in events:
        concern = event.concern
        if concern.organisation_id not in readable:
            readable[concern.organisation_id] = concern.notes_visible_to(user)
        notes = readable[concern.organisation_id]
        what = concern_kinds.get(concern.kind, "Concern").lower()
        if event.kind == EventKind.RAISED:
            label = f"Concern raised ({what}); urgency: {urgencies.get(concern.urgency, '').lower()}"
            detail = concern.details
        elif event.kind == EventKind.ACKNOWLEDGED:
            label, detail = f"Concern ({what}) acknowledged", event.note
        elif event.kind == EventKind.PLANNED:
            follow_up = f"; follow-up on {short_date(event.follow_up_on)}" if event.follow_up_on else ""
            label, detail = f"Action planned for the concern ({what}){follow_up}", event.note
        elif event.kind == EventKind.ESCALATED:
            label, detail = f"Concern ({what}) escalated: not acknowledged in time", event.note
        elif event.kind == EventKind.CLOSED:
            outcome = outcomes.get(event.outcome or concern.outcome, "")
            label = f"Concern ({what}) closed" + (f". Outcome: {outcome}" if outcome else "")
            detail = event.note
        else:
            label, detail = f"Concern ({what}): {event.get_kind_display().lower()}", event.note
        found.append(
            at(
                event.at,
                kind="concern",
                label=label,
                link=reverse("safeguarding:concern-detail", args=[concern.pk]),
                detail=detail if notes else "",
                by=f"by {event.actor}" if event.actor else "",
            )
        )
    return found
