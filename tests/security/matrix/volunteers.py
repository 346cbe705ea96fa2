"""Rows of the volunteers app (issue 4): profiles, supervision, disclosure
tasks, and the volunteer settings a manager keeps in the admin."""

from __future__ import annotations

from tests.security.matrix.answers import (
    API_MEMBERS,
    API_OTHER_ORGANISATION,
    API_STAFF_BAD_INPUT,
    LOGIN,
    OTHER_ORGANISATION,
    REDIRECT,
    STAFF,
    Case,
    admin_model,
    answers,
    api_staff_write,
    staff_object,
    staff_post,
)

# Volunteers (issue 4): coordinators and managers see and change every
# profile of their organisation; a PSO reads their supervisees and themselves
# and logs supervision; a volunteer reads only themselves (another
# volunteer's profile or supervision is "not found").
STAFF_OR_PSO = answers(LOGIN, 403, 200, 200, 200, 200)
OWN_PROFILE = answers(LOGIN, 200, 200, 200, 200, 404)
STRANGER = answers(LOGIN, 404, 404, 200, 200, 404)

# "My details" (issue 23): a volunteer's and PSO's own page, about herself
# only (no id to try); coordinators and managers use the profile pages.
# ``own_profiles`` in the body makes the personas' own profiles first.
OWN = {"made": "{own_profiles}"}
OWN_PAGE = answers(LOGIN, 200, 200, 403, 403, 403)
OWN_POST_ONLY = answers(LOGIN, 405, 405, 403, 403, 403)

PAGES: dict[str, list[Case]] = {
    "volunteers:me": [
        Case(OWN_PAGE, data=OWN),
        Case(OWN_PAGE, note="without a profile yet: a page saying so"),
        Case(OWN_PAGE, method="POST", data={**OWN, "availability": "someday"}, note="re-shown with field errors"),
    ],
    "volunteers:me-break": [
        Case(OWN_POST_ONLY, data=OWN),
        Case(OWN_PAGE, method="POST", data={**OWN, "unavailable_until": ""}, note="re-shown with field errors"),
    ],
    "volunteers:me-break-end": [
        Case(OWN_POST_ONLY, data=OWN),
        Case(
            answers(LOGIN, REDIRECT, REDIRECT, 403, 403, 403),
            method="POST",
            data=OWN,
            note="not on a break: back to the page with a message",
        ),
    ],
    "volunteers:list": [Case(STAFF_OR_PSO, note="a PSO's list holds their supervisees")],
    "volunteers:create": [Case(STAFF)],
    "volunteers:compliance": [Case(STAFF)],
    "volunteers:detail": [
        Case(OWN_PROFILE, args=("volunteer_profile",), note="the volunteer's own, supervised by the PSO"),
        Case(STRANGER, args=("stranger_profile",), note="another volunteer, supervised by another PSO"),
        Case(OTHER_ORGANISATION, args=("other_volunteer_profile",)),
    ],
    "volunteers:edit": staff_object("volunteer_profile", "other_volunteer_profile"),
    "volunteers:status": staff_object("volunteer_profile", "other_volunteer_profile"),
    "volunteers:pvg": staff_object("volunteer_profile", "other_volunteer_profile"),
    "volunteers:training-add": staff_object("volunteer_profile", "other_volunteer_profile"),
    "volunteers:reference-add": staff_object("volunteer_profile", "other_volunteer_profile"),
    "volunteers:pairing": staff_object("volunteer_profile", "other_volunteer_profile"),
    "volunteers:supervision-new": [Case(STAFF_OR_PSO)],
    "volunteers:supervision-detail": [
        Case(OWN_PROFILE, args=("supervision_session",), note="the volunteer attended; the PSO supervised"),
        Case(STRANGER, args=("stranger_session",), note="neither attended nor supervised"),
        Case(OTHER_ORGANISATION, args=("other_supervision_session",)),
    ],
    # Marking a task done twice is refused with a message; both go back to the compliance page.
    "volunteers:disclosure-task-done": staff_post("disclosure_task", "other_disclosure_task", answer=REDIRECT),
    # Only the action's owner (here the persona volunteer) marks it done.
    "volunteers:action-done": [
        Case(answers(LOGIN, 405, 405, 405, 405, 405), args=("supervision_action",)),
        Case(answers(LOGIN, REDIRECT, 404, 404, 404, 404), args=("supervision_action",), method="POST"),
        Case(answers(LOGIN, 404, 404, 404, 404, 404), args=("other_supervision_action",), method="POST"),
    ],
    # Managers edit their organisation's volunteer settings, courses and
    # lived-experience vocabulary in the admin.
    **admin_model(
        "volunteers_volunteersettings",
        "volunteer_settings",
        changelist=200,
        add=200,
        change=200,
        history=200,
        delete=403,
        other_organisation_obj="other_volunteer_settings",
    ),
    **admin_model(
        "volunteers_course",
        "course",
        changelist=200,
        add=200,
        change=200,
        history=200,
        delete=403,
        other_organisation_obj="other_course",
    ),
    **admin_model(
        "volunteers_livedexperience",
        "lived_experience",
        changelist=200,
        add=200,
        change=200,
        history=200,
        delete=403,
        other_organisation_obj="other_lived_experience",
    ),
}

# Volunteers and supervision: every member reads what ``visible_to`` gives
# them (a volunteer only themselves, a PSO their supervisees); only
# coordinators and managers change profiles; PSOs, coordinators and managers log supervision.
API_OWN_PROFILE = answers(401, 200, 200, 200, 200, 404)
API_STRANGER = answers(401, 404, 404, 200, 200, 404)

API: dict[str, list[Case]] = {
    "GET /api/v1/volunteers/me/": [Case(answers(401, 200, 200, 403, 403, 403), data=OWN)],
    "PATCH /api/v1/volunteers/me/": [
        Case(answers(401, 400, 400, 403, 403, 403), data={**OWN, "availability": ["someday"]}),
    ],
    "GET /api/v1/volunteers/": [Case(API_MEMBERS, note="each sees only the profiles visible_to them")],
    "POST /api/v1/volunteers/": [Case(API_STAFF_BAD_INPUT, data={})],
    "GET /api/v1/volunteers/{id}/": [
        Case(API_OWN_PROFILE, params={"id": "volunteer_profile"}),
        Case(API_STRANGER, params={"id": "stranger_profile"}),
        Case(API_OTHER_ORGANISATION, params={"id": "other_volunteer_profile"}),
    ],
    "PUT /api/v1/volunteers/{id}/": api_staff_write("volunteer_profile", "other_volunteer_profile"),
    "PATCH /api/v1/volunteers/{id}/": api_staff_write("volunteer_profile", "other_volunteer_profile", answer=200),
    "POST /api/v1/volunteers/{id}/status/": api_staff_write("volunteer_profile", "other_volunteer_profile"),
    "PUT /api/v1/volunteers/{id}/pvg/": api_staff_write("volunteer_profile", "other_volunteer_profile"),
    "GET /api/v1/supervisions/": [Case(API_MEMBERS, note="each sees only the sessions visible_to them")],
    "POST /api/v1/supervisions/": [Case(answers(401, 403, 400, 400, 400, 400), data={})],
    "GET /api/v1/supervisions/{id}/": [
        Case(API_OWN_PROFILE, params={"id": "supervision_session"}),
        Case(API_STRANGER, params={"id": "stranger_session"}, note="a PSO who does not supervise: not found"),
        Case(API_OTHER_ORGANISATION, params={"id": "other_supervision_session"}),
    ],
}
