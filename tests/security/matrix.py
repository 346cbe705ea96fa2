"""The permission matrix: what every route answers to every persona.

``test_permission_matrix.py`` enumerates every URL pattern (Django's URL
resolver) and every API operation (the OpenAPI schema) and FAILS for a route
without a row here, and for a row whose route no longer exists. When you add
a page or an endpoint, add its row below and say what each persona gets.

Every row is a list of cases; every case gives one answer per persona, in
this order (use ``answers(...)`` so it reads as a sentence):

    anonymous, volunteer, PSO, coordinator, manager, other_coordinator

where ``other_coordinator`` is a coordinator of ANOTHER organisation. Routes
that take an object id get one case per object: an object of the personas'
own organisation (``service``) and one of the other organisation
(``other_service``), so guessing an id is covered. Objects are made by the
functions in ``OBJECTS`` (add yours there); any other argument is used as is.

Answers: a status code (200, 201, 400 = passed the permission check and was
refused as bad input, nothing written; 403; 404; 405), ``LOGIN`` (302 to a
sign-in page) or ``REDIRECT`` (302 anywhere else).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

PERSONAS = ("anonymous", "volunteer", "pso", "coordinator", "manager", "other_coordinator")
LOGIN = "302 to login"
REDIRECT = "302 elsewhere"

Answer = int | str


def answers(
    anonymous: Answer, volunteer: Answer, pso: Answer, coordinator: Answer, manager: Answer, other_coordinator: Answer
) -> tuple[Answer, ...]:
    return (anonymous, volunteer, pso, coordinator, manager, other_coordinator)


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
MANAGERS_ONLY = answers(LOGIN, 403, 403, 403, 200, 403)
OWN_ORGANISATION = answers(LOGIN, 200, 200, 200, 200, 404)
OTHER_ORGANISATION = answers(LOGIN, 404, 404, 404, 404, 200)
POST_ONLY = answers(LOGIN, 405, 405, 405, 405, 405)

API_MEMBERS = answers(403, 200, 200, 200, 200, 200)
API_OWN_ORGANISATION = answers(403, 200, 200, 200, 200, 404)
API_OTHER_ORGANISATION = answers(403, 404, 404, 404, 404, 200)
# An empty body: managers pass the permission check and get field errors.
API_MANAGERS_WRITE = answers(403, 403, 403, 403, 400, 403)


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


# --- Objects routes are asked about ---------------------------------------
# Each function gets the world (organisations and personas) and returns the
# object (its pk is used) or a value for the URL.


def _service(world):
    from tests.factories import ServiceFactory

    return ServiceFactory(organisation=world.organisation, name="Matrix service")


def _other_service(world):
    from tests.factories import ServiceFactory

    return ServiceFactory(organisation=world.other_organisation, name="Matrix other service")


def _membership(world):
    from operations.core.models import Membership

    return Membership.objects.get(user=world.users["volunteer"], organisation=world.organisation)


def _audit_event(world):
    from operations.core.audit import AuditAction, audit_log

    return audit_log(action=AuditAction.VIEW, actor=world.users["coordinator"], organisation=world.organisation)


def _heartbeat(world):
    from operations.core.models import WorkerHeartbeat

    return WorkerHeartbeat.objects.create(name="matrix", seen_at=timezone.now())


def _token_owner(world):
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=world.users["volunteer"]).user_id


def _totp_device(world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from operations.core.models import Role
    from tests.factories import member

    # Not a persona: a persona with an authenticator would be asked for a code.
    owner = member(username="device-owner", organisation=world.organisation, role=Role.VOLUNTEER)
    return TOTPDevice.objects.create(user=owner, name="phone", confirmed=True)


def _access_attempt(world):
    from axes.models import AccessAttempt

    return AccessAttempt.objects.create(
        username="someone", ip_address="192.0.2.1", user_agent="", http_accept="", path_info="/", failures_since_start=1
    )


def _access_log(world):
    from axes.models import AccessLog

    return AccessLog.objects.create(username="someone", ip_address="192.0.2.1", user_agent="", http_accept="")


def _access_failure_log(world):
    from axes.models import AccessFailureLog

    return AccessFailureLog.objects.create(
        username="someone", ip_address="192.0.2.1", user_agent="", http_accept="", path_info="/"
    )


def _service_content_type(world):
    from operations.core.models import Service

    return ContentType.objects.get_for_model(Service).pk


OBJECTS: dict[str, Callable[[Any], Any]] = {
    "organisation": lambda world: world.organisation,
    "other_organisation": lambda world: world.other_organisation,
    "council_area": lambda world: world.organisation.council_areas.first(),
    "service": _service,
    "other_service": _other_service,
    "membership": _membership,
    "audit_event": _audit_event,
    "volunteer_user": lambda world: world.users["volunteer"],
    "heartbeat": _heartbeat,
    "group": lambda world: Group.objects.create(name="Matrix group"),
    "token_owner": _token_owner,
    "totp_device": _totp_device,
    "access_attempt": _access_attempt,
    "access_log": _access_log,
    "access_failure_log": _access_failure_log,
    "service_content_type": _service_content_type,
}


# --- Pages (every URL pattern of the resolver outside the API schema) ------
PAGES: dict[str, list[Case]] = {
    "home": [Case(MEMBERS)],
    "healthz": [Case(PUBLIC)],
    "switch-organisation": [
        Case(POST_ONLY),
        Case(
            answers(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 404),
            method="POST",
            data={"organisation": "{organisation}"},
            note="switching to an organisation one does not belong to is not found",
        ),
    ],
    "service-list": [Case(MEMBERS, note="every member reads the services of their organisation")],
    "service-detail": [
        Case(OWN_ORGANISATION, args=("service",)),
        Case(OTHER_ORGANISATION, args=("other_service",)),
    ],
    "account": [Case(MEMBERS)],
    "two-factor-setup": [Case(MEMBERS)],
    # Nobody has enrolled yet: the verify page sends them to enrol.
    "two-factor-verify": [Case(answers(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT))],
    "audit-log": [Case(MANAGERS_ONLY)],
    # Django's auth pages.
    "login": [Case(PUBLIC)],
    "logout": [Case(answers(LOGIN, 405, 405, 405, 405, 405)), Case(answers(*[LOGIN] * 6), method="POST")],
    "password_change": [Case(MEMBERS)],
    "password_change_done": [Case(MEMBERS)],
    "password_reset": [Case(PUBLIC)],
    "password_reset_done": [Case(PUBLIC)],
    "password_reset_confirm": [Case(PUBLIC, args=("MQ", "not-a-valid-token"), note="shows 'link invalid'")],
    "password_reset_complete": [Case(PUBLIC)],
    # API pages outside the schema.
    "api-root": [Case(answers(403, 200, 200, 200, 200, 200))],
    "api-schema": [Case(answers(403, 200, 200, 200, 200, 200))],
    "api-docs": [Case(answers(403, 200, 200, 200, 200, 200))],
    # The admin site: managers of an organisation, scoped to it; superusers run the installation.
    "admin:index": [Case(admin_only(200))],
    "admin:login": [Case(answers(*[LOGIN] * 6), note="one sign-in page for the whole site")],
    # Django's admin sends a non-manager's GET to the admin index (which sends them to sign in).
    "admin:logout": [Case(answers(LOGIN, REDIRECT, REDIRECT, REDIRECT, 405, REDIRECT))],
    "admin:password_change": [Case(admin_only(200))],
    "admin:password_change_done": [Case(admin_only(200))],
    "admin:autocomplete": [Case(admin_only(403), note="no model named: refused")],
    "admin:jsi18n": [Case(admin_only(200))],
    "admin:view_on_site": [Case(admin_only(404), args=("service_content_type", "service"))],
    "admin:app_list": [Case(admin_only(200), args=("core",))],
    "admin/(?P<url>.*)$": [Case(admin_only(404), path="/admin/no-such-page/")],
    **admin_model(
        "core_service",
        "service",
        changelist=200,
        add=200,
        change=200,
        history=200,
        delete=403,
        other_organisation_obj="other_service",
    ),
    **admin_model("core_membership", "membership", changelist=200, add=403, change=200, history=200, delete=403),
    **admin_model(
        "core_organisation",
        "organisation",
        changelist=200,
        add=403,
        change=200,
        history=200,
        delete=403,
        other_organisation_obj="other_organisation",
    ),
    **admin_model("core_councilarea", "council_area", changelist=200, add=403, change=200, history=200, delete=403),
    # Superusers only: the audit log (managers use /audit/), users, heartbeats,
    # groups, API tokens, lockout records and authenticators.
    **admin_model("core_auditevent", "audit_event", changelist=403, add=403, change=403, history=403, delete=403),
    **admin_model("core_user", "volunteer_user", changelist=403, add=403, change=403, history=403, delete=403),
    "admin:auth_user_password_change": [Case(admin_only(403), args=("volunteer_user",))],
    **admin_model("core_workerheartbeat", "heartbeat", changelist=403, add=403, change=403, history=403, delete=403),
    **admin_model("auth_group", "group", changelist=403, add=403, change=403, history=403, delete=403),
    **admin_model("authtoken_tokenproxy", "token_owner", changelist=403, add=403, change=403, history=403, delete=403),
    **admin_model("axes_accessattempt", "access_attempt", changelist=403, add=403, change=403, history=403, delete=403),
    **admin_model("axes_accesslog", "access_log", changelist=403, add=403, change=403, history=403, delete=403),
    **admin_model(
        "axes_accessfailurelog", "access_failure_log", changelist=403, add=403, change=403, history=403, delete=403
    ),
    **admin_model("otp_totp_totpdevice", "totp_device", changelist=403, add=403, change=403, history=403, delete=403),
    "admin:otp_totp_totpdevice_config": [Case(admin_only(403), args=("totp_device",))],
    "admin:otp_totp_totpdevice_qrcode": [Case(admin_only(403), args=("totp_device",))],
}


# --- API (every path and method of the OpenAPI schema) ---------------------
# Anonymous callers get 403: the first authentication class (session) sends
# no WWW-Authenticate challenge, so DRF answers 403 rather than 401.
API: dict[str, list[Case]] = {
    "POST /api/v1/auth/token/": [
        Case(answers(400, 400, 400, 400, 400, 400), data={}, note="public; an empty body is a field error"),
    ],
    "GET /api/v1/me/": [Case(API_MEMBERS)],
    "GET /api/v1/council-areas/": [Case(API_MEMBERS)],
    "GET /api/v1/council-areas/{id}/": [Case(API_MEMBERS, params={"id": "council_area"})],
    "GET /api/v1/organisations/": [Case(API_MEMBERS)],
    "GET /api/v1/organisations/{id}/": [
        Case(API_OWN_ORGANISATION, params={"id": "organisation"}),
        Case(API_OTHER_ORGANISATION, params={"id": "other_organisation"}),
    ],
    "GET /api/v1/services/": [Case(API_MEMBERS)],
    "POST /api/v1/services/": [Case(API_MANAGERS_WRITE, data={})],
    "GET /api/v1/services/{id}/": [
        Case(API_OWN_ORGANISATION, params={"id": "service"}),
        Case(API_OTHER_ORGANISATION, params={"id": "other_service"}),
    ],
    "PUT /api/v1/services/{id}/": [
        Case(API_MANAGERS_WRITE, params={"id": "service"}, data={}),
        Case(answers(403, 403, 403, 403, 404, 403), params={"id": "other_service"}, data={}),
    ],
    "PATCH /api/v1/services/{id}/": [
        Case(answers(403, 403, 403, 403, 200, 403), params={"id": "service"}, data={}, note="empty patch: no change"),
        Case(answers(403, 403, 403, 403, 404, 403), params={"id": "other_service"}, data={}),
    ],
}
