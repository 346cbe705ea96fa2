"""Rows of the online referral forms (referrals/online): the two public
forms anyone may open and send, and the staff pages behind them."""

from __future__ import annotations

from tests.security.matrix.answers import MANAGERS_ONLY, PUBLIC, REDIRECT, STAFF, Case, answers, staff_post

# Sent empty, a form answers with its field errors (200) and writes nothing,
# whoever sends it: signed in or not, the forms are the public's.
PAGES: dict[str, list[Case]] = {
    "online_referrals:self": [
        Case(PUBLIC, args=("online_forms",)),
        Case(PUBLIC, args=("online_forms",), method="POST", note="an empty form: field errors"),
        Case(answers(404, 404, 404, 404, 404, 404), args=("no-such-charity",), note="an unknown address"),
    ],
    "online_referrals:professional": [
        Case(PUBLIC, args=("online_forms",)),
        Case(PUBLIC, args=("online_forms",), method="POST", note="an empty form: field errors"),
    ],
    # Opening and closing the forms, their addresses and QR codes: managers.
    "online_referrals:manage": [Case(MANAGERS_ONLY), Case(MANAGERS_ONLY, method="POST")],
    "online_referrals:print": [Case(MANAGERS_ONLY)],
    # Forms held for a coordinator (possible duplicates) and spam: coordinators and managers.
    "online_referrals:to-check": [Case(STAFF)],
    "online_referrals:dealt-with": staff_post("held_submission", "other_held_submission", answer=REDIRECT),
}

API: dict[str, list[Case]] = {}
