"""Rows of the referrals app (issue 3) and its referrer directory (issue 21): coordinators and managers only
(``staff_required`` and ``StaffOnlyQuerySet``); the volunteer and the PSO get
403 on every page."""

from __future__ import annotations

from tests.security.matrix.answers import (
    API_STAFF,
    API_STAFF_BAD_INPUT,
    LOGIN,
    REDIRECT,
    STAFF,
    STAFF_OTHER,
    STAFF_POST_ONLY,
    Case,
    answers,
    api_staff_object,
    api_staff_write,
    staff_confirm,
    staff_object,
    staff_post,
)

PAGES: dict[str, list[Case]] = {
    "referrals:board": [Case(STAFF)],
    "referrals:waiting-list": [Case(STAFF)],
    "referrals:referral-new": [Case(STAFF)],
    "referrals:referral-detail": staff_object("referral", "other_referral"),
    "referrals:referral-edit": staff_object("referral", "other_referral"),
    # An empty move is a field error (400, nothing written).
    "referrals:referral-transition": staff_post("referral", "other_referral", answer=400),
    "referrals:parent-list": [Case(STAFF)],
    "referrals:parent-detail": staff_object("parent", "other_parent"),
    "referrals:parent-edit": staff_object("parent", "other_parent"),
    "referrals:parent-contact-safety": staff_object("parent", "other_parent"),
    "referrals:child-add": staff_object("parent", "other_parent"),
    "referrals:child-edit": staff_object("child", "other_child"),
    # No loss recorded: the review is refused with a message on the parent's page.
    "referrals:child-review-loss": staff_post("child", "other_child", answer=REDIRECT),
    # Data-subject rights: managers only (the role check comes before the lookup).
    "referrals:parent-subject-access": [
        Case(answers(LOGIN, 403, 403, 403, 200, 403), args=("parent",)),
        Case(answers(LOGIN, 403, 403, 403, 404, 403), args=("other_parent",)),
    ],
    "referrals:parent-erase": [
        Case(answers(LOGIN, 403, 403, 403, 200, 403), args=("parent",)),
        Case(answers(LOGIN, 403, 403, 403, 404, 403), args=("other_parent",)),
        # Without the typed confirmation nothing is erased: the form comes back.
        Case(answers(LOGIN, 403, 403, 403, 200, 403), args=("parent",), method="POST", data={"confirm": "no"}),
    ],
    "referrals:parent-restriction": [
        Case(answers(LOGIN, 403, 403, 403, 200, 403), args=("parent",)),
        Case(answers(LOGIN, 403, 403, 403, 404, 403), args=("other_parent",)),
        # Without a reason nothing is restricted: the form comes back with the field error.
        Case(answers(LOGIN, 403, 403, 403, 200, 403), args=("parent",), method="POST", data={"reason": ""}),
    ],
    # The referrer directory (issue 21): coordinators and managers of the organisation.
    "referrals:referrers": [Case(STAFF)],
    "referrals:referrer-new": [Case(STAFF)],
    "referrals:referrer-detail": staff_object("referrer", "other_referrer"),
    "referrals:referrer-edit": staff_object("referrer", "other_referrer"),
    # Merging asks which record to keep: without one the form comes back (200), nothing merged.
    "referrals:referrer-merge": staff_confirm("referrer", "other_referrer", answer=200),
    "referrals:referring-organisation-new": [Case(STAFF)],
    "referrals:referring-organisation-edit": staff_object("referring_organisation", "other_referring_organisation"),
    "referrals:referring-organisation-merge": staff_confirm(
        "referring_organisation", "other_referring_organisation", answer=200
    ),
    # Transfers (issue 24). Proposing: an empty form lacks the organisation,
    # the reason and the consent (400, nothing written).
    "referrals:transfer-propose": staff_confirm("referral", "other_referral", answer=400),
    "referrals:transfer-list": [Case(STAFF)],
    # "transfer" goes from the personas' organisation to the other one: both
    # sides' staff read it (the other side the proposal only).
    "referrals:transfer-detail": [
        Case(answers(LOGIN, 403, 403, 200, 200, 200), args=("transfer",)),
        Case(STAFF_OTHER, args=("other_transfer",)),
    ],
    # Only the receiving side answers (its empty form: 400); the sending side gets 403.
    "referrals:transfer-accept": [
        Case(STAFF_POST_ONLY, args=("transfer",)),
        Case(answers(LOGIN, 403, 403, 403, 403, 400), args=("transfer",), method="POST", data={}),
        Case(answers(LOGIN, 403, 403, 404, 404, 403), args=("other_transfer",), method="POST", data={}),
    ],
    "referrals:transfer-decline": [
        Case(STAFF_POST_ONLY, args=("transfer",)),
        Case(answers(LOGIN, 403, 403, 403, 403, 400), args=("transfer",), method="POST", data={}),
        Case(answers(LOGIN, 403, 403, 404, 404, 403), args=("other_transfer",), method="POST", data={}),
    ],
    # Only the sending side withdraws (back to the transfer's page); the receiving side gets 403.
    "referrals:transfer-withdraw": [
        Case(STAFF_POST_ONLY, args=("transfer",)),
        Case(answers(LOGIN, 403, 403, REDIRECT, REDIRECT, 403), args=("transfer",), method="POST", data={}),
        Case(answers(LOGIN, 403, 403, 404, 404, REDIRECT), args=("other_transfer",), method="POST", data={}),
    ],
}

