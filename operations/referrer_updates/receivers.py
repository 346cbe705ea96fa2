"""What word back to the referrer does on other apps' events: a referral
received or moved (by any path: a page, the board, the API, matching, a
partner system), an organisation created. Each calls this app's own code."""

from __future__ import annotations

from operations.referrer_updates import services
from operations.referrer_updates.wording import EVENT_FOR_STATUS


def tell_referrer(sender, *, referral_id: int, to_status: str, **kwargs) -> None:
    event = EVENT_FOR_STATUS.get(to_status)
    if event is not None:
        services.referrer_update_write(referral_id=referral_id, event=event)


def make_settings(sender, *, organisation, **kwargs) -> None:
    services.referrer_update_settings_create(organisation_id=organisation.pk)
