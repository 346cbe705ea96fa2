"""Rows of the base layer: the home page, organisations and services, sign-in,
accounts and two-factor, the audit log and retention, and the API's own pages."""

from __future__ import annotations

from tests.security.matrix.answers import (
    API_MANAGERS_WRITE,
    API_MEMBERS,
    API_OTHER_ORGANISATION,
    API_OWN_ORGANISATION,
    LOGIN,
    MANAGERS_ONLY,
    MEMBERS,
    OTHER_ORGANISATION,
    OWN_ORGANISATION,
    POST_ONLY,
    PUBLIC,
    REDIRECT,
    SIGNED_IN,
    Case,
    answers,
)

PAGES: dict[str, list[Case]] = {
    # A federation officer's home is the federation's roll-up.
    "home": [Case(answers(LOGIN, 200, 200, 200, 200, 200, federation_officer=REDIRECT))],
    "healthz": [Case(PUBLIC)],
    "switch-organisation": [
        Case(POST_ONLY),
        Case(
            answers(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 404),
            method="POST",
            data={"organisation": "{organisation}"},
            note="switching to an organisation one does not belong to is not found",
        ),
    ],
    "service-list": [Case(MEMBERS, note="every member reads the services of their organisation")],
    "service-detail": [
        Case(OWN_ORGANISATION, args=("service",)),
        Case(OTHER_ORGANISATION, args=("other_service",)),
    ],
    "account": [Case(SIGNED_IN)],
    "two-factor-setup": [Case(SIGNED_IN)],
    # Nobody has enrolled yet: the verify page sends them to enrol.
    "two-factor-verify": [
        Case(answers(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, federation_officer=REDIRECT))
    ],
    # Recovery codes need an authenticator first: nobody here has one, so all are sent to enrol.
    "two-factor-recovery-codes": [
        Case(answers(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, federation_officer=REDIRECT)),
        Case(
            answers(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, federation_officer=REDIRECT),
            method="POST",
        ),
    ],
    "audit-log": [Case(MANAGERS_ONLY)],
    "retention": [Case(MANAGERS_ONLY)],
    # Django's auth pages.
    "login": [Case(PUBLIC)],
    "logout": [Case(answers(LOGIN, 405, 405, 405, 405, 405)), Case(answers(*[LOGIN] * 6), method="POST")],
    # The same sign-out, answering with Clear-Site-Data (the phone app's copies).
    "accounts/logout/": [
        Case(answers(LOGIN, 405, 405, 405, 405, 405), path="/accounts/logout/"),
        Case(answers(*[LOGIN] * 6), path="/accounts/logout/", method="POST"),
    ],
    "password_change": [Case(SIGNED_IN)],
    "password_change_done": [Case(SIGNED_IN)],
    "password_reset": [Case(PUBLIC)],
    "password_reset_done": [Case(PUBLIC)],
    "password_reset_confirm": [Case(PUBLIC, args=("MQ", "not-a-valid-token"), note="shows 'link invalid'")],
    "password_reset_complete": [Case(PUBLIC)],
    # API pages outside the schema.
    "api-root": [Case(answers(401, 200, 200, 200, 200, 200))],
    # The API's description, for anyone signed in (every operation then refuses a federation officer).
    "api-schema": [Case(answers(401, 200, 200, 200, 200, 200, federation_officer=200))],
    "api-docs": [Case(answers(401, 200, 200, 200, 200, 200, federation_officer=200))],
    "about": [Case(SIGNED_IN)],
}

API: dict[str, list[Case]] = {
    "POST /api/v1/auth/token/": [
        Case(answers(400, 400, 400, 400, 400, 400), data={}, note="public; an empty body is a field error"),
    ],
    "GET /api/v1/me/": [Case(API_MEMBERS)],
    "GET /api/v1/council-areas/": [Case(API_MEMBERS)],
    "GET /api/v1/council-areas/{id}/": [Case(API_MEMBERS, params={"id": "council_area"})],
    "GET /api/v1/organisations/": [Case(API_MEMBERS)],
    "GET /api/v1/organisations/{id}/": [
        Case(API_OWN_ORGANISATION, params={"id": "organisation"}),
        Case(API_OTHER_ORGANISATION, params={"id": "other_organisation"}),
    ],
    "GET /api/v1/services/": [Case(API_MEMBERS)],
    "POST /api/v1/services/": [Case(API_MANAGERS_WRITE, data={})],
    "GET /api/v1/services/{id}/": [
        Case(API_OWN_ORGANISATION, params={"id": "service"}),
        Case(API_OTHER_ORGANISATION, params={"id": "other_service"}),
    ],
    "PUT /api/v1/services/{id}/": [
        Case(API_MANAGERS_WRITE, params={"id": "service"}, data={}),
        Case(answers(401, 403, 403, 403, 404, 403), params={"id": "other_service"}, data={}),
    ],
    "PATCH /api/v1/services/{id}/": [
        Case(answers(401, 403, 403, 403, 200, 403), params={"id": "service"}, data={}, note="empty patch: no change"),
        Case(answers(401, 403, 403, 403, 404, 403), params={"id": "other_service"}, data={}),
    ],
}
