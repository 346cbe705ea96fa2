"""The period a calendar page shows: a month, a week or a day around one
date. Pure date arithmetic, no database, tested alone.

Weeks start on Monday, as they do in the UK. A month is shown as whole
weeks, so its grid starts on the Monday on or before the 1st and ends on the
Sunday on or after the last day: the days of the months either side are
shown (greyed) with their entries, because a visit on Tuesday the 31st
matters when the month turns on Wednesday.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from operations.core.months import add_months_clamped


class View(StrEnum):
    MONTH = "month"
    WEEK = "week"
    DAY = "day"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class Period:
    view: View
    #: The date the person asked about; the period is the month, week or day around it.
    anchor: dt.date

    @property
    def first(self) -> dt.date:
        """The first day of the period proper (the 1st of a month, a Monday, the day)."""
        if self.view == View.MONTH:
            return self.anchor.replace(day=1)
        if self.view == View.WEEK:
            return week_start(self.anchor)
        return self.anchor

    @property
    def last(self) -> dt.date:
        """The last day of the period proper."""
        if self.view == View.MONTH:
            return add_months_clamped(self.first, 1) - dt.timedelta(days=1)
        if self.view == View.WEEK:
            return self.first + dt.timedelta(days=6)
        return self.anchor

    @property
    def shown_from(self) -> dt.date:
        """The first day on screen: a month grid starts on a Monday."""
        return week_start(self.first) if self.view == View.MONTH else self.first

    @property
    def shown_to(self) -> dt.date:
        """The last day on screen: a month grid ends on a Sunday."""
        return week_start(self.last) + dt.timedelta(days=6) if self.view == View.MONTH else self.last

    def days(self) -> list[dt.date]:
        """Every day on screen, in order."""
        count = (self.shown_to - self.shown_from).days + 1
        return [self.shown_from + dt.timedelta(days=n) for n in range(count)]

    def previous(self) -> dt.date:
        """An anchor for the period before this one."""
        if self.view == View.MONTH:
            return add_months_clamped(self.first, -1)
        return self.first - dt.timedelta(days=7 if self.view == View.WEEK else 1)

    def next(self) -> dt.date:
        """An anchor for the period after this one."""
        if self.view == View.MONTH:
            return add_months_clamped(self.first, 1)
        return self.first + dt.timedelta(days=7 if self.view == View.WEEK else 1)

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` is in the period proper (not a neighbouring month's day in the grid)."""
        return self.first <= day <= self.last


def week_start(day: dt.date) -> dt.date:
    """The Monday on or before ``day``."""
    return day - dt.timedelta(days=day.weekday())


def weeks(days: list[dt.date]) -> list[list[dt.date]]:
    """Consecutive days from a Monday cut into rows of seven."""
    return [days[index : index + 7] for index in range(0, len(days), 7)]
