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

import datetime as dt
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


def _static_device(world):
    from django_otp.plugins.otp_static.models import StaticDevice

    from operations.core.models import Role
    from tests.factories import member

    # Recovery codes; not a persona's, for the same reason as the authenticator above.
    owner = member(username="codes-owner", organisation=world.organisation, role=Role.VOLUNTEER)
    return StaticDevice.objects.create(user=owner, name="Recovery codes", confirmed=True)


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


# Objects of the referrals, volunteers and notifications apps. The personas'
# organisation has a volunteer profile for the persona ``volunteer``
# (supervised by the persona ``pso``, with one supervision session) and a
# "stranger": another volunteer supervised by another PSO, whom neither the
# persona volunteer nor the persona PSO may read.


def _made(world, name: str):
    """Another object of OBJECTS, made once per test."""
    world.value(name)
    return world.made[name]


def _parent(organisation):
    from tests.factories import ParentFactory

    return ParentFactory(organisation=organisation)


def _child(parent):
    from tests.factories import ChildFactory

    return ChildFactory(parent=parent)


def _referral(organisation, parent, service):
    from tests.factories import ReferralFactory

    return ReferralFactory(organisation=organisation, parent=parent, service=service)


def _profile(organisation, *, user=None, supervisor=None):
    from tests.volunteers.helpers import make_profile

    return make_profile(organisation=organisation, user=user, today=timezone.localdate(), supervisor=supervisor)


def _stranger_profile(world):
    from operations.core.models import Role
    from tests.factories import member

    other_pso = member(username="matrix-pso-b", organisation=world.organisation, role=Role.PSO)
    return _profile(world.organisation, supervisor=other_pso)


def _action(session, owner):
    from volunteers.models import SupervisionAction

    return SupervisionAction.objects.create(session=session, owner=owner, description="Matrix action")


def _disclosure_task(organisation, profile):
    from volunteers.models import DisclosureTask

    return DisclosureTask.objects.create(organisation=organisation, profile=profile, created_on=timezone.localdate())


def _failed_notification(organisation, recipient):
    from operations.notifications.models import Channel, Notification, Status

    return Notification.objects.create(
        organisation=organisation,
        kind="matrix",
        channel=Channel.IN_APP,
        recipient_user=recipient,
        subject="Matrix",
        body="Matrix",
        due_at=timezone.now(),
        key=f"matrix-{organisation.pk}",
        status=Status.FAILED,
    )


def _volunteer_settings(organisation):
    from volunteers.selectors import settings_for

    return settings_for(organisation.pk)


def _course(organisation):
    _volunteer_settings(organisation)  # makes the default courses
    return organisation.courses.first()


def _lived_experience(organisation):
    _volunteer_settings(organisation)  # makes the default vocabulary
    return organisation.lived_experiences.first()


