"""Rows of the closures room (closing a service, issue 24): managers of the
organisation only; another organisation's closure is not found."""

from __future__ import annotations

from tests.security.matrix.answers import (
    LOGIN,
    MANAGER_OTHER,
    MANAGER_OWN,
    MANAGERS_ONLY,
    REDIRECT,
    Case,
    answers,
)

POST_MANAGER_OWN = answers(LOGIN, 403, 403, 403, 405, 403)

PAGES: dict[str, list[Case]] = {
    "closures:list": [
        Case(MANAGERS_ONLY),
        Case(answers(LOGIN, 403, 403, 403, 400, 403), method="POST", data={}, note="an empty plan: field errors"),
    ],
    "closures:detail": [
        Case(MANAGER_OWN, args=("service_closure",)),
        Case(MANAGER_OTHER, args=("other_service_closure",)),
    ],
    "closures:decide": [
        Case(POST_MANAGER_OWN, args=("service_closure",)),
        Case(
            answers(LOGIN, 403, 403, 403, 400, 403),
            args=("service_closure",),
            method="POST",
            data={},
            note="no referral: a field error, nothing written",
        ),
        Case(MANAGER_OTHER, args=("other_service_closure",), method="POST", data={}),
    ],
    "closures:complete": [
        Case(POST_MANAGER_OWN, args=("service_closure",)),
        Case(
            answers(LOGIN, 403, 403, 403, REDIRECT, 403),
            args=("service_closure",),
            method="POST",
            data={},
            note="nothing left undecided: completed",
        ),
        Case(MANAGER_OTHER, args=("other_service_closure",), method="POST", data={}),
    ],
    "closures:report": [
        Case(MANAGER_OWN, args=("service_closure",)),
        Case(MANAGER_OTHER, args=("other_service_closure",)),
    ],
    "closures:report-csv": [
        Case(MANAGER_OWN, args=("service_closure",)),
        Case(MANAGER_OTHER, args=("other_service_closure",)),
    ],
}

API: dict[str, list[Case]] = {}
