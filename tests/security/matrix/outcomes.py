"""Rows of the outcomes sub-app (issue 8): assessments, safety alerts,
questionnaires and measure wording."""

from __future__ import annotations

from tests.security.matrix.answers import (
    API_STAFF,
    LOGIN,
    MANAGER_OTHER,
    MANAGER_OWN,
    MANAGERS_ONLY,
    STAFF,
    Case,
    answers,
    api_staff_object,
    api_staff_write,
    staff_object,
)

# Outcomes (issue 8): coordinators and managers enter assessments and act on
# safety alerts; a PSO enters and reads assessments of the families on their
# own open caseload only (``CaseloadQuerySet``: another family is "not
# found"); managers keep questionnaires and measure wording. Volunteers: 403.
ASSESSOR_OWN = answers(LOGIN, 403, 404, 200, 200, 404)
ASSESSOR_OTHER = answers(LOGIN, 403, 404, 404, 404, 200)
ASSESSOR_CASELOAD = answers(LOGIN, 403, 200, 200, 200, 404)

PAGES: dict[str, list[Case]] = {
    # Without ?measure= the page offers the measures to choose from.
    "outcomes:assessment-new": [
        Case(ASSESSOR_OWN, args=("parent",)),
        Case(ASSESSOR_OTHER, args=("other_parent",)),
        Case(ASSESSOR_CASELOAD, args=("pso_match_parent",)),
    ],
    "outcomes:assessment-detail": [
        Case(ASSESSOR_OWN, args=("assessment",)),
        Case(ASSESSOR_OTHER, args=("other_assessment",)),
        Case(ASSESSOR_CASELOAD, args=("pso_assessment",)),
    ],
    "outcomes:alert-list": [Case(STAFF)],
    "outcomes:alert-detail": [
        *staff_object("safety_alert", "other_safety_alert"),
        # No action described: a field error, the alert stays open.
        Case(answers(LOGIN, 403, 403, 400, 400, 404), args=("safety_alert",), method="POST", data={}),
        Case(answers(LOGIN, 403, 403, 404, 404, 400), args=("other_safety_alert",), method="POST", data={}),
    ],
    "outcomes:questionnaire-list": [Case(MANAGERS_ONLY)],
    "outcomes:questionnaire-new": [
        Case(MANAGERS_ONLY),
        Case(answers(LOGIN, 403, 403, 403, 400, 403), method="POST", data={}, note="empty: field errors"),
    ],
    "outcomes:questionnaire-edit": [
        Case(MANAGER_OWN, args=("questionnaire",)),
        Case(MANAGER_OTHER, args=("other_questionnaire",)),
    ],
    "outcomes:wording-list": [Case(MANAGERS_ONLY)],
    "outcomes:wording-edit": [Case(MANAGERS_ONLY, args=("epds",)), Case(MANAGER_OTHER, args=("no-such-measure",))],
}

# Outcomes: assessments for PSOs (their caseload), coordinators and managers;
# safety alerts for coordinators and managers (``IsStaffRole``). Creating with
# another organisation's parent or referral is a field error, never a write.
API_ASSESSORS = answers(401, 403, 200, 200, 200, 200)
API_ASSESSORS_BAD_INPUT = answers(401, 403, 400, 400, 400, 400)

API: dict[str, list[Case]] = {
    "GET /api/v1/assessments/": [Case(API_ASSESSORS, note="a PSO: their caseload's assessments")],
    "POST /api/v1/assessments/": [
        Case(API_ASSESSORS_BAD_INPUT, data={}),
        Case(
            API_ASSESSORS_BAD_INPUT,
            data={
                "parent": "{other_parent}",
                "referral": "{other_referral}",
                "measure": "gad7",
                "timepoint": "baseline",
                "taken_on": "{today}",
                "responses": [0, 0, 0, 0, 0, 0, 0],
            },
            note="another organisation's parent: a field error",
        ),
    ],
    "GET /api/v1/assessments/{id}/": [
        Case(answers(401, 403, 404, 200, 200, 404), params={"id": "assessment"}),
        Case(answers(401, 403, 404, 404, 404, 200), params={"id": "other_assessment"}),
        Case(answers(401, 403, 200, 200, 200, 404), params={"id": "pso_assessment"}),
    ],
    "GET /api/v1/safety-alerts/": [Case(API_STAFF)],
    "GET /api/v1/safety-alerts/{id}/": api_staff_object("safety_alert", "other_safety_alert"),
    "POST /api/v1/safety-alerts/{id}/close/": api_staff_write("safety_alert", "other_safety_alert"),
}
