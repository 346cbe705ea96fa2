"""Working days in Scotland: Monday to Friday, less Scotland's bank holidays
(New Year and 2 January, Good Friday, the May, spring and summer holidays,
St Andrew's Day, Christmas and Boxing Day, with their substitute days, and
one-off days such as a royal occasion), from the ``holidays`` package, which
follows the UK government's published lists. A referral's contact target in
working days does not run over a bank holiday, as the charities' offices
are closed then."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="SCT", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    if end <= start:
        return 0
    days = (end - start).days
    full_weeks, rest = divmod(days, 7)
    count = full_weeks * 5 + sum(1 for offset in range(1, rest + 1) if (start + timedelta(days=offset)).weekday() < 5)
    holidays_on_weekdays = sum(
        1
        for year in range(start.year, end.year + 1)
        for holiday in bank_holidays(year)
        if start < holiday <= end and holiday.weekday() < 5
    )
    return count - holidays_on_weekdays


def subtract_working_days(day: date, working_days: int) -> date:
    """The date ``working_days`` working days before ``day``."""
    current = day
    remaining = working_days
    while remaining > 0:
        current -= timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current
