"""The beat's daily question, what has become due: every rule, from the
staff and family rules (``due``) and the outcome measures' (``due_outcomes``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from operations.notifications import due, due_outcomes
from operations.notifications.reminder_settings import ReminderConfig

#: Every rule the daily scan runs; each rule's name is its on/off switch in
#: ``reminder_settings.SWITCHES``.
RULES: list[due.Rule] = [*due.RULES, *due_outcomes.RULES]


def reminders_scan(*, today: dt.date | None = None) -> int:
    """Writes what has become due, once. Returns new staff rows."""
    today = today or timezone.localdate()
    config = ReminderConfig.load()  # once per scan: every rule reads it
    for write in due.PARENT_WRITERS:
        write(timezone.now(), config)
    return due.reminders_write(
        found for rule in RULES for found in rule(today, config) if config.is_on(found.organisation_id, rule.__name__)
    )
