"""Rows of the matching sub-app (issue 5): candidates, matches, visits,
contact logs, conflicts of interest and the directory (concerns: safeguarding)."""

from __future__ import annotations

from typing import Any

from tests.security.matrix.answers import (
    API_MANAGERS_WRITE,
    API_MEMBERS,
    API_OTHER_ORGANISATION,
    API_OWN_ORGANISATION,
    API_STAFF,
    API_STAFF_BAD_INPUT,
    LOGIN,
    MEMBERS,
    OTHER_ORGANISATION,
    PUBLIC,
    REDIRECT,
    STAFF,
    STAFF_OTHER,
    STAFF_OWN,
    Case,
    admin_model,
    answers,
    api_staff_object,
    api_staff_write,
    staff_confirm,
    staff_object,
    staff_post,
)

# Matching (issue 5): coordinators and managers see and run all matching of
# their organisation; a volunteer or PSO opens only their OWN matches (another
# volunteer's family is "not found"), and logs contacts and plans visits only
# on them. Candidates, needs, conflicts, confirming, proposals, moves,
# extensions and reviews are staff only (403 first).
OWN_MATCH = answers(LOGIN, 200, 404, 200, 200, 404)
STRANGER_MATCH = answers(LOGIN, 404, 404, 200, 200, 404)


def member_match(own: str, stranger: str, other: str) -> list[Case]:
    return [
        Case(OWN_MATCH, args=(own,), note="the persona volunteer's own"),
        Case(answers(LOGIN, 404, 200, 200, 200, 404), args=("pso_match",), note="the persona PSO's own"),
        Case(STRANGER_MATCH, args=(stranger,), note="another volunteer's family"),
        Case(OTHER_ORGANISATION, args=(other,)),
    ]


def member_match_form(own: str, stranger: str, other: str) -> list[Case]:
    """A form on a match: GET as ``member_match``; an empty POST is a field
    error (400, nothing written) for whoever may open the match."""
    return [
        *member_match(own, stranger, other),
        Case(answers(LOGIN, 400, 404, 400, 400, 404), args=(own,), method="POST", data={}),
        Case(answers(LOGIN, 404, 404, 400, 400, 404), args=(stranger,), method="POST", data={}),
        Case(answers(LOGIN, 404, 404, 404, 404, 400), args=(other,), method="POST", data={}),
    ]


