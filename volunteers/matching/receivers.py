"""What the matching app does when an organisation is created: it calls a service."""

from __future__ import annotations

from volunteers.matching.services import matching_settings_create


def make_matching_settings(sender, *, organisation, **kwargs) -> None:
    matching_settings_create(organisation_id=organisation.pk)
