"""The reminder to a parent the day before a planned visit (the volunteer's
own reminder is ``due.visits_tomorrow``). Found by the beat's scan
(``due.PARENT_WRITERS``), on the channel her contact safety allows
(``referrals.contact.message_channel``), in neutral words unless her record
says messages may name the service, in her language where the organisation
has a template. By text message it asks for a YES or NO, which sms-twoway
reads back through the row's ``about`` (the visit).

A parent with no safe channel gets nothing and nobody is asked to remind
her: her volunteer is reminded of the visit anyway, and arranged it with her
on a route that was safe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from operations.core.dates import weekday_date
from operations.core.models import Organisation
from operations.notifications import wording
from operations.notifications.message_templates import TemplateBook
from operations.notifications.models import Channel
from operations.notifications.services import notification_write
from referrals.contact import message_channel
from volunteers.matching.models import OPEN_MATCH_STATUSES, ContactMode, Visit

KIND = "parent_visit_reminder"

#: Contacts by text message are not "seen": nothing to remind her of.
NOT_REMINDED_MODES = (ContactMode.TEXT,)


def visit_values(visit: Visit, *, first_name: str, service: str) -> dict[str, str]:
    date = weekday_date(visit.planned_for)
    time = f"{visit.at_time:%H:%M}" if visit.at_time else ""
    return {
        "first_name": first_name,
        "date": date,
        "time": time,
        "when": f"{date} at {time}" if time else f"on {date}",
        "place": visit.place,
        "service": service,
    }


def parent_visit_reminders_write(*, now: dt.datetime | None = None, is_on: Callable[[int], bool]) -> int:
    """Writes the reminder for every visit planned for tomorrow (local date)
    whose organisation sends them (``is_on(organisation_id)``). Keyed by the
    visit, its date and time: a re-run writes nothing new, a visit moved to
    another day or time is reminded again. Returns how many rows were new."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    visits = (
        Visit.objects.filter(
            planned_for=tomorrow,
            cancelled=False,
            match__status__in=OPEN_MATCH_STATUSES,
            match__parent__processing_restricted=False,
            match__parent__erased_at__isnull=True,
        )
        .exclude(mode__in=NOT_REMINDED_MODES)
        .select_related("match__parent", "match__referral__service")
        .order_by("organisation_id", "pk")
    )
    books: dict[int, TemplateBook] = {}
    written = 0
    for visit in visits:
        if not is_on(visit.organisation_id):
            continue
        parent = visit.match.parent
        channel, address, named = message_channel(parent)
        if channel is None:
            continue
        book = books.get(visit.organisation_id)
        if book is None:
            book = books[visit.organisation_id] = TemplateBook(organisation_id=visit.organisation_id, purpose=KIND)
        subject, body = book.render(
            language=parent.language,
            named=named,
            values=visit_values(
                visit, first_name=parent.preferred_name or parent.first_name, service=visit.match.referral.service.name
            ),
        )
        if channel == Channel.SMS:
            body = f"{body} {wording.REPLY_PROMPT}"
        _, created = notification_write(
            key=f"parent-visit-reminder:{visit.pk}:{visit.planned_for}:{visit.at_time or ''}",
            kind=KIND,
            channel=channel,
            organisation=Organisation(pk=visit.organisation_id),
            subject=subject,
            body=body,
            recipient_address=address,
            recipient_parent=parent,
            names_service=named,
            about=visit,
        )
        written += created
    return written
