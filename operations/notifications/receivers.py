"""What the outbox does when a parent's record changes, or an organisation
is created: it calls a service."""

from __future__ import annotations

from operations.notifications import services
from operations.notifications.reminder_settings import reminder_settings_create


def recheck_waiting_messages(sender, *, parent_id: int, **kwargs) -> None:
    services.notifications_recheck_for_parent(parent_id=parent_id)


def make_reminder_settings(sender, *, organisation, **kwargs) -> None:
    reminder_settings_create(organisation_id=organisation.pk)
