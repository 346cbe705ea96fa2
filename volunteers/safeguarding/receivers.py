"""What the safeguarding app does when something happens elsewhere: it calls a service."""

from __future__ import annotations

from volunteers.safeguarding import services


def make_safeguarding_settings(sender, *, organisation, **kwargs) -> None:
    services.safeguarding_settings_create(organisation_id=organisation.pk)


def raise_concern_from_contact_log(sender, *, log, actor, **kwargs) -> None:
    services.concern_from_contact_log(actor=actor, log=log)


def open_supervision_concerns(sender, *, session, volunteers, **kwargs) -> None:
    for volunteer in volunteers:
        services.concern_from_supervision(session=session, volunteer=volunteer)
