"""Rows of the evaluation app (issue 8): projects, exports and downloads."""

from __future__ import annotations

from tests.security.matrix.answers import (
    API_MANAGER_OTHER,
    API_MANAGER_OWN,
    API_MANAGERS_WRITE,
    LOGIN,
    MANAGER_OTHER,
    MANAGER_OWN,
    MANAGERS_ONLY,
    REDIRECT,
    Case,
    answers,
)

# Evaluation exports (issue 8): managers of the organisation only; another
# organisation's project or export is not found, even for its own manager.
PAGES: dict[str, list[Case]] = {
    "evaluation:project-list": [
        Case(MANAGERS_ONLY),
        Case(MANAGER_OWN, method="POST", data={}, note="an empty form: field errors, nothing written"),
    ],
    "evaluation:project-detail": [
        Case(MANAGER_OWN, args=("evaluation_project",)),
        Case(MANAGER_OTHER, args=("other_evaluation_project",)),
        Case(MANAGER_OWN, args=("evaluation_project",), method="POST", data={}, note="no format: a field error"),
    ],
    "evaluation:project-edit": [
        Case(MANAGER_OWN, args=("evaluation_project",)),
        Case(MANAGER_OTHER, args=("other_evaluation_project",)),
        Case(
            answers(LOGIN, 403, 403, 403, 400, 403),
            args=("evaluation_project",),
            method="POST",
            data={},
            note="no name: a field error",
        ),
    ],
    "evaluation:export-detail": [
        Case(MANAGER_OWN, args=("evaluation_export",)),
        Case(MANAGER_OTHER, args=("other_evaluation_export",)),
    ],
    "evaluation:export-cancel": [
        Case(answers(LOGIN, 403, 403, 403, 405, 403), args=("evaluation_export",)),
        Case(answers(LOGIN, 403, 403, 403, REDIRECT, 403), args=("evaluation_export",), method="POST", data={}),
        Case(MANAGER_OTHER, args=("other_evaluation_export",), method="POST", data={}),
    ],
    # Still queued: nothing to discard, a message on the export's page (GET and POST alike).
    "evaluation:export-discard": [
        Case(answers(LOGIN, 403, 403, 403, REDIRECT, 403), args=("evaluation_export",)),
        Case(MANAGER_OTHER, args=("other_evaluation_export",)),
        Case(answers(LOGIN, 403, 403, 403, REDIRECT, 403), args=("evaluation_export",), method="POST", data={}),
        Case(MANAGER_OTHER, args=("other_evaluation_export",), method="POST", data={}),
    ],
    "evaluation:download": [
        Case(
            answers(LOGIN, 403, 403, 403, 410, 403),
            args=("download_token",),
            note="the manager's own link, but the export is still queued: gone",
        ),
        Case(answers(LOGIN, 403, 403, 403, 410, 403), args=("not-a-signed-token",)),
    ],
}

# Pooled evaluation (issue 24), /federation/evaluation/: the officers of the
# project's federation only; everyone of an organisation is refused first
# (403), and another federation's project or export is not found.
OFFICERS_ONLY = answers(LOGIN, 403, 403, 403, 403, 403, federation_officer=200)
OFFICERS_OTHER = answers(LOGIN, 403, 403, 403, 403, 403, federation_officer=404)

