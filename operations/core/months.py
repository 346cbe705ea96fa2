"""Adding calendar months, by the two month-end rules this system needs.

When the target month has no such day (31 April, 29 February in a common
year) one of two things happens, and which one is a rule of the domain:

- ``add_months_rolling_forward``: the date moves to the 1st of the next
  month. Scots law's rule for a birthday on 29 February (the Age of Legal
  Capacity (Scotland) Act 1991, s. 6(1)), so used for ages and eligibility.
- ``add_months_clamped``: the date stays in the target month, on its last
  day. Used for renewals and intervals (PVG, training, supervision, review
  periods, the dashboard's months), where a deadline must not slip into the
  next month."""

from __future__ import annotations

import calendar
from datetime import date


def _target(day: date, months: int) -> tuple[int, int]:
    month_index = day.month - 1 + months
    return day.year + month_index // 12, month_index % 12 + 1


def add_months_rolling_forward(day: date, months: int) -> date:
    year, month = _target(day, months)
    if day.day > calendar.monthrange(year, month)[1]:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return date(year, month, 1)
    return date(year, month, day.day)


def add_months_clamped(day: date, months: int) -> date:
    year, month = _target(day, months)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
