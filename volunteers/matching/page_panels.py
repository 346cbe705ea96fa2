"""Panels this app adds to lower layers' pages (found by
``operations.core.page_panels``): a volunteer's profile (volunteers/) lists
her current families without the volunteers app importing this one."""

from __future__ import annotations

from operations.core.page_panels import PagePanel
from volunteers.matching import selectors

PANELS = {
    "volunteer": [
        PagePanel(
            template="matching/_volunteer_families_panel.html",
            context=lambda user, profile: {"profile": profile, "families": selectors.current_families(user, profile)},
        ),
    ],
}
