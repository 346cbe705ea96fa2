"""What the online forms app does when an organisation is created: it calls a service."""

from __future__ import annotations

from referrals.online.services import online_settings_create


def make_online_settings(sender, *, organisation, **kwargs) -> None:
    online_settings_create(organisation_id=organisation.pk)