PAGES: dict[str, list[Case]] = {
    "matching:candidates": staff_object("referral", "other_referral"),
    # An unknown availability cell is a field error.
    "matching:needs": staff_post("referral", "other_referral", answer=400, data={"availability": "someday"}),
    # GET asks once (the confirmation page, which writes nothing); no volunteer
    # chosen: back to the candidates page with a message, on GET and POST.
    "matching:confirm": [
        Case(answers(LOGIN, 403, 403, REDIRECT, REDIRECT, 404), args=("referral",), note="no volunteer chosen"),
        Case(STAFF_OWN, path="/matching/referrals/{referral}/confirm/?volunteer={volunteer_profile}"),
        Case(STAFF_OTHER, path="/matching/referrals/{other_referral}/confirm/?volunteer={other_volunteer_profile}"),
        *staff_post("referral", "other_referral", answer=REDIRECT)[1:],
    ],
    "matching:conflict-add": staff_post("referral", "other_referral", answer=REDIRECT),
    "matching:proposals": [
        Case(STAFF),
        Case(STAFF_OWN, path="/matching/proposals/?service={service}"),
        Case(STAFF_OTHER, path="/matching/proposals/?service={other_service}"),
        Case(STAFF, method="POST", data={}, note="nothing ticked: a message, nothing written"),
    ],
    "matching:match-list": [Case(MEMBERS, note="each sees only the matches visible_to them")],
    "matching:match-detail": member_match("match", "stranger_match", "other_match"),
    "matching:contact-log-new": member_match_form("match", "stranger_match", "other_match"),
    "matching:visit-new": member_match_form("match", "stranger_match", "other_match"),
    # Cancelling goes back to the match; another volunteer's visit is not found.
    "matching:visit-cancel": [
        Case(OWN_MATCH, args=("visit",), note="GET: the confirmation page"),
        Case(STRANGER_MATCH, args=("stranger_visit",)),
        Case(OTHER_ORGANISATION, args=("other_visit",)),
        Case(answers(LOGIN, REDIRECT, 404, REDIRECT, REDIRECT, 404), args=("visit",), method="POST"),
        Case(answers(LOGIN, 404, 404, REDIRECT, REDIRECT, 404), args=("stranger_visit",), method="POST"),
        Case(answers(LOGIN, 404, 404, 404, 404, REDIRECT), args=("other_visit",), method="POST"),
    ],
    # Empty forms: refused with a message on the match page.
    "matching:match-move": staff_post("match", "other_match", answer=REDIRECT),
    "matching:match-extend": staff_post("match", "other_match", answer=REDIRECT),
    "matching:match-review": staff_post("match", "other_match", answer=REDIRECT),
    "matching:match-end": staff_confirm("match", "other_match", answer=400),
    # The phone app (issue 23): the worker, the manifest and the "no signal"
    # page hold nothing personal; the families the phone keeps are each
    # member's own (none for staff), so every member gets 200 with their own.
    "phone-service-worker": [Case(PUBLIC)],
    "phone-manifest": [Case(PUBLIC)],
    "phone-offline": [Case(PUBLIC)],
    "phone-families": [Case(MEMBERS, note="each member's own open families only")],
    # Managers edit their organisation's signposting directory and matching settings in the admin.
    **admin_model(
        "matching_directoryentry",
        "directory_entry",
        changelist=200,
        add=200,
        change=200,
        history=200,
        delete=403,
        other_organisation_obj="other_directory_entry",
    ),
    **admin_model(
        "matching_matchingsettings",
        "matching_settings",
        changelist=200,
        add=200,
        change=200,
        history=200,
        delete=403,
        other_organisation_obj="other_matching_settings",
    ),
}

# Matching API: every member lists what ``visible_to`` gives them (a
# volunteer or PSO their own matches, visits and contact logs); only their
# own OPEN matches take a visit or a contact log (any other match id is a
# field error, nothing written); candidates, proposals, confirming and
# transitions are staff only; every member reads the directory, managers write it.
API_OWN_MATCH = answers(401, 200, 404, 200, 200, 404)
API_STRANGER_MATCH = answers(401, 404, 404, 200, 200, 404)


def api_member_match(own: str, pso_own: str, stranger: str, other: str) -> list[Case]:
    return [
        Case(API_OWN_MATCH, params={"id": own}, note="the persona volunteer's own"),
        Case(answers(401, 404, 200, 200, 200, 404), params={"id": pso_own}, note="the persona PSO's own"),
        Case(API_STRANGER_MATCH, params={"id": stranger}, note="another volunteer's family"),
        Case(API_OTHER_ORGANISATION, params={"id": other}),
    ]


def api_on_match(body: dict[str, Any]) -> list[Case]:
    """A write naming a match in its body: allowed (201) on one's own open
    match, a field error (400, nothing written) on any other."""
    return [
        Case(answers(401, 400, 400, 400, 400, 400), data={}),
        Case(answers(401, 201, 400, 201, 201, 400), data={**body, "match": "{match}"}),
        Case(answers(401, 400, 201, 201, 201, 400), data={**body, "match": "{pso_match}"}, note="the PSO's own"),
        Case(
            answers(401, 400, 400, 201, 201, 400), data={**body, "match": "{stranger_match}"}, note="another volunteer"
        ),
        Case(answers(401, 400, 400, 400, 400, 400), data={**body, "match": "{ended_match}"}, note="an ended match"),
        Case(answers(401, 400, 400, 400, 400, 201), data={**body, "match": "{other_match}"}),
    ]