PAGES |= {
    "pooled:project-list": [
        Case(OFFICERS_ONLY),
        Case(
            answers(LOGIN, 403, 403, 403, 403, 403, federation_officer=400),
            method="POST",
            data={},
            note="an empty form: field errors, nothing written",
        ),
    ],
    "pooled:project-detail": [
        Case(OFFICERS_ONLY, args=("pooled_project",)),
        Case(OFFICERS_OTHER, args=("other_pooled_project",)),
        Case(
            answers(LOGIN, 403, 403, 403, 403, 403, federation_officer=400),
            args=("pooled_project",),
            method="POST",
            data={},
            note="no format, and nobody opted in: field errors, nothing written",
        ),
        Case(OFFICERS_OTHER, args=("other_pooled_project",), method="POST", data={}),
    ],
    "pooled:export-detail": [
        Case(OFFICERS_ONLY, args=("pooled_export",)),
        Case(OFFICERS_OTHER, args=("other_pooled_export",)),
    ],
    "pooled:export-cancel": [
        Case(answers(LOGIN, 403, 403, 403, 403, 403, federation_officer=405), args=("pooled_export",)),
        Case(
            answers(LOGIN, 403, 403, 403, 403, 403, federation_officer=REDIRECT),
            args=("pooled_export",),
            method="POST",
            data={},
        ),
        Case(OFFICERS_OTHER, args=("other_pooled_export",), method="POST", data={}),
    ],
    "pooled:download": [
        Case(
            answers(LOGIN, 403, 403, 403, 403, 403, federation_officer=410),
            args=("pooled_download_token",),
            note="the officer's own link, but the export is still queued: gone",
        ),
        Case(answers(LOGIN, 403, 403, 403, 403, 403, federation_officer=410), args=("not-a-signed-token",)),
    ],
    # A member's manager answers a pooled project of its federation (both
    # organisations are members); another federation's project is not found.
    # The officer belongs to no organisation: refused like anyone without one.
    "evaluation:pooled-participation": [
        Case(MANAGER_OWN, args=("pooled_project",)),
        Case(MANAGER_OTHER, args=("other_pooled_project",)),
        Case(
            answers(LOGIN, 403, 403, 403, 400, 403),
            args=("pooled_project",),
            method="POST",
            data={},
            note="no answer: a field error, nothing written",
        ),
        Case(MANAGER_OTHER, args=("other_pooled_project",), method="POST", data={}),
    ],
}


# Evaluation API: managers only; an empty body is a field error.
API: dict[str, list[Case]] = {
    "GET /api/v1/evaluation-projects/": [Case(API_MANAGER_OWN)],
    "POST /api/v1/evaluation-projects/": [Case(API_MANAGERS_WRITE, data={})],
    "GET /api/v1/evaluation-projects/{id}/": [
        Case(API_MANAGER_OWN, params={"id": "evaluation_project"}),
        Case(API_MANAGER_OTHER, params={"id": "other_evaluation_project"}),
    ],
    "PUT /api/v1/evaluation-projects/{id}/": [
        Case(API_MANAGERS_WRITE, params={"id": "evaluation_project"}, data={}, note="no name: a field error"),
        Case(API_MANAGER_OTHER, params={"id": "other_evaluation_project"}, data={}),
    ],
    "PATCH /api/v1/evaluation-projects/{id}/": [
        Case(API_MANAGER_OWN, params={"id": "evaluation_project"}, data={}, note="no change"),
        Case(API_MANAGER_OTHER, params={"id": "other_evaluation_project"}, data={}),
    ],
    "GET /api/v1/exports/": [Case(API_MANAGER_OWN)],
    "POST /api/v1/exports/": [
        Case(API_MANAGERS_WRITE, data={}),
        Case(
            API_MANAGERS_WRITE,
            data={"project": "{other_evaluation_project}"},
            note="another organisation's project: a field error",
        ),
    ],
    "GET /api/v1/exports/{id}/": [
        Case(API_MANAGER_OWN, params={"id": "evaluation_export"}),
        Case(API_MANAGER_OTHER, params={"id": "other_evaluation_export"}),
    ],
    "POST /api/v1/exports/{id}/cancel/": [
        Case(API_MANAGER_OWN, params={"id": "evaluation_export"}, data={}),
        Case(API_MANAGER_OTHER, params={"id": "other_evaluation_export"}, data={}),
    ],
    "POST /api/v1/exports/{id}/discard/": [
        Case(answers(401, 403, 403, 403, 400, 403), params={"id": "evaluation_export"}, data={}, note="still queued"),
        Case(API_MANAGER_OTHER, params={"id": "other_evaluation_export"}, data={}),
    ],
    "GET /api/v1/exports/{id}/download/": [
        Case(API_MANAGER_OTHER, params={"id": "evaluation_export"}, note="still queued: no file yet"),
        Case(API_MANAGER_OTHER, params={"id": "other_evaluation_export"}),
    ],
}
