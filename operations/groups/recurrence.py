"""Dates a recurring group meets on: pure functions, no database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

WEEKLY = "weekly"
FORTNIGHTLY = "fortnightly"
MONTHLY = "monthly"

#: ``week_of_month`` value meaning "the last such weekday of the month".
LAST = 5


def first_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def nth_weekday(year: int, month: int, weekday: int, week_of_month: int) -> date | None:
    """The ``week_of_month``-th ``weekday`` of a month (LAST: the last one);
    None when the month has no fifth such day."""
    first = first_on_or_after(date(year, month, 1), weekday)
    if week_of_month == LAST:
        candidate = first + timedelta(weeks=4)
        return candidate if candidate.month == month else first + timedelta(weeks=3)
    candidate = first + timedelta(weeks=week_of_month - 1)
    return candidate if candidate.month == month else None


def occurrences(
    *,
    rule: str,
    weekday: int,
    starts_on: date,
    ends_on: date | None,
    window_start: date,
    window_end: date,
    week_of_month: int = 1,
) -> Iterator[date]:
    """Meeting dates between ``window_start`` and ``window_end`` inclusive.

    Weekly and fortnightly runs count from the first meeting on or after
    ``starts_on``, so a fortnightly group keeps its rhythm whatever the
    window; monthly meets on the n-th (or last) weekday of each month."""
    last = min(window_end, ends_on) if ends_on else window_end
    lower = max(window_start, starts_on)
    if lower > last:
        return
    if rule in (WEEKLY, FORTNIGHTLY):
        step = 7 if rule == WEEKLY else 14
        first = first_on_or_after(starts_on, weekday)
        if first < lower:
            skipped = (lower - first).days // step
            first += timedelta(days=skipped * step)
            if first < lower:
                first += timedelta(days=step)
        day = first
        while day <= last:
            yield day
            day += timedelta(days=step)
        return
    if rule == MONTHLY:
        year, month = lower.year, lower.month
        while date(year, month, 1) <= last:
            day = nth_weekday(year, month, weekday, week_of_month)
            if day is not None and lower <= day <= last:
                yield day
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return
    raise ValueError(f"unknown recurrence {rule!r}")


def meetings_per_year(*, rule: str) -> int:
    return {WEEKLY: 52, FORTNIGHTLY: 26, MONTHLY: 12}[rule]
