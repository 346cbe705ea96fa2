"""Panels this app adds to lower layers' pages (found by
``operations.core.page_panels``): a volunteer's profile (volunteers/) lists
her current families without the volunteers app importing this one, and the
public online referral forms' pre-check (referrals/online/) lists the
signposting directory as "where else to turn"."""

from __future__ import annotations

from operations.core.page_panels import PagePanel
from volunteers.matching import selectors
from volunteers.matching.models import DirectoryEntry

PANELS = {
    "volunteer": [
        PagePanel(
            template="matching/_volunteer_families_panel.html",
            context=lambda user, profile: {"profile": profile, "families": selectors.current_families(user, profile)},
        ),
    ],
    # Public: the organisation's active directory entries (names, what they
    # offer, websites), which hold nothing about anyone.
    "online-referral-precheck": [
        PagePanel(
            template="matching/_signposting_public.html",
            context=lambda user, organisation: {
                "entries": list(
                    DirectoryEntry.objects.filter(organisation=organisation, is_active=True).order_by("name")
                )
            },
        ),
    ],
}
