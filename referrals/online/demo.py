"""Demo data of the online forms: both forms open for every demo
organisation, with a few words on top, so /refer/tweed-valley/ works after
`make run`. Idempotent: a manager's later choice is left alone once made."""

from __future__ import annotations

from referrals.online.models import OnlineReferralSettings

INTRO = (
    "We are a small charity of parents who have been there. Tell us a little about you and we will be in "
    "touch, in the way you say is safe."
)


def seed(*, organisations: dict, users: dict) -> None:
    for organisation in organisations.values():
        config, _ = OnlineReferralSettings.objects.get_or_create(organisation=organisation)
        if not config.intro:
            config.self_form_open = config.professional_form_open = True
            config.intro = INTRO
            config.save()
