"""What the outbox does when a parent's record changes: it calls a service."""

from __future__ import annotations

from operations.notifications import due, services


def recheck_waiting_messages(sender, *, parent_id: int, **kwargs) -> None:
    services.notifications_recheck_for_parent(parent_id=parent_id)


def tell_volunteer_of_match(sender, *, match_id: int, **kwargs) -> None:
    due.match_confirmed(match_id=match_id)