APP_OBJECTS: dict[str, Callable[[Any], Any]] = {
    "parent": lambda world: _parent(world.organisation),
    "other_parent": lambda world: _parent(world.other_organisation),
    "child": lambda world: _child(_made(world, "parent")),
    "other_child": lambda world: _child(_made(world, "other_parent")),
    "referral": lambda world: _referral(world.organisation, _made(world, "parent"), _made(world, "service")),
    "other_referral": lambda world: _referral(
        world.other_organisation, _made(world, "other_parent"), _made(world, "other_service")
    ),
    # The persona volunteer's own profile, supervised by the persona PSO.
    "volunteer_profile": lambda world: _profile(
        world.organisation, user=world.users["volunteer"], supervisor=world.users["pso"]
    ),
    "stranger_profile": _stranger_profile,
    "other_volunteer_profile": lambda world: _profile(
        world.other_organisation, supervisor=world.users["other_coordinator"]
    ),
    "supervision_session": lambda world: _made(world, "volunteer_profile").supervision_sessions.get(),
    "stranger_session": lambda world: _made(world, "stranger_profile").supervision_sessions.get(),
    "other_supervision_session": lambda world: _made(world, "other_volunteer_profile").supervision_sessions.get(),
    # An action the persona volunteer owns, and one owned by a volunteer of the other organisation.
    "supervision_action": lambda world: _action(_made(world, "supervision_session"), world.users["volunteer"]),
    "other_supervision_action": lambda world: _action(
        _made(world, "other_supervision_session"), _made(world, "other_volunteer_profile").user
    ),
    "disclosure_task": lambda world: _disclosure_task(world.organisation, _made(world, "stranger_profile")),
    "other_disclosure_task": lambda world: _disclosure_task(
        world.other_organisation, _made(world, "other_volunteer_profile")
    ),
    "notification": lambda world: _failed_notification(world.organisation, world.users["volunteer"]),
    "other_notification": lambda world: _failed_notification(
        world.other_organisation, world.users["other_coordinator"]
    ),
    "volunteer_settings": lambda world: _volunteer_settings(world.organisation),
    "other_volunteer_settings": lambda world: _volunteer_settings(world.other_organisation),
    "course": lambda world: _course(world.organisation),
    "other_course": lambda world: _course(world.other_organisation),
    "lived_experience": lambda world: _lived_experience(world.organisation),
    "other_lived_experience": lambda world: _lived_experience(world.other_organisation),
}


# Objects of the groups app. In the personas' organisation the persona
# volunteer facilitates "peer_group" and the persona PSO is on its crèche
# rota (the two ways a non-staff member reaches a group); neither helps at
# "stranger_group". Each group has an upcoming session with one booking
# (with a crèche child); the other organisation has the same.


def _peer_group(organisation, *, facilitators=(), creche_adults=(), name: str):
    import datetime as dt

    from operations.core.models import Role, ServiceKind
    from operations.groups import services
    from tests.factories import ServiceFactory, member

    # Fit to work with children (active, PVG, training): the rota takes no one else.
    helpers = [
        _profile(
            organisation,
            user=member(username=f"matrix-rota-{name}-{index}", organisation=organisation, role=Role.VOLUNTEER),
        ).user
        for index in range(2 - len(creche_adults))
    ]
    service = ServiceFactory(organisation=organisation, name=f"Matrix groups {name}", kind=ServiceKind.GROUP)
    return services.group_create(
        organisation=organisation,
        actor=None,
        data={
            "service": service,
            "name": f"Matrix {name}",
            "weekday": 4,
            "start_time": dt.time(10, 0),
            "end_time": dt.time(11, 30),
            "starts_on": timezone.localdate(),
            "adult_places": 10,
            "creche_on": True,
        },
        facilitators=list(facilitators),
        creche_adults=[*creche_adults, *helpers],
    )


def _upcoming_session(group):
    return group.sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at", "pk").first()


def _group_booking(session):
    import datetime as dt

    from operations.groups import services

    born = timezone.localdate() - dt.timedelta(days=2 * 365)
    return services.booking_create(
        session_id=session.pk,
        actor=None,
        attendee_name="Matrix attendee",
        attendee_consent=True,
        children=[services.CrecheChild(first_name="Matrix child", date_of_birth=born)],
    )


def _group_settings(organisation):
    from operations.groups.models import GroupSettings

    return GroupSettings.objects.get_or_create(organisation=organisation)[0]


def _calendar_token(world):
    from operations.groups import services

    return services.calendar_feed_for(user=world.users["volunteer"], organisation_id=world.organisation.pk).token


