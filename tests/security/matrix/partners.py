"""Rows of the partner API and its credentials (issue 21). The API takes a
partner system's token and nothing else: every persona, signed in or not,
is "not signed in" there (401). What a partner token gets, there and on
every other route, is in tests/partners/."""

from __future__ import annotations

from tests.security.matrix.answers import LOGIN, MANAGERS_ONLY, REDIRECT, Case, answers

NOBODY_BUT_A_PARTNER = answers(*[401] * 6)

PAGES: dict[str, list[Case]] = {
    "partners:list": [Case(MANAGERS_ONLY)],
    # An empty form comes back with its field errors; no credential is made.
    "partners:new": [Case(MANAGERS_ONLY), Case(MANAGERS_ONLY, method="POST")],
    # Managers only (the role check comes before the lookup and the method).
    "partners:revoke": [
        Case(answers(LOGIN, 403, 403, 403, 405, 403), args=("partner_credential",)),
        Case(answers(LOGIN, 403, 403, 403, REDIRECT, 403), args=("partner_credential",), method="POST"),
        Case(answers(LOGIN, 403, 403, 403, 404, 403), args=("other_partner_credential",), method="POST"),
    ],
}

API: dict[str, list[Case]] = {
    "GET /api/v1/partner/referrals/": [Case(NOBODY_BUT_A_PARTNER)],
    "POST /api/v1/partner/referrals/": [Case(NOBODY_BUT_A_PARTNER, data={})],
    "GET /api/v1/partner/referrals/{id}/": [Case(NOBODY_BUT_A_PARTNER, params={"id": "referral"})],
}
