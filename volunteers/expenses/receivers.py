"""What the expenses app does when something happens elsewhere: it calls a service."""

from __future__ import annotations

from volunteers.expenses import services


def make_expense_settings(sender, *, organisation, **kwargs) -> None:
    services.expense_settings_create(organisation_id=organisation.pk)
