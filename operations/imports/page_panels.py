"""Panels this app adds to lower layers' pages (found by
``operations.core.page_panels``): a volunteer's or parent's page says where
the record came from when an import made it."""

from __future__ import annotations

from operations.core.page_panels import PagePanel
from operations.imports import selectors


def _context(user, record) -> dict:
    return {"provenance": selectors.provenance_for(user, record)}


PANELS = {
    "volunteer": [PagePanel(template="imports/_provenance.html", context=_context)],
    "parent": [PagePanel(template="imports/_provenance.html", context=_context)],
}
