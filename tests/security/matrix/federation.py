"""Rows of the federation pages (operations/federation): the roll-up and
coverage for a federation's officers only; the sharing switch for an
organisation's managers only."""

from __future__ import annotations

from tests.security.matrix.answers import LOGIN, Case, answers

# A federation officer only: everyone of an organisation is refused.
OFFICERS_ONLY = answers(LOGIN, 403, 403, 403, 403, 403, federation_officer=200)

PAGES: dict[str, list[Case]] = {
    "federation:rollup": [
        Case(OFFICERS_ONLY),
        Case(OFFICERS_ONLY, path="/federation/?service_kind=everything", note="re-shown with a field error"),
        Case(OFFICERS_ONLY, path="/federation/?mode=internal", note="still suppressed: there is no exact mode"),
    ],
    "federation:coverage": [
        Case(OFFICERS_ONLY),
        Case(OFFICERS_ONLY, path="/federation/coverage/?measure=everything", note="re-shown with a field error"),
    ],
    # The member's manager: the page, and a bad choice re-shown with a field error (nothing switched).
    "federation:sharing": [
        Case(answers(LOGIN, 403, 403, 403, 200, 403)),
        Case(answers(LOGIN, 403, 403, 403, 200, 403), method="POST", data={"share": "maybe"}),
    ],
}

API: dict[str, list[Case]] = {}
