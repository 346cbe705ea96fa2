"""What the volunteers app does when an organisation is created: it calls a service."""

from __future__ import annotations

from volunteers.services import organisation_defaults_create


def make_volunteer_settings(sender, *, organisation, **kwargs) -> None:
    organisation_defaults_create(organisation_id=organisation.pk)
