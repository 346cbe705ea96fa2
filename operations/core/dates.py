"""Dates as the lists and home panels write them, in plain Python.

Django's ``date`` and ``timesince`` filters look up the active translation for
every month name and unit; on the triage board's 42 cards that was a third of
the rendering. This project's text is English only, and the tests hold these
functions to Django's answers.
"""

from __future__ import annotations

from datetime import date, datetime

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Days in each month as Django's timesince counts them (February always 28),
# so that the pages say what the template filters used to say.
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def day_month(day: date) -> str:
    """``7 Nov``: the ``date`` filter's "j M", for a week's column under a title with the year."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def short_date(day: date) -> str:
    """``7 Nov 2026``: the ``date`` filter's "j M Y", the project's DATE_FORMAT."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def weekday_date(day: date) -> str:
    """``Mon 14 Feb 2028``: the ``date`` filter's "D j M Y", where planning
    matters (visits, sessions, supervisions, calendar entries)."""
    return f"{WEEKDAYS[day.weekday()]} {short_date(day)}"


def date_time(moment: datetime) -> str:
    """``14 Feb 2028 14:05``: the ``date`` filter's "j M Y H:i", the
    project's DATETIME_FORMAT (local time given)."""
    return f"{short_date(moment.date())} {moment:%H:%M}"


def weekday_date_time(moment: datetime) -> str:
    """``Mon 14 Feb 2028, 10:00``: the ``date`` filter's "D j M Y, H:i"
    (local time given), for a session or a visit."""
    return f"{weekday_date(moment.date())}, {moment:%H:%M}"


def time_since(start: date, today: date) -> str:
    """``6 weeks, 2 days``: Django's ``timesince`` for two dates. The largest
    non-zero unit of years, months, weeks and days, and the next one unless
    it is zero; non-breaking spaces inside a unit; ``0 minutes`` when
    ``start`` is not before ``today``."""
    if start >= today:
        return "0\xa0minutes"
    whole_months = (today.year - start.year) * 12 + today.month - start.month - (start.day > today.day)
    years, months = divmod(whole_months, 12)
    # The days left over are counted from the start moved on by the whole
    # months, on the same day of the month or the last day of a shorter one.
    pivot = start
    if whole_months:
        month_index = start.month - 1 + months
        pivot_year, pivot_month = start.year + years + month_index // 12, month_index % 12 + 1
        pivot = date(pivot_year, pivot_month, min(_MONTH_DAYS[pivot_month - 1], start.day))
    weeks, days = divmod((today - pivot).days, 7)
    units = [(years, "year"), (months, "month"), (weeks, "week"), (days, "day")]
    first = next(index for index, (count, _) in enumerate(units) if count)
    parts = []
    for count, unit in units[first : first + 2]:
        if not count:
            break
        parts.append(f"{count}\xa0{unit}{'s' if count != 1 else ''}")
    return ", ".join(parts)