API: dict[str, list[Case]] = {
    "GET /api/v1/referrals/{id}/candidates/": api_staff_object("referral", "other_referral"),
    # Without a service: a field error.
    "GET /api/v1/matching/proposals/": [Case(API_STAFF_BAD_INPUT)],
    "POST /api/v1/matching/proposals/": [
        Case(API_STAFF_BAD_INPUT, data={}),
        Case(answers(401, 403, 403, 200, 200, 404), data={"service": "{service}"}),
        Case(answers(401, 403, 403, 404, 404, 200), data={"service": "{other_service}"}),
    ],
    "POST /api/v1/matching/proposals/confirm/": [Case(API_STAFF_BAD_INPUT, data={})],
    "GET /api/v1/matches/": [Case(API_MEMBERS, note="each sees only the matches visible_to them")],
    "POST /api/v1/matches/": [
        Case(API_STAFF_BAD_INPUT, data={}),
        Case(
            answers(401, 403, 403, 400, 400, 400),
            data={"referral": "{other_referral}", "volunteer": "{other_volunteer_profile}"},
            note="another organisation's referral and volunteer: field errors",
        ),
    ],
    "GET /api/v1/matches/{id}/": api_member_match("match", "pso_match", "stranger_match", "other_match"),
    "POST /api/v1/matches/{id}/transition/": api_staff_write("match", "other_match"),
    "GET /api/v1/visits/": [Case(API_MEMBERS, note="the visits of the matches visible_to them")],
    "POST /api/v1/visits/": api_on_match({"planned_for": "{soon}"}),
    "GET /api/v1/visits/{id}/": api_member_match("visit", "pso_visit", "stranger_visit", "other_visit"),
    "GET /api/v1/contact-logs/": [Case(API_MEMBERS, note="the logs of the matches visible_to them")],
    "POST /api/v1/contact-logs/": api_on_match({"contact_date": "{today}", "duration_minutes": 30, "mode": "phone"}),
    "GET /api/v1/contact-logs/{id}/": api_member_match(
        "contact_log", "pso_contact_log", "stranger_contact_log", "other_contact_log"
    ),
    # Match reviews and conflicts of interest are staff records.
    "GET /api/v1/match-reviews/": [Case(API_STAFF)],
    "POST /api/v1/match-reviews/": [
        Case(API_STAFF_BAD_INPUT, data={}),
        Case(answers(401, 403, 403, 201, 201, 400), data={"match": "{match}", "held_on": "{today}"}),
        Case(answers(401, 403, 403, 400, 400, 201), data={"match": "{other_match}", "held_on": "{today}"}),
    ],
    "GET /api/v1/conflicts/": [Case(API_STAFF)],
    "POST /api/v1/conflicts/": [
        Case(API_STAFF_BAD_INPUT, data={}),
        Case(
            answers(401, 403, 403, 201, 400, 400),
            data={"parent": "{parent}", "volunteer": "{stranger_profile}"},
            note="the manager's is a duplicate of the coordinator's: a field error",
        ),
        Case(
            answers(401, 403, 403, 400, 400, 201),
            data={"parent": "{other_parent}", "volunteer": "{other_volunteer_profile}"},
        ),
    ],
    "DELETE /api/v1/conflicts/{id}/": [
        Case(
            answers(401, 403, 403, 204, 404, 404),
            params={"id": "conflict"},
            note="the coordinator removes it; the manager then finds nothing",
        ),
        Case(answers(401, 403, 403, 404, 404, 204), params={"id": "other_conflict"}),
    ],
    "GET /api/v1/directory/": [Case(API_MEMBERS)],
    "POST /api/v1/directory/": [Case(API_MANAGERS_WRITE, data={})],
    "GET /api/v1/directory/{id}/": [
        Case(API_OWN_ORGANISATION, params={"id": "directory_entry"}),
        Case(API_OTHER_ORGANISATION, params={"id": "other_directory_entry"}),
    ],
    "PUT /api/v1/directory/{id}/": [
        Case(API_MANAGERS_WRITE, params={"id": "directory_entry"}, data={}),
        Case(answers(401, 403, 403, 403, 404, 403), params={"id": "other_directory_entry"}, data={}),
    ],
    "PATCH /api/v1/directory/{id}/": [
        Case(answers(401, 403, 403, 403, 200, 403), params={"id": "directory_entry"}, data={}, note="no change"),
        Case(answers(401, 403, 403, 403, 404, 403), params={"id": "other_directory_entry"}, data={}),
    ],
}
