"""Rows of the safeguarding loop (issue 20): raising a concern, "My
concerns", the worklist, one concern and its steps, the settings; and the
concerns API.

Who sees a concern (``Concern.objects.visible_to``): coordinators, managers
and the safeguarding leads every concern of their organisation; a PSO their
own, their families' and their supervisees'; a volunteer those they raised,
status only. Any member raises one. Who works one (``services.can_work``):
coordinators, managers, the leads, its owner and the supervisor of the
volunteer concerned; anyone else who can see it is refused (403), out of
sight is "not found" (404). Objects: ``tests/security/matrix/world.py``
(Safeguarding)."""

from __future__ import annotations

from tests.security.matrix.answers import (
    API_MEMBERS,
    API_OTHER_ORGANISATION,
    API_OWN_ORGANISATION,
    LOGIN,
    MANAGERS_ONLY,
    MEMBERS,
    OTHER_ORGANISATION,
    POST_ONLY,
    REDIRECT,
    Case,
    answers,
)


def concern_step(*, empty_post: int | str) -> list[Case]:
    """A POST-only step on a concern (acknowledge, plan, close). The persona
    volunteer raised "concern": they see it but may not work it (403); the
    persona PSO supervises them and works it; the other organisation's is not
    found. ``empty_post``: what an empty form gets from whoever may work it."""
    return [
        Case(POST_ONLY, args=("concern",)),
        Case(answers(LOGIN, 403, empty_post, empty_post, empty_post, 404), args=("concern",), method="POST", data={}),
        Case(answers(LOGIN, 404, 404, empty_post, empty_post, 404), args=("stranger_concern",), method="POST", data={}),
        Case(answers(*OTHER_ORGANISATION[:5], empty_post), args=("other_concern",), method="POST", data={}),
    ]


PAGES: dict[str, list[Case]] = {
    # Any member raises a concern; an empty form is a field error, nothing sent.
    "safeguarding:concern-new": [Case(MEMBERS), Case(answers(LOGIN, 400, 400, 400, 400, 400), method="POST", data={})],
    "safeguarding:concern-mine": [Case(MEMBERS, note="each sees the concerns they raised")],
    # A volunteer works no concerns: the worklist sends them to "My concerns".
    "safeguarding:concern-list": [
        Case(answers(LOGIN, REDIRECT, 200, 200, 200, 200), note="each sees what visible_to gives them")
    ],
    # The volunteer who raised it reads its status on "My concerns", never its notes.
    "safeguarding:concern-detail": [
        Case(answers(LOGIN, REDIRECT, 200, 200, 200, 404), args=("concern",), note="the persona volunteer's"),
        Case(answers(LOGIN, 404, 404, 200, 200, 404), args=("stranger_concern",), note="another volunteer's"),
        Case(OTHER_ORGANISATION, args=("other_concern",)),
    ],
    # Acknowledging one already acknowledged changes nothing and goes back to it.
    "safeguarding:concern-acknowledge": concern_step(empty_post=REDIRECT),
    "safeguarding:concern-plan": concern_step(empty_post=400),
    "safeguarding:concern-close": concern_step(empty_post=400),
    "safeguarding:settings": [
        Case(MANAGERS_ONLY),
        Case(answers(LOGIN, 403, 403, 403, 400, 403), method="POST", data={}),
    ],
}


def api_concern_step(*, empty_body: int) -> list[Case]:
    """An action on a concern with an empty body: as ``concern_step``, with
    ``empty_body`` for whoever may work it."""
    return [
        Case(answers(401, 403, empty_body, empty_body, empty_body, 404), params={"id": "concern"}, data={}),
        Case(answers(401, 404, 404, empty_body, empty_body, 404), params={"id": "stranger_concern"}, data={}),
        Case(answers(*API_OTHER_ORGANISATION[:5], empty_body), params={"id": "other_concern"}, data={}),
    ]


RAISED = {"about": "parent", "kind": "baby_welfare", "urgency": "today", "details": "Matrix concern"}
#: The same key from everyone in turn: it is the volunteer's, who sent it first.
CLIENT_KEY = "2f1d7a51-6f0e-4c43-9a3b-0d6a7f3c9e21"

API: dict[str, list[Case]] = {
    "GET /api/v1/concerns/": [Case(API_MEMBERS, note="each sees what visible_to gives them")],
    "POST /api/v1/concerns/": [
        Case(answers(401, 400, 400, 400, 400, 400), data={}),
        # A volunteer or PSO raises about their own families only (another's
        # match is not found: a field error); staff about any of theirs.
        Case(answers(401, 201, 400, 201, 201, 400), data={**RAISED, "match": "{match}"}),
        Case(answers(401, 400, 201, 201, 201, 400), data={**RAISED, "match": "{pso_match}"}, note="the PSO's own"),
        Case(
            answers(401, 201, 400, 400, 400, 400),
            data={**RAISED, "match": "{match}", "client_key": CLIENT_KEY},
            note="a key already sent by someone else is refused",
        ),
    ],
    "GET /api/v1/concerns/{id}/": [
        Case(API_OWN_ORGANISATION, params={"id": "concern"}, note="the persona volunteer's: status only for them"),
        Case(answers(401, 404, 404, 200, 200, 404), params={"id": "stranger_concern"}),
        Case(API_OTHER_ORGANISATION, params={"id": "other_concern"}),
    ],
    # Acknowledging one already acknowledged changes nothing: 200 again.
    "POST /api/v1/concerns/{id}/acknowledge/": api_concern_step(empty_body=200),
    "POST /api/v1/concerns/{id}/plan/": api_concern_step(empty_body=400),
    "POST /api/v1/concerns/{id}/close/": api_concern_step(empty_body=400),
}
