"""Panels this app adds to lower layers' pages (found by
``operations.core.page_panels``): a referral's page shows what its
referrer was told and when, and the form for a note, without the referrals
app importing this one."""

from __future__ import annotations

from operations.core.page_panels import PagePanel
from operations.referrer_updates import selectors, services
from operations.referrer_updates.forms import ReferrerNoteForm


def _referral_panel(user, referral) -> dict:
    why_not = services.why_no_updates(referral)
    return {
        "referral": referral,
        "updates": selectors.updates_of(user, referral.pk),
        "why_not": why_not,
        "sending_on": selectors.settings_for(referral.organisation_id).send_updates,
        "form": None if why_not else ReferrerNoteForm(),
    }


PANELS = {
    "referral": [PagePanel(template="referrer_updates/_referral_panel.html", context=_referral_panel)],
}
