"""Rows of word back to the referrer (issue 21): the referrer's public
status page, a coordinator's note, the managers' wording."""

from __future__ import annotations

from tests.security.matrix.answers import MANAGERS_ONLY, PUBLIC, Case, answers, staff_post

PAGES: dict[str, list[Case]] = {
    # The signed link is the only key: no sign-in; any failure is the same 404 page for everyone.
    # (The page is rate-limited per address; tests/security/conftest.py empties the cache before each case.)
    "referrer_updates:status": [
        Case(PUBLIC, args=("referrer_status_token",), note="a link from an update, opened by anyone"),
        Case(answers(*[404] * 6), args=("not-a-valid-token",)),
    ],
    # An empty note is a field error (400, nothing sent).
    "referrer_updates:note": staff_post("referral", "other_referral", answer=400),
    # The wording: managers only (an empty POST shows the form again, nothing saved).
    "referrer_updates:settings": [Case(MANAGERS_ONLY), Case(MANAGERS_ONLY, method="POST")],
}

API: dict[str, list[Case]] = {}
