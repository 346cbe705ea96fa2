"""The groups app's entries on a parent's timeline (found by
``operations.core.timeline``): her bookings (or places on a waiting list),
cancellations, and whether she came. One query, whatever the number of
bookings.

A booking gives up to two entries (booked, then cancelled or attended); the
query orders bookings by the newest of them, so the ``limit`` newest
bookings hold the ``limit`` newest entries."""

from __future__ import annotations

from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from operations.core.dates import short_date
from operations.core.timeline import Entry, at
from operations.groups.models import Booking, BookingStatus

KINDS = {"booking": "Group bookings and attendance"}

CAME = (BookingStatus.ATTENDED, BookingStatus.DID_NOT_ATTEND)


def entries(parent, *, user, kinds: frozenset[str], limit: int) -> list[Entry]:
    bookings = (
        Booking.objects.visible_to(user)
        .filter(parent=parent)
        .select_related("session__group", "created_by")
        .annotate(
            newest=Case(
                When(status=BookingStatus.CANCELLED, then=Coalesce("cancelled_at", "created_at")),
                When(status__in=CAME, then=Greatest("created_at", "session__starts_at")),
                default=F("created_at"),
            ),
            came=Case(When(status__in=CAME, then=Value(True)), default=Value(False)),
        )
        .order_by("-newest", "-pk")[:limit]
    )
    found = []
    for booking in bookings:
        session = booking.session
        start = timezone.localtime(session.starts_at)
        what = f"{session.group.name}, {short_date(start.date())} {start:%H:%M}"
        link = reverse("groups:session", args=[session.pk])
        if not booking.walk_in:
            if booking.waiting_since:
                label = f"Put on the waiting list for {what}"
            else:
                label = f"Booked on {what}"
            if session.is_cancelled:
                label += " (the session was cancelled)"
            by = f"by {booking.created_by}" if booking.created_by_id else ""
            found.append(at(booking.created_at, kind="booking", label=label, link=link, by=by))
        if booking.status == BookingStatus.CANCELLED and booking.cancelled_at:
            found.append(at(booking.cancelled_at, kind="booking", label=f"Booking cancelled: {what}", link=link))
        elif booking.came:
            if booking.status == BookingStatus.DID_NOT_ATTEND:
                label = f"Did not come to {what}"
            else:
                label = f"Came to {what}" + (" (walk-in)" if booking.walk_in else "")
            # Never before the booking itself: a walk-in is booked as she arrives.
            found.append(at(max(booking.created_at, session.starts_at), kind="booking", label=label, link=link))
    return found
