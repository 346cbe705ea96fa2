"""Rows of the search page (issue 22): every member may search; what each
finds is scoped by each model's ``visible_to`` (tests/search)."""

from __future__ import annotations

from tests.security.matrix.answers import MEMBERS, Case

PAGES: dict[str, list[Case]] = {
    "search:results": [Case(MEMBERS)],
}

API: dict[str, list[Case]] = {}
