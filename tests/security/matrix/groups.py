"""Rows of the groups app (issue 6): groups, sessions, bookings, registers,
the crèche rota and calendar feeds."""

from __future__ import annotations

from typing import Any

from tests.security.matrix.answers import (
    API_MEMBERS,
    API_OTHER_ORGANISATION,
    API_STAFF_BAD_INPUT,
    LOGIN,
    MEMBERS,
    OTHER_ORGANISATION,
    POST_ONLY,
    PUBLIC,
    REDIRECT,
    STAFF,
    STAFF_OTHER,
    STAFF_OWN,
    Answer,
    Case,
    admin_model,
    answers,
    api_staff_write,
    staff_confirm,
    staff_object,
    staff_post,
)

# Groups (issue 6): coordinators and managers run groups, sessions and
# bookings of their organisation. A volunteer or PSO sees only the groups
# they facilitate or are on the crèche rota of, and those sessions'
# registers, where they mark attendance; another group is "not found", and
# the session page (bookings with contact details) and every change are
# refused by role (403). Another organisation's groups: 404 for everyone.
HELPER_OWN = answers(LOGIN, 200, 200, 200, 200, 404)  # the volunteer facilitates, the PSO is on the crèche rota
HELPER_STRANGER = answers(LOGIN, 404, 404, 200, 200, 404)  # neither helps at this group


def helper_object(own: str, stranger: str, other: str, *, note: str = "") -> list[Case]:
    return [
        Case(HELPER_OWN, args=(own,), note=note),
        Case(HELPER_STRANGER, args=(stranger,), note=note),
        Case(OTHER_ORGANISATION, args=(other,), note=note),
    ]


def helper_post(own: str, stranger: str, other: str, *, answer: Answer, data: dict[str, Any] | None = None):
    """A POST-only register action any helper of the session may take."""
    return [
        Case(POST_ONLY, args=(own,)),
        Case(answers(LOGIN, answer, answer, answer, answer, 404), args=(own,), method="POST", data=data or {}),
        Case(answers(LOGIN, 404, 404, answer, answer, 404), args=(stranger,), method="POST", data=data or {}),
        Case(answers(LOGIN, 404, 404, 404, 404, answer), args=(other,), method="POST", data=data or {}),
    ]


# A cancellation reason over 200 characters: refused, nothing cancelled.
TOO_LONG_NOTE = {"note": "x" * 201}

PAGES: dict[str, list[Case]] = {
    "groups:list": [Case(MEMBERS, note="each lists only the groups visible_to them")],
    "groups:create": [Case(STAFF)],
    "groups:detail": helper_object("peer_group", "stranger_group", "other_peer_group"),
    "groups:edit": staff_object("peer_group", "other_peer_group"),
    "groups:ics": helper_object("peer_group", "stranger_group", "other_peer_group"),
    # The session page lists bookings with contact details: coordinators and managers only.
    "groups:session": staff_object("group_session", "other_group_session"),
    "groups:session-edit": staff_object("group_session", "other_group_session"),
    # Destructive actions ask first: GET is the confirmation page, POST does it.
    # A reason over 200 characters comes back to the confirmation as a field error.
    "groups:session-cancel": staff_confirm("group_session", "other_group_session", answer=400, data=TOO_LONG_NOTE),
    "groups:booking-new": staff_object("group_session", "other_group_session"),
    # The coordinator cancels; the manager, asked next, is told it is already cancelled: both go back.
    "groups:booking-cancel": staff_confirm("group_booking", "other_group_booking", answer=REDIRECT),
    # Undo of a booking that is not cancelled: refused with a message, back to the session.
    "groups:booking-restore": staff_post("group_booking", "other_group_booking", answer=REDIRECT),
    # The rota has only the 2 adults a crèche needs: refused with a message, nothing changed.
    "groups:rota-remove": [
        Case(STAFF_OWN, args=("group_session", "rota_adult")),
        Case(STAFF_OTHER, args=("other_group_session", "other_rota_adult")),
        Case(answers(LOGIN, 403, 403, REDIRECT, REDIRECT, 404), args=("group_session", "rota_adult"), method="POST"),
        Case(
            answers(LOGIN, 403, 403, 404, 404, REDIRECT),
            args=("other_group_session", "other_rota_adult"),
            method="POST",
        ),
    ],
    "groups:register": helper_object("group_session", "stranger_group_session", "other_group_session"),
    # Not the day of the session yet: refused with a message, back to the register.
    "groups:register-attendance": helper_post(
        "group_booking", "stranger_group_booking", "other_group_booking", answer=REDIRECT
    ),
    "groups:register-child-present": helper_post(
        "booking_child", "stranger_booking_child", "other_booking_child", answer=REDIRECT
    ),
    # An empty walk-in or head count: field errors on the register (400), nothing written.
    "groups:register-walk-in": helper_post(
        "group_session", "stranger_group_session", "other_group_session", answer=400
    ),
    "groups:register-head-count": helper_post(
        "group_session", "stranger_group_session", "other_group_session", answer=400
    ),
    "groups:my-calendar": [Case(MEMBERS)],
    "groups:my-calendar-reset": [Case(POST_ONLY), Case(answers(LOGIN, *[REDIRECT] * 5), method="POST")],
    # The token is the only key: no sign-in; a wrong token is "not found" for everyone.
    "groups:private-feed": [
        Case(PUBLIC, args=("calendar_token",), note="the persona volunteer's own address, asked by anyone"),
        Case(answers(*[404] * 6), args=("not-a-valid-token",)),
    ],
    # Managers keep their crèche ratios and thresholds in the admin.
    **admin_model(
        "groups_groupsettings",
        "group_settings",
        changelist=200,
        add=200,
        change=200,
        history=200,
        delete=403,
        other_organisation_obj="other_group_settings",
    ),
}