GROUP_OBJECTS: dict[str, Callable[[Any], Any]] = {
    "peer_group": lambda world: _peer_group(
        world.organisation,
        facilitators=[world.users["volunteer"]],
        # The persona PSO's own profile (fit to work with children) puts them on the rota.
        creche_adults=[_made(world, "pso_profile").user],
        name="own",
    ),
    "stranger_group": lambda world: _peer_group(world.organisation, name="stranger"),
    "other_peer_group": lambda world: _peer_group(world.other_organisation, name="other"),
    "group_session": lambda world: _upcoming_session(_made(world, "peer_group")),
    "stranger_group_session": lambda world: _upcoming_session(_made(world, "stranger_group")),
    "other_group_session": lambda world: _upcoming_session(_made(world, "other_peer_group")),
    "group_booking": lambda world: _group_booking(_made(world, "group_session")),
    "stranger_group_booking": lambda world: _group_booking(_made(world, "stranger_group_session")),
    "other_group_booking": lambda world: _group_booking(_made(world, "other_group_session")),
    "booking_child": lambda world: _made(world, "group_booking").children.get(),
    "stranger_booking_child": lambda world: _made(world, "stranger_group_booking").children.get(),
    "other_booking_child": lambda world: _made(world, "other_group_booking").children.get(),
    # The persona volunteer's private calendar address (a string: the token itself).
    "calendar_token": _calendar_token,
    "group_settings": lambda world: _group_settings(world.organisation),
    # An adult on a session's crèche rota (its user id): the rota has the 2 a crèche needs.
    "rota_adult": lambda world: _made(world, "group_session").creche_adults.order_by("pk").first(),
    "other_rota_adult": lambda world: _made(world, "other_group_session").creche_adults.order_by("pk").first(),
    "other_group_settings": lambda world: _group_settings(world.other_organisation),
}


# Objects of the matching sub-app (issue 5). The persona volunteer has a match
# ("match", of the referral "referral") and an ended one; "stranger_match" is
# a match of ANOTHER volunteer of the same organisation (the stranger
# profile), which neither the persona volunteer nor the persona PSO may read;
# "other_match" belongs to the other organisation. The persona PSO supervises
# the persona volunteer but may not read their "match"; "pso_match" is the
# persona PSO's own.


def _match(world, profile: str, referral: str | None = None, *, status: str = "active", organisation=None):
    from volunteers.matching.models import Match

    organisation = organisation or world.organisation
    if referral is None:
        service = _made(world, "service" if organisation == world.organisation else "other_service")
        chosen = _referral(organisation, _parent(organisation), service)
    else:
        chosen = _made(world, referral)
    ended = {"ended_on": timezone.localdate(), "ending_type": "planned"} if status == "ended" else {}
    return Match.objects.create(
        organisation=organisation,
        referral=chosen,
        parent=chosen.parent,
        volunteer=_made(world, profile),
        status=status,
        **ended,
    )


def _visit(world, match: str):
    from volunteers.matching.models import Visit

    made = _made(world, match)
    return Visit.objects.create(
        organisation=made.organisation, match=made, planned_for=timezone.localdate() + dt.timedelta(days=3)
    )


def _contact_log(world, match: str):
    from volunteers.matching.models import ContactLog

    made = _made(world, match)
    return ContactLog.objects.create(
        organisation=made.organisation,
        match=made,
        logged_by=made.volunteer.user,
        contact_date=timezone.localdate(),
        duration_minutes=30,
        mode="phone",
    )


def _concern(world, match: str):
    from volunteers.matching.models import Concern

    made = _made(world, match)
    return Concern.objects.create(organisation=made.organisation, match=made, raised_by=made.volunteer.user)


def _conflict(world, parent: str, profile: str):
    from volunteers.matching.models import ConflictOfInterest

    made = _made(world, parent)
    return ConflictOfInterest.objects.create(
        organisation=made.organisation, parent=made, volunteer=_made(world, profile), note="Neighbours"
    )


def _directory_entry(organisation):
    from volunteers.matching.models import DirectoryEntry

    return DirectoryEntry.objects.create(organisation=organisation, name="Matrix directory entry")


def _matching_settings(organisation):
    from volunteers.matching.models import MatchingSettings

    return MatchingSettings.objects.get_or_create(organisation=organisation)[0]


