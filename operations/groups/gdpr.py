"""What groups hold about a parent (bookings, with the children booked into
the crèche and attendance), and how it is erased: the bookings stay as
anonymous counts of places and attendance; names and numbers go."""

from __future__ import annotations

from operations.core.gdpr import Section, readable, readable_value
from operations.groups.models import Booking, BookingChild

HOLDS = [Booking, BookingChild]

#: What a restriction of processing (Article 18) refuses (see referrals.gdpr).
RESTRICTION_REFUSES = ("booking_create", "booking_restore", "booking_confirm")
RESTRICTION_ALLOWS = {
    "booking_cancel": "Cancelling a booking winds processing down (the parent is not told while restricted).",
    "booking_mark_attendance": "The register of a session booked before the restriction must say who was in "
    "the room (fire safety, crèche ratios).",
    "booking_child_set_present": "The crèche register must say which children were in the room.",
}

#: Clearer labels than the fields' verbose names, for the subject access report.
LABELS = {
    "session": "Group session",
    "attendee_name": "Name given at booking",
    "attendee_phone": "Phone given at booking",
    "transport_needed": "Transport asked for",
    "walk_in": "Walked in without booking",
    "status": "Booking and attendance",
    "waiting_since": "On the waiting list since",
    "created_at": "Booked",
    "created_by": "Booked by",
    "cancelled_at": "Cancelled",
    "audience_override_reason": "Booked outside the group's audience because",
    "booking": "Booking",
    "child": "Child on the record",
    "date_of_birth": "Born",
    "present": "Came to the crèche",
}


def subject_access(parent) -> list[Section]:
    bookings = Booking.objects.filter(parent=parent).select_related("session__group", "created_by")
    children = BookingChild.objects.filter(booking__parent=parent).select_related("booking", "child")
    return [
        Section(
            "Group bookings and attendance",
            [
                readable(
                    booking,
                    exclude=["organisation", "parent"],
                    labels=LABELS,
                    values={"session": f"{booking.session.group.name}, {readable_value(booking.session.starts_at)}"},
                )
                for booking in bookings.order_by("session__starts_at", "pk")
            ],
            source="groups.Booking",
        ),
        Section(
            "Children booked into a crèche",
            [readable(child, labels=LABELS) for child in children.order_by("booking_id", "pk")],
            source="groups.BookingChild",
        ),
    ]


def erase(parent) -> None:
    Booking.objects.filter(parent=parent).update(attendee_name="", attendee_phone="", audience_override_reason="")
    BookingChild.objects.filter(booking__parent=parent).update(first_name="")
