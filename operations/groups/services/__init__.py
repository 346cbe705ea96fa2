"""Writes for groups, in rooms: ``sessions`` (groups, their sessions and the
crèche rota), ``bookings`` (places, the waiting list, attendance, head
counts) and ``feeds`` (private calendar addresses). Callers import from here:
``from operations.groups import services; services.booking_create(...)``."""

from operations.groups.services.bookings import (
    OVERRIDE_REASON_MAX,
    UNDO_WINDOW,
    CrecheChild,
    booking_cancel,
    booking_child_set_present,
    booking_confirm,
    booking_create,
    booking_mark_attendance,
    booking_restore,
    head_count_record,
)
from operations.groups.services.feeds import calendar_feed_for, calendar_feed_reset
from operations.groups.services.sessions import (
    FACILITATOR_ROLES,
    GROUP_FIELDS,
    group_check,
    group_create,
    group_update,
    session_cancel,
    session_rota_remove,
    session_update,
    sessions_generate,
    sessions_generate_all,
)

__all__ = [
    "FACILITATOR_ROLES",
    "GROUP_FIELDS",
    "OVERRIDE_REASON_MAX",
    "UNDO_WINDOW",
    "CrecheChild",
    "booking_cancel",
    "booking_child_set_present",
    "booking_confirm",
    "booking_create",
    "booking_mark_attendance",
    "booking_restore",
    "calendar_feed_for",
    "calendar_feed_reset",
    "group_check",
    "group_create",
    "group_update",
    "head_count_record",
    "session_cancel",
    "session_rota_remove",
    "session_update",
    "sessions_generate",
    "sessions_generate_all",
]
