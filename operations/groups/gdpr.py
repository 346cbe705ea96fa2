"""What groups hold about a parent (bookings, with the children booked into
the crèche and attendance), and how it is erased: the bookings stay as
anonymous counts of places and attendance; names and numbers go."""

from __future__ import annotations

from operations.core.dates import short_date
from operations.core.gdpr import Section
from operations.groups.models import Booking, BookingChild

HOLDS = [Booking, BookingChild]


def subject_access(parent) -> list[Section]:
    bookings = Booking.objects.filter(parent=parent).select_related("session__group").order_by("session__starts_at")
    children = BookingChild.objects.filter(booking__parent=parent).order_by("booking_id", "pk")
    return [
        Section(
            "Group bookings",
            [
                {
                    "Booking": f"#{booking.pk}",
                    "Group": booking.session.group.name,
                    "Session": short_date(booking.session.date),
                    "State": booking.get_status_display(),
                    "Transport asked for": "yes" if booking.transport_needed else "",
                    "Booked outside the group's audience because": booking.audience_override_reason,
                }
                for booking in bookings
            ],
        ),
        Section(
            "Children booked into a crèche",
            [
                {
                    "Booking": f"#{child.booking_id}",
                    "First name": child.first_name,
                    "Born": short_date(child.date_of_birth),
                    "Came": "yes" if child.present else "",
                }
                for child in children
            ],
        ),
    ]


def erase(parent) -> None:
    Booking.objects.filter(parent=parent).update(attendee_name="", attendee_phone="", audience_override_reason="")
    BookingChild.objects.filter(booking__parent=parent).update(first_name="")
