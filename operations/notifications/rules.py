"""Pure rules for sending: no database, tested on their own."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
QUIET_START = time(21, 0)
QUIET_END = time(8, 0)

#: SMS that go at any hour: a concern to the on-call phone, raised or not
#: acknowledged in time. The quiet hours spare parents, not the phone kept
#: on for exactly this.
SMS_AT_ANY_HOUR = frozenset({"concern_raised", "concern_escalated"})


def waits_for_morning(kind: str, moment: datetime) -> bool:
    """Whether an SMS of this kind, due at ``moment``, waits for the end of the quiet hours."""
    return kind not in SMS_AT_ANY_HOUR and in_quiet_hours(moment)


def in_quiet_hours(moment: datetime) -> bool:
    """No SMS between 21:00 and 08:00, UK local time."""
    local = moment.astimezone(LONDON).time()
    return local >= QUIET_START or local < QUIET_END


def end_of_quiet_hours(moment: datetime) -> datetime:
    """The first moment after ``moment`` when an SMS may go (08:00 local)."""
    local = moment.astimezone(LONDON)
    day = local.date() if local.time() < QUIET_END else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_END, tzinfo=LONDON)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after a transient failure: 1, 2, 4, 8 … minutes, capped at an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))
