"""The calendar page: one view reads the entries of the period asked for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from operations.calendar import periods
from operations.calendar.forms import CalendarForm
from operations.calendar.periods import Period, View
from operations.calendar.selectors import Entry, Filters, calendar_entries
from operations.core.access import require_membership
from operations.core.dates import MONTHS, WEEKDAYS, day_month, short_date
from operations.core.models import STAFF_ROLES

#: Dates the calendar can show; beyond them the arithmetic of the next
#: period would leave Python's calendar (year 1 or 9999).
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2200, 12, 31)


@dataclass(frozen=True)
class Day:
    date: dt.date
    entries: list[Entry]
    in_period: bool
    is_today: bool
    #: The day view of this day, with the same filters.
    url: str

    @property
    def heading(self) -> str:
        """``Mon 14 Feb 2028``: planning needs the weekday."""
        return f"{WEEKDAYS[self.date.weekday()]} {short_date(self.date)}"

    @property
    def short_heading(self) -> str:
        """``Mon 14 Feb``: a week's column, under a title with the year."""
        return f"{WEEKDAYS[self.date.weekday()]} {day_month(self.date)}"


def calendar_page(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    is_staff = membership.role in STAFF_ROLES
    form = CalendarForm(request.GET or None, user=request.user, is_staff=is_staff)
    problems: list[str] = []
    if form.is_bound and not form.is_valid():
        problems = [message for messages in form.errors.values() for message in messages]
    today = timezone.localdate()
    month = form.valid("month")
    # A phone shows a week best; staff plan by the month.
    view = View(form.valid("view") or (View.MONTH if is_staff or month else View.WEEK))
    anchor = form.valid("date") or month or today
    if not EARLIEST <= anchor <= LATEST:
        problems.append(f"The calendar runs from {EARLIEST.year} to {LATEST.year}: showing today instead.")
        anchor = today
    period = Period(view=view, anchor=anchor)
    filters = Filters(
        service_id=_pk(form.valid("service")),
        volunteer_id=_pk(form.valid("volunteer")) if is_staff else None,
        group_id=_pk(form.valid("group")),
    )
    kept = {name: value for name, value in _filter_params(filters).items() if value}
    entries = calendar_entries(
        request.user, membership=membership, first=period.shown_from, last=period.shown_to, filters=filters
    )
    days = [
        Day(
            date=day,
            entries=entries.on(day),
            in_period=period.contains(day),
            is_today=day == today,
            url=_url(View.DAY, day, kept),
        )
        for day in period.days()
    ]
    # The filter form as shown: what was understood, with the period's view
    # and date, so choosing a filter keeps the period on screen. Unbound: the
    # problems are listed above it, and showing it checks nothing again.
    shown_form = CalendarForm(
        user=request.user,
        is_staff=is_staff,
        initial={"view": view.value, "date": anchor, **_filter_params(filters)},
    )
    context = {
        "form": shown_form,
        "problems": problems,
        "period": period,
        "title": _title(period),
        "days": days,
        "weeks": periods.weeks(days) if view != View.DAY else [],
        "weekday_names": WEEKDAY_NAMES,
        "count": sum(len(day.entries) for day in days if day.in_period),
        "is_staff": is_staff,
        "filtered": bool(kept),
        "links": {
            "previous": _url(view, period.previous(), kept),
            "next": _url(view, period.next(), kept),
            "today": _url(view, today, kept),
            # From a period holding today, another view opens on today (not the 1st).
            "views": [(choice, _url(choice, today if period.contains(today) else anchor, kept)) for choice in View],
            "clear": _url(view, anchor, {}),
        },
        "period_noun": view.value,
    }
    return render(request, "calendar/calendar.html", context, status=400 if problems else 200)


WEEKDAY_NAMES = [
    ("Mon", "Monday"),
    ("Tue", "Tuesday"),
    ("Wed", "Wednesday"),
    ("Thu", "Thursday"),
    ("Fri", "Friday"),
    ("Sat", "Saturday"),
    ("Sun", "Sunday"),
]


def _pk(obj) -> int | None:
    return obj.pk if obj is not None else None


def _filter_params(filters: Filters) -> dict[str, int | None]:
    return {"service": filters.service_id, "volunteer": filters.volunteer_id, "group": filters.group_id}


def _url(view: View, anchor: dt.date, kept: dict) -> str:
    """The calendar's address for ``view`` around ``anchor`` with the filters kept
    (only those that read: a bad value is not carried from page to page)."""
    return "?" + urlencode({"view": view.value, "date": anchor.isoformat(), **kept})


def _title(period: Period) -> str:
    if period.view == View.MONTH:
        return f"{MONTH_NAMES[period.first.month - 1]} {period.first.year}"
    if period.view == View.WEEK:
        first, last = period.first, period.last
        if first.year != last.year:
            return f"{short_date(first)} – {short_date(last)}"
        if first.month != last.month:
            return f"{first.day} {MONTHS[first.month - 1]} – {short_date(last)}"
        return f"{first.day} – {short_date(last)}"
    return f"{WEEKDAY_NAMES[period.anchor.weekday()][1]} {short_date(period.anchor)}"


MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
