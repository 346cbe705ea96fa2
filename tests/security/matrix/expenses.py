"""Rows of volunteer expenses (issue 23): a volunteer's claims, a new claim,
changing a queried one, its receipt photo; the coordinators' worklist, the
decisions, payment batches, their finance file and their payment; the
manager's settings; and the expenses API.

Who sees a claim (``ExpenseClaim.objects.visible_to``): coordinators and
managers every claim of their organisation; a volunteer or PSO her own.
Only the claimant changes a claim (403 for staff, who see it); only staff
decide one, never their own. Within one case the personas are asked in
turn against the same objects: once the coordinator has approved a claim
(or paid a batch), the manager's same step is refused as already taken
(400), nothing written. Objects: ``tests/security/matrix/world.py`` (Expenses)."""

from __future__ import annotations

from tests.security.matrix.answers import (
    API_MEMBERS,
    API_OTHER_ORGANISATION,
    API_STAFF,
    API_STAFF_BAD_INPUT,
    LOGIN,
    MANAGERS_ONLY,
    MEMBERS,
    REDIRECT,
    STAFF_POST_ONLY,
    Case,
    admin_model,
    answers,
    api_staff_object,
    staff_object,
    staff_post,
)

#: Seen by the claimant and her organisation's staff: each claim in turn.
CLAIM_SEEN = [
    Case(answers(LOGIN, 200, 404, 200, 200, 404), args=("expense_claim",), note="the persona volunteer's"),
    Case(answers(LOGIN, 404, 404, 200, 200, 404), args=("stranger_expense_claim",), note="another volunteer's"),
    Case(answers(LOGIN, 404, 404, 404, 404, 200), args=("other_expense_claim",)),
]


def claim_approve_rows() -> list[Case]:
    """The coordinator approves; the manager, asked next, finds it approved already."""
    return [
        Case(STAFF_POST_ONLY, args=("expense_claim",)),
        Case(answers(LOGIN, 403, 403, REDIRECT, 400, 404), args=("expense_claim",), method="POST", data={}),
        Case(answers(LOGIN, 403, 403, 404, 404, REDIRECT), args=("other_expense_claim",), method="POST", data={}),
    ]


PAGES: dict[str, list[Case]] = {
    "expenses:mine": [Case(MEMBERS, note="each sees her own claims")],
    # Everyone may open the form (it says why when she has no profile); an empty one is field errors.
    "expenses:claim-new": [Case(MEMBERS), Case(answers(LOGIN, 400, 400, 400, 400, 400), method="POST", data={})],
    "expenses:claim-detail": CLAIM_SEEN,
    "expenses:claim-receipt": CLAIM_SEEN,
    "expenses:claim-edit": [
        Case(answers(LOGIN, 200, 404, 403, 403, 404), args=("expense_claim",)),
        Case(answers(LOGIN, 400, 404, 403, 403, 404), args=("expense_claim",), method="POST", data={}),
        Case(answers(LOGIN, 404, 404, 403, 403, 404), args=("stranger_expense_claim",)),
        Case(answers(LOGIN, 404, 404, 404, 404, 403), args=("other_expense_claim",)),
    ],
    # Volunteers and PSOs are sent to their own claims.
    "expenses:list": [Case(answers(LOGIN, REDIRECT, REDIRECT, 200, 200, 200))],
    "expenses:claim-approve": claim_approve_rows(),
    "expenses:claim-query": staff_post("expense_claim", "other_expense_claim", answer=400),
    "expenses:claim-reject": staff_post("expense_claim", "other_expense_claim", answer=400),
    # No approved claims to batch: back to the worklist with the reason.
    "expenses:batch-new": [
        Case(STAFF_POST_ONLY),
        Case(answers(LOGIN, 403, 403, REDIRECT, REDIRECT, REDIRECT), method="POST", data={}),
    ],
    "expenses:batch-detail": staff_object("expense_batch", "other_expense_batch"),
    "expenses:batch-csv": staff_object("expense_batch", "other_expense_batch"),
    "expenses:batch-paid": staff_post("expense_batch", "other_expense_batch", answer=400),
    "expenses:settings": [
        Case(MANAGERS_ONLY),
        Case(answers(LOGIN, 403, 403, 403, 400, 403), method="POST", data={}),
    ],
    # Managers record each volunteer's finance reference in the admin.
    **admin_model(
        "expenses_payeereference",
        "payee_reference",
        changelist=200,
        add=200,
        change=200,
        history=200,
        delete=403,
        other_organisation_obj="other_payee_reference",
    ),
}

MILEAGE = {"kind": "mileage", "contact_log": "{contact_log}", "miles": "3"}

API_CLAIM_SEEN = [
    Case(answers(401, 200, 404, 200, 200, 404), params={"id": "expense_claim"}),
    Case(answers(401, 404, 404, 200, 200, 404), params={"id": "stranger_expense_claim"}),
    Case(API_OTHER_ORGANISATION, params={"id": "other_expense_claim"}),
]


def api_decision(*, empty_body: int | str) -> list[Case]:
    """A decision with an empty body: the claimant sees her claim but may not decide it (403)."""
    return [
        Case(answers(401, 403, 404, empty_body, empty_body, 404), params={"id": "expense_claim"}, data={}),
        Case(answers(401, 404, 404, 404, 404, empty_body), params={"id": "other_expense_claim"}, data={}),
    ]


API: dict[str, list[Case]] = {
    "GET /api/v1/expenses/claims/": [Case(API_MEMBERS, note="each sees what visible_to gives them")],
    "POST /api/v1/expenses/claims/": [
        Case(answers(401, 400, 400, 400, 400, 400), data={}),
        # Only the persona volunteer's own contact: anyone else is refused with a field error.
        Case(answers(401, 201, 400, 400, 400, 400), data=MILEAGE),
    ],
    "GET /api/v1/expenses/claims/{id}/": API_CLAIM_SEEN,
    "GET /api/v1/expenses/claims/{id}/receipt/": API_CLAIM_SEEN,
    # The coordinator approves; the manager, asked next, finds it approved already.
    "POST /api/v1/expenses/claims/{id}/approve/": [
        Case(answers(401, 403, 404, 200, 400, 404), params={"id": "expense_claim"}, data={}),
        Case(answers(401, 404, 404, 404, 404, 200), params={"id": "other_expense_claim"}, data={}),
    ],
    "POST /api/v1/expenses/claims/{id}/query/": api_decision(empty_body=400),
    "POST /api/v1/expenses/claims/{id}/reject/": api_decision(empty_body=400),
    "GET /api/v1/expenses/batches/": [Case(API_STAFF)],
    # No approved claims to batch: a 400 saying so.
    "POST /api/v1/expenses/batches/": [Case(API_STAFF_BAD_INPUT, data={})],
    "GET /api/v1/expenses/batches/{id}/": api_staff_object("expense_batch", "other_expense_batch"),
    # The coordinator marks it paid today; the manager, asked next, finds it paid already.
    "POST /api/v1/expenses/batches/{id}/paid/": [
        Case(answers(401, 403, 403, 200, 400, 404), params={"id": "expense_batch"}, data={}),
        Case(answers(401, 403, 403, 404, 404, 200), params={"id": "other_expense_batch"}, data={}),
    ],
}
