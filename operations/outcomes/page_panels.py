"""Panels this app adds to lower layers' pages (found by
``operations.core.page_panels``): the parent's page shows their outcome
measures without the referrals app importing this one."""

from __future__ import annotations

from operations.core.page_panels import PagePanel
from operations.outcomes import selectors

PANELS = {
    "parent": [
        PagePanel(
            template="outcomes/_parent_panel.html",
            context=lambda user, parent: {"parent": parent, "assessments": selectors.parent_assessments(user, parent)},
        ),
    ],
}
