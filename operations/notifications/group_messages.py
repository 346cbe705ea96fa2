"""Messages to parents about their group bookings: a waiting-list place
offered, a session cancelled or moved (written when the groups app says so,
see ``receivers``), and the reminder before a session (found due by ``due``).
The channel is chosen by ``referrals.contact.message_channel``, the rule the
groups app also counts with before a coordinator confirms a cancellation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from operations.core.dates import weekday_date
from operations.core.models import Membership, Organisation, Role, User
from operations.groups import selectors
from operations.groups.models import Booking, BookingStatus, Group, GroupSession, SessionStatus
from operations.notifications.models import Channel
from operations.notifications.services import notification_write
from referrals.contact import message_channel


@dataclass(frozen=True)
class Message:
    """One message in two wordings: naming the group, and neutral for a
    parent whose messages may not name the service."""

    named_subject: str
    named_body: str
    neutral_subject: str
    neutral_body: str


def attendees_tell(
    *,
    bookings: Sequence[Booking],
    session: GroupSession,
    kind: str,
    key: str,
    message: Message,
    fallback: str,
    key_for: Callable[[Booking], str] | None = None,
    tell_coordinators: bool = True,
) -> None:
    """Writes one outbox row per attendee on a safe channel; attendees with
    none are listed (by booking number, no names) to the coordinators in the
    app, so someone tells them by a safe route."""
    organisation = Organisation(pk=session.organisation_id)
    key_for = key_for or (lambda booking: f"{key}-booking-{booking.pk}")
    unreachable = []
    for booking in bookings:
        if booking.parent is not None and booking.parent.processing_restricted:
            # Restricted at the parent's request: kept, never contacted (nor listed to chase).
            continue
        channel, address, named = message_channel(booking.parent) if booking.parent else (None, "", False)
        if channel is None:
            unreachable.append(booking)
            continue
        notification_write(
            key=key_for(booking),
            kind=kind,
            channel=channel,
            organisation=organisation,
            subject=message.named_subject if named else message.neutral_subject,
            body=message.named_body if named else message.neutral_body,
            recipient_address=address,
            recipient_parent=booking.parent,
            names_service=named,
            about=booking,
        )
    if not unreachable or not tell_coordinators:
        return
    numbers = ", ".join(f"#{booking.pk}" for booking in unreachable)
    coordinators = Membership.objects.active().filter(organisation_id=session.organisation_id, role=Role.COORDINATOR)
    for membership in coordinators.order_by("user_id"):
        notification_write(
            key=f"{key}-coordinator-{membership.user_id}",
            kind=kind,
            channel=Channel.IN_APP,
            organisation=organisation,
            recipient_user=User(pk=membership.user_id),
            subject=message.named_subject,
            body=f"{fallback} No safe way to message booking(s) {numbers}: please tell them yourself.",
            about=session,
            link=reverse("groups:register", args=[session.pk]),
        )


def _when(session: GroupSession) -> str:
    """``Mon 14 Feb 2028 at 10:00``: the day and local time a parent plans by."""
    local = timezone.localtime(session.starts_at)
    return f"{weekday_date(local.date())} at {local:%H:%M}"


def place_offered_write(*, booking_id: int, session_id: int) -> None:
    """Tells the parent on a channel their contact safety allows, naming the
    group only where they said messages may name the service; with no safe
    channel, the coordinators are asked in the app to tell them."""
    booking = Booking.objects.select_related("parent", "session").get(pk=booking_id, session_id=session_id)
    session = booking.session
    group_name = Group.objects.values_list("name", flat=True).get(pk=session.group_id)
    when = _when(session)
    attendees_tell(
        bookings=[booking],
        session=session,
        kind="booking_place_offered",
        key=f"booking-offered-{booking.pk}",
        key_for=lambda offered: f"booking-offered-{offered.pk}",
        message=Message(
            named_subject=f"A place at {group_name}",
            named_body=f"Good news: a place has come up for you at {group_name} on {when}. See you there.",
            neutral_subject="A place is now available",
            neutral_body=f"Good news: the place you asked about is now available, on {when}. See you then.",
        ),
        fallback=f"A waiting-list place on {group_name}, {when}, was offered.",
    )


def session_change_write(*, session_id: int, cancelled: bool) -> None:
    """Tells everyone booked or waiting that this session is cancelled or moved."""
    told = Booking.objects.filter(session_id=session_id, status__in=selectors.TOLD_OF_CHANGES)
    bookings = list(told.select_related("parent", "session").order_by("pk"))
    if not bookings:
        return
    session = bookings[0].session
    group_name = Group.objects.values_list("name", flat=True).get(pk=session.group_id)
    when = _when(session)
    if cancelled:
        key, kind = f"session-cancelled-{session.pk}", "session_cancelled"
        message = Message(
            named_subject=f"{group_name} is cancelled",
            named_body=f"Sorry: {group_name} on {when} is cancelled. We will be in touch about the next one.",
            neutral_subject="Cancelled",
            neutral_body=f"Sorry: the meeting on {when} is cancelled. We will be in touch.",
        )
        fallback = f"{group_name} on {when} is cancelled."
    else:
        # The new start time is part of the key: moving twice tells twice.
        key, kind = f"session-moved-{session.pk}-{int(session.starts_at.timestamp())}", "session_moved"
        message = Message(
            named_subject=f"{group_name} has moved",
            named_body=f"{group_name} has moved to {when}. Your place is kept.",
            neutral_subject="New time",
            neutral_body=f"The meeting you are booked on has moved to {when}. Your place is kept.",
        )
        fallback = f"{group_name} has moved to {when}."
    attendees_tell(bookings=bookings, session=session, kind=kind, key=key, message=message, fallback=fallback)


def session_reminders_write(
    *,
    now: datetime | None = None,
    hours_before: Callable[[int], int | None] | None = None,
    horizon_hours: int = 24,
) -> int:
    """Reminds everyone booked on a session starting within 24 hours, on a
    channel their contact safety allows (neutral wording where the service
    may not be named); people with no safe channel get no message, and the
    coordinators are asked in the app to remind them by a safe route. One key per
    booking and start time: a moved session is reminded again, a re-run
    never twice. Returns the bookings considered.

    ``hours_before(organisation_id)`` is how long ahead an organisation
    reminds (None: it does not); ``horizon_hours`` the longest of those."""
    now = now or timezone.now()
    hours_before = hours_before or (lambda _organisation_id: 24)
    sessions = GroupSession.objects.filter(
        status=SessionStatus.SCHEDULED, starts_at__gt=now, starts_at__lte=now + timedelta(hours=horizon_hours)
    ).select_related("group")
    considered = 0
    for session in sessions:
        hours = hours_before(session.organisation_id)
        if hours is None or session.starts_at > now + timedelta(hours=hours):
            continue
        bookings = list(session.bookings.filter(status=BookingStatus.BOOKED).select_related("parent"))
        if not bookings:
            continue
        considered += len(bookings)
        when = _when(session)
        attendees_tell(
            bookings=bookings,
            session=session,
            kind="session_reminder",
            key=f"session-reminder-{session.pk}-{session.starts_at:%Y%m%d%H%M}",
            key_for=lambda booking, session=session: f"session-reminder-{booking.pk}-{session.starts_at:%Y%m%d%H%M}",
            message=Message(
                named_subject=f"Reminder: {session.group.name}",
                named_body=f"A reminder that {session.group.name} meets {when}. We look forward to seeing you.",
                neutral_subject="A reminder",
                neutral_body=f"A reminder of your appointment {when}.",
            ),
            # Parents with no safe channel are listed to the coordinators (by booking number) to remind by hand.
            fallback=f"{session.group.name} meets {when}; the other parents booked are being reminded.",
        )
    return considered
