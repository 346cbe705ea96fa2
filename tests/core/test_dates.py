"""The dates lists and home panels write say what Django's filters said
(no database)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils.dateformat import format as format_date
from django.utils.timesince import timesince

from operations.core.dates import short_date, time_since

# Month ends, a leap day and the turn of a year, as "today".
TODAYS = [
    date(2028, 2, 29),
    date(2028, 3, 1),
    date(2027, 3, 1),
    date(2026, 12, 31),
    date(2027, 1, 1),
    date(2026, 11, 30),
]


@pytest.mark.parametrize("today", TODAYS)
def test_time_since_is_djangos_timesince_for_every_day_of_three_years(today):
    for days_ago in range(-3, 3 * 366):
        start = today - timedelta(days=days_ago)
        assert time_since(start, today) == timesince(start, today), start


@pytest.mark.parametrize(
    ("start", "today", "said"),
    [
        (date(2026, 11, 19), date(2026, 11, 26), "1\xa0week"),
        (date(2026, 10, 1), date(2026, 11, 26), "1\xa0month, 3\xa0weeks"),
        (date(2024, 11, 26), date(2026, 11, 26), "2\xa0years"),
        (date(2026, 11, 26), date(2026, 11, 26), "0\xa0minutes"),
    ],
)
def test_time_since_examples(start, today, said):
    assert time_since(start, today) == said


def test_short_date_is_the_date_filters_j_m_y():
    for month in range(1, 13):
        day = date(2026, month, 7)
        assert short_date(day) == format_date(day, "j M Y")


def test_the_other_helpers_are_the_date_filters_of_the_house_formats():
    from datetime import UTC, datetime

    from operations.core.dates import date_time, day_month, weekday_date, weekday_date_time

    for offset in range(0, 400, 3):
        day = date(2026, 1, 1) + timedelta(days=offset)
        assert day_month(day) == format_date(day, "j M")
        assert weekday_date(day) == format_date(day, "D j M Y")
        moment = datetime(day.year, day.month, day.day, 9, 5, tzinfo=UTC)
        assert weekday_date_time(moment) == format_date(moment, "D j M Y, H:i")
        assert date_time(moment) == format_date(moment, "j M Y H:i")


def test_a_date_in_a_template_reads_the_house_format_without_a_format_given():
    """DATE_FORMAT and DATETIME_FORMAT (operations/formats/en): the admin and
    ``{{ date }}`` write "14 Feb 2028", never "Feb. 14, 2028" or "2:30 p.m."."""
    from datetime import UTC, datetime, time

    from django.template import Context, Template

    page = Template("{{ day }}|{{ moment }}|{{ at }}").render(
        Context({"day": date(2028, 2, 14), "moment": datetime(2028, 2, 14, 14, 30, tzinfo=UTC), "at": time(14, 30)})
    )
    assert page == "14 Feb 2028|14 Feb 2028 14:30|14:30"
