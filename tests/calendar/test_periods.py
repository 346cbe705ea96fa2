"""The periods a calendar page shows: pure date arithmetic."""

from __future__ import annotations

import datetime as dt

from operations.calendar.periods import Period, View, weeks


def test_a_month_is_shown_as_whole_weeks_from_monday():
    period = Period(View.MONTH, dt.date(2028, 2, 14))
    assert (period.first, period.last) == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))
    # 1 Feb 2028 is a Tuesday; 29 Feb a Tuesday.
    assert (period.shown_from, period.shown_to) == (dt.date(2028, 1, 31), dt.date(2028, 3, 5))
    days = period.days()
    assert len(days) == 35
    assert all(len(row) == 7 and row[0].weekday() == 0 for row in weeks(days))
    assert not period.contains(dt.date(2028, 1, 31))
    assert period.contains(dt.date(2028, 2, 29))


def test_moving_on_from_the_last_day_of_a_long_month_lands_in_the_next_month():
    period = Period(View.MONTH, dt.date(2028, 1, 31))
    assert period.next() == dt.date(2028, 2, 1)
    assert period.previous() == dt.date(2027, 12, 1)


def test_a_week_runs_monday_to_sunday_across_a_year_end():
    period = Period(View.WEEK, dt.date(2028, 1, 1))  # a Saturday
    assert (period.first, period.last) == (dt.date(2027, 12, 27), dt.date(2028, 1, 2))
    assert period.previous() == dt.date(2027, 12, 20)
    assert period.next() == dt.date(2028, 1, 3)
    assert len(period.days()) == 7


def test_a_day_is_itself():
    period = Period(View.DAY, dt.date(2028, 2, 29))
    assert period.days() == [dt.date(2028, 2, 29)]
    assert period.previous() == dt.date(2028, 2, 28)
    assert period.next() == dt.date(2028, 3, 1)