MATCHING_OBJECTS: dict[str, Callable[[Any], Any]] = {
    "match": lambda world: _match(world, "volunteer_profile", "referral"),
    "ended_match": lambda world: _match(world, "volunteer_profile", status="ended"),
    "stranger_match": lambda world: _match(world, "stranger_profile"),
    # The persona PSO matched with a family of their own (the PSO's own profile, supervised by the coordinator).
    "pso_match": lambda world: _match(world, "pso_profile"),
    "pso_profile": lambda world: _profile(
        world.organisation, user=world.users["pso"], supervisor=world.users["coordinator"]
    ),
    "other_match": lambda world: _match(
        world, "other_volunteer_profile", "other_referral", organisation=world.other_organisation
    ),
    "visit": lambda world: _visit(world, "match"),
    "pso_visit": lambda world: _visit(world, "pso_match"),
    "stranger_visit": lambda world: _visit(world, "stranger_match"),
    "other_visit": lambda world: _visit(world, "other_match"),
    "contact_log": lambda world: _contact_log(world, "match"),
    "pso_contact_log": lambda world: _contact_log(world, "pso_match"),
    "stranger_contact_log": lambda world: _contact_log(world, "stranger_match"),
    "other_contact_log": lambda world: _contact_log(world, "other_match"),
    # Raised by the persona volunteer on their own match.
    "concern": lambda world: _concern(world, "match"),
    "other_concern": lambda world: _concern(world, "other_match"),
    "conflict": lambda world: _conflict(world, "parent", "stranger_profile"),
    "other_conflict": lambda world: _conflict(world, "other_parent", "other_volunteer_profile"),
    "directory_entry": lambda world: _directory_entry(world.organisation),
    "other_directory_entry": lambda world: _directory_entry(world.other_organisation),
    "matching_settings": lambda world: _matching_settings(world.organisation),
    "other_matching_settings": lambda world: _matching_settings(world.other_organisation),
    # Dates for request bodies, as the API takes them.
    "today": lambda world: timezone.localdate().isoformat(),
    "soon": lambda world: (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
}


# Objects of the outcomes sub-app (issue 8): an assessment of each
# organisation whose EPDS item 10 raised a safety alert, and a questionnaire
# of each organisation.


def _assessment(organisation, service=None, referral=None):
    from referrals.outcomes import services
    from tests.outcomes.helpers import assessable_referral

    if referral is None:
        referral = assessable_referral(organisation=organisation, service=service)
    else:
        referral.parent.lawful_basis_article9 = "not_for_profit"
        referral.parent.save()
    return services.assessment_create(
        actor=None,
        organisation=organisation,
        parent=referral.parent,
        referral=referral,
        measure="epds",
        timepoint="baseline",
        taken_on=timezone.localdate(),
        responses=[0, 0, 3, 0, 3, 3, 3, 3, 3, 2],  # item 10 scores 1: a safety alert
    )


def _questionnaire(organisation):
    from referrals.outcomes.models import Questionnaire

    questionnaire = Questionnaire.objects.create(organisation=organisation, name="Matrix questionnaire")
    questionnaire.items.create(number=1, text="I feel less isolated")
    return questionnaire


OUTCOME_OBJECTS: dict[str, Callable[[Any], Any]] = {
    "assessment": lambda world: _assessment(world.organisation, _made(world, "service")),
    "other_assessment": lambda world: _assessment(world.other_organisation, _made(world, "other_service")),
    # Of the family on the persona PSO's own caseload.
    "pso_match_parent": lambda world: _made(world, "pso_match").parent,
    "pso_assessment": lambda world: _assessment(world.organisation, referral=_made(world, "pso_match").referral),
    "safety_alert": lambda world: _made(world, "assessment").safety_alerts.get(),
    "other_safety_alert": lambda world: _made(world, "other_assessment").safety_alerts.get(),
    "questionnaire": lambda world: _questionnaire(world.organisation),
    "other_questionnaire": lambda world: _questionnaire(world.other_organisation),
}


# Objects of the evaluation app (issue 8): a project and a queued export in
# each organisation, and a download token made for the persona manager.
def _evaluation_project(organisation):
    from operations.evaluation.models import EvaluationProject

    return EvaluationProject.objects.create(organisation=organisation, name="Matrix study")


def _evaluation_export(world, project: str, organisation):
    from operations.evaluation.models import EvaluationExport

    return EvaluationExport.objects.create(
        organisation=organisation,
        project=_made(world, project),
        expires_at=timezone.now() + dt.timedelta(days=30),
    )


def _download_token(world, export: str):
    from operations.evaluation.services import download_token

    return download_token(export=_made(world, export), user=world.users["manager"])


EVALUATION_OBJECTS: dict[str, Callable[[Any], Any]] = {
    "evaluation_project": lambda world: _evaluation_project(world.organisation),
    "other_evaluation_project": lambda world: _evaluation_project(world.other_organisation),
    "evaluation_export": lambda world: _evaluation_export(world, "evaluation_project", world.organisation),
    "other_evaluation_export": lambda world: _evaluation_export(
        world, "other_evaluation_project", world.other_organisation
    ),
    "download_token": lambda world: _download_token(world, "evaluation_export"),
}


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
    "static_device": _static_device,
    "access_attempt": _access_attempt,
    "access_log": _access_log,
    "access_failure_log": _access_failure_log,
    "service_content_type": _service_content_type,
    **APP_OBJECTS,
    **GROUP_OBJECTS,
    **MATCHING_OBJECTS,
    **OUTCOME_OBJECTS,
    **EVALUATION_OBJECTS,
}