# Groups: every member reads the groups, sessions and bookings visible_to
# them (a volunteer or PSO: the groups they help at, and those registers,
# without contact details); coordinators and managers create and change
# groups, cancel sessions, book and cancel bookings; any helper of the
# session marks attendance.
API_HELPER_OWN = answers(401, 200, 200, 200, 200, 404)
API_HELPER_STRANGER = answers(401, 404, 404, 200, 200, 404)


def api_helper_object(own: str, stranger: str, other: str) -> list[Case]:
    return [
        Case(API_HELPER_OWN, params={"id": own}),
        Case(API_HELPER_STRANGER, params={"id": stranger}),
        Case(API_OTHER_ORGANISATION, params={"id": other}),
    ]


API: dict[str, list[Case]] = {
    "GET /api/v1/groups/": [Case(API_MEMBERS, note="each sees only the groups visible_to them")],
    "POST /api/v1/groups/": [Case(API_STAFF_BAD_INPUT, data={})],
    "GET /api/v1/groups/{id}/": api_helper_object("peer_group", "stranger_group", "other_peer_group"),
    "PUT /api/v1/groups/{id}/": api_staff_write("peer_group", "other_peer_group"),
    "PATCH /api/v1/groups/{id}/": api_staff_write("peer_group", "other_peer_group", answer=200),
    "GET /api/v1/group-sessions/": [Case(API_MEMBERS, note="each sees only the sessions visible_to them")],
    "GET /api/v1/group-sessions/{id}/": api_helper_object(
        "group_session", "stranger_group_session", "other_group_session"
    ),
    "POST /api/v1/group-sessions/{id}/cancel/": [
        Case(answers(401, 403, 403, 400, 400, 404), params={"id": "group_session"}, data=TOO_LONG_NOTE),
        Case(answers(401, 403, 403, 404, 404, 400), params={"id": "other_group_session"}, data=TOO_LONG_NOTE),
    ],
    "GET /api/v1/bookings/": [Case(API_MEMBERS, note="each sees only the registers visible_to them")],
    "POST /api/v1/bookings/": [Case(API_STAFF_BAD_INPUT, data={})],
    "GET /api/v1/bookings/{id}/": api_helper_object("group_booking", "stranger_group_booking", "other_group_booking"),
    "POST /api/v1/bookings/{id}/cancel/": [
        Case(
            answers(401, 403, 403, 200, 400, 404),
            params={"id": "group_booking"},
            data={},
            note="the manager, asked after the coordinator, finds it already cancelled",
        ),
        Case(answers(401, 403, 403, 404, 404, 200), params={"id": "other_group_booking"}, data={}),
    ],
    # No "attended" given: a field error, nothing written.
    "POST /api/v1/bookings/{id}/attendance/": [
        Case(answers(401, 400, 400, 400, 400, 404), params={"id": "group_booking"}, data={}),
        Case(answers(401, 404, 404, 400, 400, 404), params={"id": "stranger_group_booking"}, data={}),
        Case(answers(401, 404, 404, 404, 404, 400), params={"id": "other_group_booking"}, data={}),
    ],
}
