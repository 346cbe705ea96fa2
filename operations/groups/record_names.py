"""Groups, their sessions and bookings named in words on the audit log
(operations.core.record_names)."""

from __future__ import annotations

from django.utils import timezone

from operations.core.dates import weekday_date
from operations.core.links import record_url
from operations.core.record_names import Namer
from operations.groups.models import Booking, Group, GroupSession


def _session_words(session: GroupSession) -> str:
    return f"{session.group.name} on {weekday_date(timezone.localtime(session.starts_at).date())}"


NAMES = {
    "groups.Group": Namer(
        records=lambda user: Group.objects.visible_to(user),
        words=lambda group: f"Group {group.name}",
        url=lambda group: record_url("groups:detail", group.pk),
    ),
    "groups.GroupSession": Namer(
        records=lambda user: GroupSession.objects.visible_to(user).select_related("group"),
        words=lambda session: f"Session of {_session_words(session)}",
        url=lambda session: record_url("groups:session", session.pk),
    ),
    "groups.Booking": Namer(
        records=lambda user: Booking.objects.visible_to(user).select_related("parent", "session__group"),
        words=lambda booking: f"Booking of {booking.display_name} for {_session_words(booking.session)}",
        url=lambda booking: record_url("groups:session", booking.session_id),
    ),
}
