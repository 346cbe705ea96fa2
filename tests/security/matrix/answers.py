"""The vocabulary of the matrix: the personas, the answers a route may give,
``Case``, and the common answers and row builders every app's rows use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PERSONAS = ("anonymous", "volunteer", "pso", "coordinator", "manager", "other_coordinator", "federation_officer")
LOGIN = "302 to login"
REDIRECT = "302 elsewhere"

Answer = int | str


#: A refusal that may be either: a federation officer's default on an
#: organisation's page, where some views look the object up first (404) and
#: others check the membership first (403). Never a page that opens.
REFUSED = "403 or 404"


def as_no_member(anonymous: Answer, *signed_in: Answer) -> Answer:
    """What a signed-in person who belongs to no organisation gets (a
    federation officer, issue 24): on a public route, what anyone gets; where
    every signed-in persona gets 405 (a POST-only route), 401 (the partner
    API's own sign-in) or is sent to sign in, that; the admin
    site sends them to sign in, as it does a volunteer; the API refuses them
    (403: ``IsMember``); every other page refuses them (403 or 404)."""
    if anonymous not in (LOGIN, 401):
        return anonymous
    if len(set(signed_in)) == 1 and signed_in[0] in (405, 401, LOGIN):
        return signed_in[0]
    if anonymous == 401:
        return 403
    if signed_in[0] == LOGIN:
        return LOGIN
    return REFUSED


def answers(
    anonymous: Answer,
    volunteer: Answer,
    pso: Answer,
    coordinator: Answer,
    manager: Answer,
    other_coordinator: Answer,
    *,
    federation_officer: Answer | None = None,
) -> tuple[Answer, ...]:
    """One answer per persona. ``federation_officer`` (an officer of a
    federation both organisations share their figures with; they belong to no
    organisation) defaults to ``as_no_member``: give it where it differs."""
    signed_in = (volunteer, pso, coordinator, manager, other_coordinator)
    officer = as_no_member(anonymous, *signed_in) if federation_officer is None else federation_officer
    return (anonymous, volunteer, pso, coordinator, manager, other_coordinator, officer)


@dataclass(frozen=True)
class Case:
    expect: tuple[Answer, ...]
    args: tuple[str, ...] = ()  # page routes: reverse() arguments (object names from OBJECTS, or literals)
    path: str = ""  # unnamed routes: a path with {object} placeholders
    params: dict[str, str] = field(default_factory=dict)  # API: path parameter -> object name
    method: str = "GET"
    data: dict[str, Any] | None = None
    note: str = ""


# --- Common answers --------------------------------------------------------
PUBLIC = answers(200, 200, 200, 200, 200, 200)
MEMBERS = answers(LOGIN, 200, 200, 200, 200, 200)
# Anyone signed in, a federation officer too: their own account, the about page.
SIGNED_IN = answers(LOGIN, 200, 200, 200, 200, 200, federation_officer=200)
MANAGERS_ONLY = answers(LOGIN, 403, 403, 403, 200, 403)
OWN_ORGANISATION = answers(LOGIN, 200, 200, 200, 200, 404)
OTHER_ORGANISATION = answers(LOGIN, 404, 404, 404, 404, 200)
POST_ONLY = answers(LOGIN, 405, 405, 405, 405, 405)

API_MEMBERS = answers(401, 200, 200, 200, 200, 200)
API_OWN_ORGANISATION = answers(401, 200, 200, 200, 200, 404)
API_OTHER_ORGANISATION = answers(401, 404, 404, 404, 404, 200)
# An empty body: managers pass the permission check and get field errors.
API_MANAGERS_WRITE = answers(401, 403, 403, 403, 400, 403)


def admin_only(manager: Answer) -> tuple[Answer, ...]:
    """The admin site lets in managers only; everyone else is sent to sign in."""
    return answers(LOGIN, LOGIN, LOGIN, LOGIN, manager, LOGIN)


def admin_model(
    app_model: str,
    obj: str,
    *,
    changelist: Answer,
    add: Answer,
    change: Answer,
    history: Answer,
    delete: Answer,
    other_organisation_obj: str = "",
) -> dict[str, list[Case]]:
    """The routes Django's admin makes for one registered model, with what a
    manager gets on each (everyone else: sent to sign in)."""
    app, model = app_model.split("_", 1) if app_model.count("_") == 1 else app_model.rsplit("_", 1)
    rows = {
        f"admin:{app_model}_changelist": [Case(admin_only(changelist))],
        f"admin:{app_model}_add": [Case(admin_only(add))],
        f"admin:{app_model}_change": [Case(admin_only(change), args=(obj,))],
        f"admin:{app_model}_history": [Case(admin_only(history), args=(obj,))],
        f"admin:{app_model}_delete": [Case(admin_only(delete), args=(obj,))],
        # The bare object URL redirects to its change page (which then checks permissions).
        f"admin/{app}/{model}/<path:object_id>/": [Case(admin_only(REDIRECT), path=f"/admin/{app}/{model}/{{{obj}}}/")],
    }
    if other_organisation_obj:
        # Another organisation's record is "not found": the admin sends the manager back to its index.
        rows[f"admin:{app_model}_change"].append(Case(admin_only(REDIRECT), args=(other_organisation_obj,)))
    return rows


# --- Coordinators and managers only ---------------------------------------
# (``staff_required`` and ``StaffOnlyQuerySet``): the volunteer and the PSO get 403.
STAFF = answers(LOGIN, 403, 403, 200, 200, 200)
STAFF_OWN = answers(LOGIN, 403, 403, 200, 200, 404)
STAFF_OTHER = answers(LOGIN, 403, 403, 404, 404, 200)
# ``staff_required`` runs before ``require_POST``: the role is refused first.
STAFF_POST_ONLY = answers(LOGIN, 403, 403, 405, 405, 405)


def staff_object(own: str, other: str) -> list[Case]:
    return [Case(STAFF_OWN, args=(own,)), Case(STAFF_OTHER, args=(other,))]


def staff_confirm(own: str, other: str, *, answer: Answer, data: dict[str, Any] | None = None) -> list[Case]:
    """A destructive staff action that asks first: GET is its confirmation
    page; a POST on one's own organisation's object gets ``answer``, on
    another organisation's a 404."""
    return [
        *staff_object(own, other),
        Case(answers(LOGIN, 403, 403, answer, answer, 404), args=(own,), method="POST", data=data or {}),
        Case(answers(LOGIN, 403, 403, 404, 404, answer), args=(other,), method="POST", data=data or {}),
    ]


def staff_post(own: str, other: str, *, answer: Answer, data: dict[str, Any] | None = None) -> list[Case]:
    """A POST-only staff action: GET is refused; a POST on one's own
    organisation's object gets ``answer``, on another organisation's a 404."""
    return [
        Case(STAFF_POST_ONLY, args=(own,)),
        Case(answers(LOGIN, 403, 403, answer, answer, 404), args=(own,), method="POST", data=data or {}),
        Case(answers(LOGIN, 403, 403, 404, 404, answer), args=(other,), method="POST", data=data or {}),
    ]


# Managers of the organisation only; another organisation's record is not
# found, even for its own manager.
MANAGER_OWN = answers(LOGIN, 403, 403, 403, 200, 403)
MANAGER_OTHER = answers(LOGIN, 403, 403, 403, 404, 403)


# --- The API's common answers ---------------------------------------------
# Coordinators and managers only (``IsStaffRole``).
API_STAFF = answers(401, 403, 403, 200, 200, 200)
API_STAFF_OWN = answers(401, 403, 403, 200, 200, 404)
API_STAFF_OTHER = answers(401, 403, 403, 404, 404, 200)
# An empty body from a coordinator or manager: field errors, nothing written.
API_STAFF_BAD_INPUT = answers(401, 403, 403, 400, 400, 400)


def api_staff_object(own: str, other: str) -> list[Case]:
    return [Case(API_STAFF_OWN, params={"id": own}), Case(API_STAFF_OTHER, params={"id": other})]


def api_staff_write(own: str, other: str, *, answer: Answer = 400) -> list[Case]:
    """A staff write with an empty body: ``answer`` on one's own organisation's
    object, 404 on another organisation's (the object is looked up first)."""
    return [
        Case(answers(401, 403, 403, answer, answer, 404), params={"id": own}, data={}),
        Case(answers(401, 403, 403, 404, 404, answer), params={"id": other}, data={}),
    ]


# Managers of the organisation only.
API_MANAGER_OWN = answers(401, 403, 403, 403, 200, 403)
API_MANAGER_OTHER = answers(401, 403, 403, 403, 404, 403)
