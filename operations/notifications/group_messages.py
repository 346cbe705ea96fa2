"""Messages to parents about their group bookings: a waiting-list place
offered, a session cancelled or moved (written when the groups app says so,
see ``receivers``), and the reminder before a session (found due by ``due``).
The channel is chosen by ``referrals.contact.message_channel``, the rule the
groups app also counts with before a coordinator confirms a cancellation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from operations.core.dates import weekday_date
from operations.core.models import Membership, Organisation, Role, User
from operations.groups import selectors
from operations.groups.models import Booking, BookingStatus, Format, Group, GroupSession, SessionStatus
from operations.notifications import wording
from operations.notifications.message_templates import TemplateBook
from operations.notifications.models import Channel
from operations.notifications.services import notification_write
from referrals.contact import message_channel

#: How a session reminder gives an online group's joining link when its wording does not place {link}.
LINK_SENTENCE = "Join online: {link}"


def attendees_tell(
    *,
    bookings: Sequence[Booking],
    session: GroupSession,
    kind: str,
    key: str,
    values: dict[str, str],
    fallback: str,
    key_for: Callable[[Booking], str] | None = None,
    tell_coordinators: bool = True,
    link_sentence: str = "",
) -> None:
    """Writes one outbox row per attendee on a safe channel, in the
    organisation's template for ``kind`` in her language (the built-in
    wording where there is none; ``message_templates``), naming the group
    only where her record allows it; attendees with no safe channel are
    listed (by booking number, no names) to the coordinators in the app, so
    someone tells them by a safe route."""
    organisation = Organisation(pk=session.organisation_id)
    book = TemplateBook(organisation_id=session.organisation_id, purpose=kind)
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
        subject, body = book.render(
            language=booking.parent.language,
            named=named,
            values={**values, "first_name": booking.parent.preferred_name or booking.parent.first_name},
            link_sentence=link_sentence,
        )
        notification_write(
            key=key_for(booking),
            kind=kind,
            channel=channel,
            organisation=organisation,
            subject=subject,
            body=body,
            recipient_address=address,
            recipient_parent=booking.parent,
            names_service=named,
            about=booking,
        )
    if not unreachable or not tell_coordinators:
        return
    numbers = ", ".join(f"#{booking.pk}" for booking in unreachable)
    coordinators = Membership.objects.active().filter(organisation_id=session.organisation_id, role=Role.COORDINATOR)
    # To staff, in the built-in English words naming the group.
    staff_subject = wording.fill(wording.DEFAULTS[kind].pick(named=True)[0], values)
    for membership in coordinators.order_by("user_id"):
        notification_write(
            key=f"{key}-coordinator-{membership.user_id}",
            kind=kind,
            channel=Channel.IN_APP,
            organisation=organisation,
            recipient_user=User(pk=membership.user_id),
            subject=staff_subject,
            body=f"{fallback} No safe way to message booking(s) {numbers}: please tell them yourself.",
            about=session,
            link=reverse("groups:register", args=[session.pk]),
        )


def session_values(session: GroupSession, group: Group) -> dict[str, str]:
    """The placeholders' values for a session (``wording.ALLOWED``): the
    joining link only for an online group."""
    local = timezone.localtime(session.starts_at)
    return {
        "date": weekday_date(local.date()),
        "time": f"{local:%H:%M}",
        "when": _when(session),
        "place": "" if group.format == Format.ONLINE else group.venue_name,
        "link": group.joining_link if group.format == Format.ONLINE else "",
        "group": group.name,
    }


def _when(session: GroupSession) -> str:
    """``Mon 14 Feb 2028 at 10:00``: the day and local time a parent plans by."""
    local = timezone.localtime(session.starts_at)
    return f"{weekday_date(local.date())} at {local:%H:%M}"


def place_offered_write(*, booking_id: int, session_id: int) -> None:
    """Tells the parent on a channel their contact safety allows, naming the
    group only where they said messages may name the service; with no safe
    channel, the coordinators are asked in the app to tell them."""
    booking = Booking.objects.select_related("parent", "session__group").get(pk=booking_id, session_id=session_id)
    session = booking.session
    values = session_values(session, session.group)
    attendees_tell(
        bookings=[booking],
        session=session,
        kind="booking_place_offered",
        key=f"booking-offered-{booking.pk}",
        key_for=lambda offered: f"booking-offered-{offered.pk}",
        values=values,
        fallback=f"A waiting-list place on {values['group']}, {values['when']}, was offered.",
    )


def session_change_write(*, session_id: int, cancelled: bool) -> None:
    """Tells everyone booked or waiting that this session is cancelled or moved."""
    told = Booking.objects.filter(session_id=session_id, status__in=selectors.TOLD_OF_CHANGES)
    bookings = list(told.select_related("parent", "session__group").order_by("pk"))
    if not bookings:
        return
    session = bookings[0].session
    values = session_values(session, session.group)
    if cancelled:
        key, kind = f"session-cancelled-{session.pk}", "session_cancelled"
        fallback = f"{values['group']} on {values['when']} is cancelled."
    else:
        # The new start time is part of the key: moving twice tells twice.
        key, kind = f"session-moved-{session.pk}-{int(session.starts_at.timestamp())}", "session_moved"
        fallback = f"{values['group']} has moved to {values['when']}."
    attendees_tell(bookings=bookings, session=session, kind=kind, key=key, values=values, fallback=fallback)


def session_reminders_write(
    *,
    now: datetime | None = None,
    hours_before: Callable[[int], int | None] | None = None,
    horizon_hours: int = 24,
) -> int:
    """Reminds everyone booked on a session starting within 24 hours, on a
    channel their contact safety allows (neutral wording where the service
    may not be named), with the joining link of an online group; people with
    no safe channel get no message, and the coordinators are asked in the
    app to remind them by a safe route. One key per booking and start time:
    a moved session is reminded again, a re-run never twice. Returns the
    bookings considered.

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
        values = session_values(session, session.group)
        attendees_tell(
            bookings=bookings,
            session=session,
            kind="session_reminder",
            key=f"session-reminder-{session.pk}-{session.starts_at:%Y%m%d%H%M}",
            key_for=lambda booking, session=session: f"session-reminder-{booking.pk}-{session.starts_at:%Y%m%d%H%M}",
            values=values,
            link_sentence=LINK_SENTENCE,
            # Parents with no safe channel are listed to the coordinators (by booking number) to remind by hand.
            fallback=f"{values['group']} meets {values['when']}; the other parents booked are being reminded.",
        )
    return considered
