"""What the person who raised a concern is told of it: its status in a line,
so they know it was heard, and never the notes of those working it. Pure:
no database (the acknowledger comes loaded with the concern)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from operations.core.dates import short_date
from volunteers.safeguarding.models import Concern, ConcernStatus, Outcome


def raiser_status(concern: Concern, *, today: dt.date | None = None) -> str:
    """``Waiting to be received``, ``Received by Sam at 14:05`` (``on 14 Feb
    2028 at 14:05`` when not today), ``Action planned``, ``Closed: action
    taken`` or ``Closed: no further action``."""
    if concern.status == ConcernStatus.CLOSED:
        if concern.outcome == Outcome.NO_FURTHER_ACTION:
            return "Closed: no further action"
        return "Closed: action taken"
    if concern.status == ConcernStatus.PLANNED:
        return "Action planned"
    if concern.status == ConcernStatus.ACKNOWLEDGED and concern.acknowledged_at is not None:
        moment = timezone.localtime(concern.acknowledged_at)
        today = today or timezone.localdate()
        when = f"at {moment:%H:%M}" if moment.date() == today else f"on {short_date(moment.date())} at {moment:%H:%M}"
        by = concern.acknowledged_by
        # A first name only: the raiser knows who that is, and a person
        # removed since is simply not named.
        name = (by.first_name or by.username) if by is not None else ""
        return f"Received by {name} {when}" if name else f"Received {when}"
    return "Waiting to be received"