# --- Rows of the apps ------------------------------------------------------
# Referrals (issue 3): coordinators and managers only (``staff_required`` and
# ``StaffOnlyQuerySet``); the volunteer and the PSO get 403 on every page.
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


# Outcomes (issue 8): coordinators and managers enter assessments and act on
# safety alerts; a PSO enters and reads assessments of the families on their
# own open caseload only (``CaseloadQuerySet``: another family is "not
# found"); managers keep questionnaires and measure wording. Volunteers: 403.
ASSESSOR_OWN = answers(LOGIN, 403, 404, 200, 200, 404)
ASSESSOR_OTHER = answers(LOGIN, 403, 404, 404, 404, 200)
ASSESSOR_CASELOAD = answers(LOGIN, 403, 200, 200, 200, 404)
MANAGER_OWN = answers(LOGIN, 403, 403, 403, 200, 403)
MANAGER_OTHER = answers(LOGIN, 403, 403, 403, 404, 403)

OUTCOME_PAGES: dict[str, list[Case]] = {
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

REFERRAL_PAGES: dict[str, list[Case]] = {
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
}

# Volunteers (issue 4): coordinators and managers see and change every
# profile of their organisation; a PSO reads their supervisees and themselves
# and logs supervision; a volunteer reads only themselves (another
# volunteer's profile or supervision is "not found").
STAFF_OR_PSO = answers(LOGIN, 403, 200, 200, 200, 200)
OWN_PROFILE = answers(LOGIN, 200, 200, 200, 200, 404)
STRANGER = answers(LOGIN, 404, 404, 200, 200, 404)

VOLUNTEER_PAGES: dict[str, list[Case]] = {
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
}

# Notifications (the reminders outbox): every member has an inbox and
# preferences; the organisation's log and retries are for coordinators and
# managers; when reminders go is for managers.
NOTIFICATION_PAGES: dict[str, list[Case]] = {
    "notifications:centre": [Case(MEMBERS)],
    "notifications:preferences": [Case(MEMBERS)],
    "notifications:mark-read": [
        Case(POST_ONLY),
        Case(answers(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT), method="POST"),
    ],
    "notifications:log": [Case(STAFF)],
    "notifications:retry": staff_post("notification", "other_notification", answer=REDIRECT),
    # Reminder offsets and switches: managers only (an empty POST re-renders with field errors).
    "notifications:settings": [Case(MANAGERS_ONLY), Case(MANAGERS_ONLY, method="POST")],
}

# Managers edit their organisation's volunteer settings, courses and
# lived-experience vocabulary in the admin, and read (never change) the outbox.
APP_ADMIN_PAGES: dict[str, list[Case]] = {
    **admin_model(
        "notifications_notification",
        "notification",
        changelist=200,
        add=403,
        change=200,
        history=200,
        delete=403,
        other_organisation_obj="other_notification",
    ),
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

GROUP_PAGES: dict[str, list[Case]] = {
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
}

GROUP_ADMIN_PAGES: dict[str, list[Case]] = admin_model(
    "groups_groupsettings",
    "group_settings",
    changelist=200,
    add=200,
    change=200,
    history=200,
    delete=403,
    other_organisation_obj="other_group_settings",
)

# --- Pages (every URL pattern of the resolver outside the API schema) ------
# Matching (issue 5): coordinators and managers see and run all matching of
# their organisation; a volunteer or PSO opens only their OWN matches (another
# volunteer's family is "not found"), and logs contacts and plans visits only
# on them. Candidates, needs, conflicts, confirming, proposals, moves,
# extensions, reviews and closing concerns are staff only (403 first).
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


MATCHING_PAGES: dict[str, list[Case]] = {
    "matching:candidates": staff_object("referral", "other_referral"),
    # An unknown availability cell is a field error.
    "matching:needs": staff_post("referral", "other_referral", answer=400, data={"availability": "someday"}),
    # No volunteer chosen: refused with a message on the candidates page.
    "matching:confirm": staff_post("referral", "other_referral", answer=REDIRECT),
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
        Case(OTHER_ORGANISATION[:5] + (REDIRECT,), args=("other_visit",), method="POST"),
    ],
    # Empty forms: refused with a message on the match page.
    "matching:match-move": staff_post("match", "other_match", answer=REDIRECT),
    "matching:match-extend": staff_post("match", "other_match", answer=REDIRECT),
    "matching:match-review": staff_post("match", "other_match", answer=REDIRECT),
    # Asks first (the confirmation page is the form); an empty action taken is a field error.
    "matching:concern-close": staff_confirm("concern", "other_concern", answer=400),
    "matching:match-end": staff_confirm("match", "other_match", answer=400),
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

# The manager dashboard and its printable summary: managers only; a service
# of another organisation is a field error on the filter form, not a page of figures.
DASHBOARD_PAGES: dict[str, list[Case]] = {
    "dashboard:index": [
        Case(MANAGERS_ONLY),
        Case(MANAGERS_ONLY, path="/dashboard/?service={other_service}", note="re-shown with a field error"),
    ],
    "dashboard:summary": [Case(MANAGERS_ONLY)],
}


# Evaluation exports (issue 8): managers of the organisation only; another
# organisation's project or export is not found, even for its own manager.
MANAGER_OWN = answers(LOGIN, 403, 403, 403, 200, 403)
MANAGER_OTHER = answers(LOGIN, 403, 403, 403, 404, 403)
EVALUATION_PAGES: dict[str, list[Case]] = {
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
    # Recovery codes need an authenticator first: nobody here has one, so all are sent to enrol.
    "two-factor-recovery-codes": [
        Case(answers(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
        Case(answers(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT), method="POST"),
    ],
    "audit-log": [Case(MANAGERS_ONLY)],
    "retention": [Case(MANAGERS_ONLY)],
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
    "api-root": [Case(answers(401, 200, 200, 200, 200, 200))],
    "api-schema": [Case(answers(401, 200, 200, 200, 200, 200))],
    "api-docs": [Case(answers(401, 200, 200, 200, 200, 200))],
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
    **admin_model(
        "otp_static_staticdevice", "static_device", changelist=403, add=403, change=403, history=403, delete=403
    ),
    "about": [Case(MEMBERS)],
    **REFERRAL_PAGES,
    **VOLUNTEER_PAGES,
    **NOTIFICATION_PAGES,
    **APP_ADMIN_PAGES,
    **GROUP_PAGES,
    **GROUP_ADMIN_PAGES,
    **MATCHING_PAGES,
    **DASHBOARD_PAGES,
    **OUTCOME_PAGES,
    **EVALUATION_PAGES,
}


# --- API rows of the apps --------------------------------------------------
# Referrals, parents and children: coordinators and managers only (``IsStaffRole``).
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


# Volunteers and supervision: every member reads what ``visible_to`` gives
# them (a volunteer only themselves, a PSO their supervisees); only
# coordinators and managers change profiles; PSOs, coordinators and managers log supervision.
API_OWN_PROFILE = answers(401, 200, 200, 200, 200, 404)
API_STRANGER = answers(401, 404, 404, 200, 200, 404)

APP_API: dict[str, list[Case]] = {
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


GROUP_API: dict[str, list[Case]] = {
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


# --- API (every path and method of the OpenAPI schema) ---------------------
# Anonymous callers get 403: the first authentication class (session) sends
# no WWW-Authenticate challenge, so DRF answers 403 rather than 401.
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


MATCHING_API: dict[str, list[Case]] = {
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
    # Concerns, match reviews and conflicts of interest are staff records.
    "GET /api/v1/concerns/": [Case(API_STAFF)],
    "GET /api/v1/concerns/{id}/": api_staff_object("concern", "other_concern"),
    # No action given: a field error, the concern stays open.
    "POST /api/v1/concerns/{id}/close/": api_staff_write("concern", "other_concern"),
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

# The dashboard's figures: managers only (bad filters are 400s, tested in tests/dashboard).
DASHBOARD_API: dict[str, list[Case]] = {
    "GET /api/v1/dashboard/": [Case(answers(401, 403, 403, 403, 200, 403))],
    # Reminder settings: managers only, their own organisation's (bad values: tests/notifications).
    "GET /api/v1/reminder-settings/": [Case(answers(401, 403, 403, 403, 200, 403))],
    "PUT /api/v1/reminder-settings/": [Case(answers(401, 403, 403, 403, 400, 403), data={})],
    "PATCH /api/v1/reminder-settings/": [Case(answers(401, 403, 403, 403, 200, 403), data={}, note="no change")],
}

# Outcomes: assessments for PSOs (their caseload), coordinators and managers;
# safety alerts for coordinators and managers (``IsStaffRole``). Creating with
# another organisation's parent or referral is a field error, never a write.
API_ASSESSORS = answers(401, 403, 200, 200, 200, 200)
API_ASSESSORS_BAD_INPUT = answers(401, 403, 400, 400, 400, 400)

OUTCOME_API: dict[str, list[Case]] = {
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


# Evaluation API: managers only; an empty body is a field error.
API_MANAGER_OWN = answers(401, 403, 403, 403, 200, 403)
API_MANAGER_OTHER = answers(401, 403, 403, 403, 404, 403)
EVALUATION_API: dict[str, list[Case]] = {
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
        Case(answers(401, 403, 403, 403, 404, 403), params={"id": "other_service"}, data={}),
    ],
    "PATCH /api/v1/services/{id}/": [
        Case(answers(401, 403, 403, 403, 200, 403), params={"id": "service"}, data={}, note="empty patch: no change"),
        Case(answers(401, 403, 403, 403, 404, 403), params={"id": "other_service"}, data={}),
    ],
    **APP_API,
    **GROUP_API,
    **MATCHING_API,
    **DASHBOARD_API,
    **OUTCOME_API,
    **EVALUATION_API,
}
