"""When an unacknowledged concern escalates: "danger now" after minutes of
the clock, "today" and "this week" after working time (09:00 to 17:00 on
Scotland's working days), because the office that acknowledges them is
closed at night, at weekends and on bank holidays. Out of hours, the 999 and
on-call instructions are what protect people, not the escalation."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from operations.core.working_days import is_working_day
from volunteers.safeguarding.models import SafeguardingSettings, Urgency

WORKDAY_STARTS = dt.time(9, 0)
WORKDAY_ENDS = dt.time(17, 0)
WORKING_HOURS_A_DAY = 8


def add_working_time(start: dt.datetime, hours: float) -> dt.datetime:
    """``start`` plus ``hours`` of working time (aware datetimes, local time)."""
    tz = timezone.get_current_timezone()
    now = timezone.localtime(start, tz)
    remaining = dt.timedelta(hours=hours)
    while True:
        day = now.date()
        opens = timezone.make_aware(dt.datetime.combine(day, WORKDAY_STARTS), tz)
        closes = timezone.make_aware(dt.datetime.combine(day, WORKDAY_ENDS), tz)
        if is_working_day(day) and now < closes:
            now = max(now, opens)
            if now + remaining <= closes:
                return now + remaining
            remaining -= closes - now
        # On to the start of the next day.
        now = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0)), tz)


def escalate_at(raised_at: dt.datetime, urgency: str, config: SafeguardingSettings) -> dt.datetime:
    if urgency == Urgency.DANGER_NOW:
        return raised_at + dt.timedelta(minutes=config.danger_now_minutes)
    if urgency == Urgency.TODAY:
        return add_working_time(raised_at, config.today_working_hours)
    return add_working_time(raised_at, config.this_week_working_days * WORKING_HOURS_A_DAY)
