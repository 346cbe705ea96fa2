"""Builders for the two-way text tests: a parent safe to text, booked on
Friday's session and reminded by text on Thursday; a text received as a
provider's webhook hands it over (``receive_text``, its signal run)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from operations.groups import services as groups
from operations.groups.models import Booking, GroupSession
from operations.notifications.group_messages import session_reminders_write
from operations.notifications.inbound import receive_text
from operations.notifications.models import Channel, InboundText, Notification
from operations.notifications.reminder_settings import reminder_settings_create
from operations.notifications.services import notification_send, notification_write
from tests.factories import ParentFactory
from tests.groups.helpers import make_group

#: Thursday 3 Dec 2026, midday: the reminders of Friday's session are out.
THURSDAY = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
FRIDAY = dt.date(2026, 12, 4)
ORGANISATION_NUMBER = "+447700900001"
_ids = itertools.count(1)


def safe_parent(organisation, *, phone="07700900123", may_name_service=False, **fields):
    return ParentFactory(
        organisation=organisation,
        phone=phone,
        safe_sms=True,
        may_name_service=may_name_service,
        contact_safety_recorded_at=timezone.now(),
        **fields,
    )


def textable(parent):
    """A matched family's parent (tests.notifications.conftest's ``match``), made safe to text on her phone."""
    parent.phone, parent.safe_sms, parent.contact_safety_recorded_at = "07700900123", True, timezone.now()
    parent.save()
    return parent


def fridays_session(organisation, **group) -> GroupSession:
    made = make_group(organisation, starts_on=dt.date(2026, 11, 1), **group)
    return made.sessions.get(starts_at__date=FRIDAY)


def book(session: GroupSession, parent) -> Booking:
    return groups.booking_create(session_id=session.pk, actor=None, parent=parent)


def send_due() -> None:
    """What the workers would do: every due row sent (quiet hours aside)."""
    for pk in Notification.objects.due().order_by("pk").values_list("pk", flat=True):
        notification_send(notification_id=pk)


def remind(now=None) -> None:
    session_reminders_write(now=now or timezone.now())
    send_due()


def visit_reminder(visit, parent) -> Notification:
    """The reminder sms-parents writes the day before a planned visit (kind
    ``parent_visit_reminder``, about the visit), sent."""
    notification, _ = notification_write(
        key=f"parent-visit-reminder-{visit.pk}",
        kind="parent_visit_reminder",
        channel=Channel.SMS,
        organisation=parent.organisation,
        subject="A reminder",
        body="A reminder of your appointment tomorrow.",
        recipient_address=parent.phone,
        recipient_parent=parent,
        about=visit,
    )
    notification_send(notification_id=notification.pk)
    return notification


def use_number(organisation, number: str = ORGANISATION_NUMBER) -> None:
    row = reminder_settings_create(organisation_id=organisation.pk)
    row.sms_number = number
    row.save()


def text_in(capture, *, body: str, sender: str = "+447700900123", message_id: str = "", to=ORGANISATION_NUMBER):
    """A provider's webhook handing a text over; the signal's receivers run as after the commit."""
    with capture(execute=True):
        inbound, _ = receive_text(
            provider="twilio",
            provider_message_id=message_id or f"SM{next(_ids):06d}",
            from_number=sender,
            to_number=to,
            body=body,
            received_at=timezone.now(),
        )
    send_due()
    return InboundText.objects.get(pk=inbound.pk)