# Referrals, parents and children: coordinators and managers only (``IsStaffRole``).
API: dict[str, list[Case]] = {
    "GET /api/v1/referrals/": [Case(API_STAFF)],
    "POST /api/v1/referrals/": [Case(API_STAFF_BAD_INPUT, data={})],
    "GET /api/v1/referrals/{id}/": api_staff_object("referral", "other_referral"),
    "PUT /api/v1/referrals/{id}/": api_staff_write("referral", "other_referral"),
    "PATCH /api/v1/referrals/{id}/": api_staff_write("referral", "other_referral", answer=200),
    "POST /api/v1/referrals/{id}/transition/": api_staff_write("referral", "other_referral"),
    "GET /api/v1/parents/": [Case(API_STAFF)],
    "GET /api/v1/parents/{id}/": api_staff_object("parent", "other_parent"),
    "PUT /api/v1/parents/{id}/": api_staff_write("parent", "other_parent"),
    "PATCH /api/v1/parents/{id}/": api_staff_write("parent", "other_parent", answer=200),
    # Neither a due date nor a birth date: refused by the service.
    "POST /api/v1/parents/{id}/children/": api_staff_write("parent", "other_parent"),
    # Restriction of processing: managers only (bad input and the rules: tests/referrals).
    "POST /api/v1/parents/{id}/restrict/": [
        Case(answers(401, 403, 403, 403, 400, 403), params={"id": "parent"}, data={}, note="no reason: a field error"),
        Case(answers(401, 403, 403, 403, 404, 403), params={"id": "other_parent"}, data={}),
    ],
    "POST /api/v1/parents/{id}/lift-restriction/": [
        Case(answers(401, 403, 403, 403, 400, 403), params={"id": "parent"}, data={}, note="not restricted"),
        Case(answers(401, 403, 403, 403, 404, 403), params={"id": "other_parent"}, data={}),
    ],
    "GET /api/v1/children/{id}/": api_staff_object("child", "other_child"),
    "PUT /api/v1/children/{id}/": api_staff_write("child", "other_child", answer=200),
    "PATCH /api/v1/children/{id}/": api_staff_write("child", "other_child", answer=200),
    # The referrer directory: an empty body lacks the name (400, nothing written).
    "GET /api/v1/referring-organisations/": [Case(API_STAFF)],
    "POST /api/v1/referring-organisations/": [Case(API_STAFF_BAD_INPUT, data={})],
    "GET /api/v1/referring-organisations/{id}/": api_staff_object(
        "referring_organisation", "other_referring_organisation"
    ),
    "PUT /api/v1/referring-organisations/{id}/": api_staff_write(
        "referring_organisation", "other_referring_organisation"
    ),
    "PATCH /api/v1/referring-organisations/{id}/": api_staff_write(
        "referring_organisation", "other_referring_organisation", answer=200
    ),
    "GET /api/v1/referrers/": [Case(API_STAFF)],
    "POST /api/v1/referrers/": [Case(API_STAFF_BAD_INPUT, data={})],
    "GET /api/v1/referrers/{id}/": api_staff_object("referrer", "other_referrer"),
    "PUT /api/v1/referrers/{id}/": api_staff_write("referrer", "other_referrer"),
    "PATCH /api/v1/referrers/{id}/": api_staff_write("referrer", "other_referrer", answer=200),
    # Transfers (issue 24): the sending and the receiving side's staff.
    "GET /api/v1/transfers/": [Case(API_STAFF)],
    "POST /api/v1/transfers/": [Case(API_STAFF_BAD_INPUT, data={})],
    "GET /api/v1/transfers/{id}/": [
        Case(answers(401, 403, 403, 200, 200, 200), params={"id": "transfer"}),
        Case(answers(401, 403, 403, 404, 404, 200), params={"id": "other_transfer"}),
    ],
    # An empty body lacks the service (400) before the side is checked; tests/referrals/test_transfers.py
    # shows the sending side refused.
    "POST /api/v1/transfers/{id}/accept/": [
        Case(answers(401, 403, 403, 400, 400, 400), params={"id": "transfer"}, data={}),
        Case(answers(401, 403, 403, 404, 404, 400), params={"id": "other_transfer"}, data={}),
    ],
    # An empty reason: a field error for the receiving side, 403 for the sending side.
    "POST /api/v1/transfers/{id}/decline/": [
        Case(answers(401, 403, 403, 403, 403, 400), params={"id": "transfer"}, data={}),
        Case(answers(401, 403, 403, 404, 404, 403), params={"id": "other_transfer"}, data={}),
    ],
    # The personas ask in turn in one world: the manager asks after the coordinator withdrew it (already answered).
    "POST /api/v1/transfers/{id}/withdraw/": [
        Case(answers(401, 403, 403, 200, 400, 403), params={"id": "transfer"}, data={}),
        Case(answers(401, 403, 403, 404, 404, 200), params={"id": "other_transfer"}, data={}),
    ],
}
