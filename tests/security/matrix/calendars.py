"""Rows of the calendar (issue 22): every member has one, of what is
visible_to them; a filter naming another organisation's service or group is
read as a field error (400, the calendar of today shown), never its entries."""

from __future__ import annotations

from tests.security.matrix.answers import LOGIN, MEMBERS, Case, answers

BAD_INPUT = answers(LOGIN, 400, 400, 400, 400, 400)

PAGES: dict[str, list[Case]] = {
    "calendar:index": [
        Case(MEMBERS),
        Case(MEMBERS, path="/calendar/?view=week&date=2028-02-14"),
        Case(BAD_INPUT, path="/calendar/?month=13", note="the current month, with a message"),
        Case(BAD_INPUT, path="/calendar/?date=garbage&view=fortnight"),
        Case(
            answers(LOGIN, 400, 400, 400, 400, 200),
            path="/calendar/?service={other_service}",
            note="the other organisation's own service reads; ours is a field error to them",
        ),
    ],
}

API: dict[str, list[Case]] = {}
