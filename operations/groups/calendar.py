"""ICS feeds built with ``icalendar``: one per group (staff, behind login)
and one private per volunteer or facilitator (behind a token).

A private feed leaves out everything about parents: it says which session,
where and when, never who is booked."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from operations.groups.models import Format, GroupSession, SessionStatus

PRODID = "-//Perinatal peer support//Groups//EN"


def _one_line(text: str) -> str:
    """Any stored text as one line: names are refused with line breaks now,
    but a feed must not fail on a value stored before (or by hand)."""
    return " ".join(str(text).split())


def _location(session: GroupSession) -> str:
    group = session.group
    if group.format == Format.ONLINE:
        return group.joining_link
    return ", ".join(part for part in (group.venue_name, group.venue_address) if part)


def sessions_calendar(*, name: str, sessions: Iterable[GroupSession], domain: str = "", visits: Iterable = ()) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _one_line(name))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    host = domain or "peer-support.invalid"
    for session in sessions:
        event = Event()
        event.add("uid", f"group-session-{session.pk}@{host}")
        event.add("dtstamp", session.starts_at)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", _one_line(session.group.name))
        location = _location(session)
        if location:
            event.add("location", _one_line(location))
        if session.status == SessionStatus.CANCELLED:
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED")
        details = [session.group.get_format_display()]
        if session.creche_on:
            details.append("Crèche")
        if session.note:
            details.append(session.note)
        event.add("description", " · ".join(details))
        calendar.add_component(event)
    for visit in visits:
        calendar.add_component(_visit_event(visit, host))
    return calendar.to_ical()


def _visit_event(visit, host: str) -> Event:
    """A planned visit, named by its match number only: the feed may be read
    on a shared phone or calendar, so it carries no parent's name or place."""
    event = Event()
    event.add("uid", f"visit-{visit.pk}@{host}")
    if visit.at_time:
        starts = timezone.make_aware(datetime.combine(visit.planned_for, visit.at_time))
        event.add("dtstamp", starts)
        event.add("dtstart", starts)
        event.add("dtend", starts + timedelta(hours=1))
    else:
        event.add("dtstamp", timezone.now())
        event.add("dtstart", visit.planned_for)
    event.add("summary", f"Visit (match {visit.match_id})")
    event.add("description", visit.get_mode_display())
    event.add("status", "CANCELLED" if visit.cancelled else "CONFIRMED")
    return event
