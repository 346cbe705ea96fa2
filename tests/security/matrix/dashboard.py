"""Rows of the manager dashboard."""

from __future__ import annotations

from tests.security.matrix.answers import (
    MANAGERS_ONLY,
    Case,
    answers,
)

# The manager dashboard and its printable summary: managers only; a service
# of another organisation is a field error on the filter form, not a page of figures.
PAGES: dict[str, list[Case]] = {
    "dashboard:index": [
        Case(MANAGERS_ONLY),
        Case(MANAGERS_ONLY, path="/dashboard/?service={other_service}", note="re-shown with a field error"),
    ],
    "dashboard:summary": [Case(MANAGERS_ONLY)],
}

# The dashboard's figures: managers only (bad filters are 400s, tested in tests/dashboard).
API: dict[str, list[Case]] = {
    "GET /api/v1/dashboard/": [Case(answers(401, 403, 403, 403, 200, 403))],
}

# Coverage by council area and the births behind its rates: managers only.
PAGES |= {
    "coverage:index": [
        Case(MANAGERS_ONLY),
        Case(MANAGERS_ONLY, path="/coverage/?measure=everything", note="re-shown with a field error"),
    ],
    "coverage:births": [Case(MANAGERS_ONLY)],
}
