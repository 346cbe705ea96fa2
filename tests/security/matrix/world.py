"""The world the rows are asked in: ``OBJECTS`` names every object a row
refers to, with the function that makes it (from the factories in
``tests/factories/``, or through a service where the rules matter).

Each function gets the world (the two organisations and the personas, see
``test_permission_matrix.World``) and returns the object (its pk is used in
the URL) or a value for the URL. ``made(world, name)`` gives another object
of OBJECTS, made once per test.

In the personas' organisation the persona ``volunteer`` has a profile
supervised by the persona ``pso`` (with one supervision session), and there
is a "stranger": another volunteer supervised by another PSO, whom neither
the persona volunteer nor the persona PSO may read. The other organisation
has the same records, named ``other_...``."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from PIL import Image

from operations.core.audit import AuditAction
from operations.core.models import Membership, Role, Service, ServiceKind
from tests.factories import (
    AuditEventFactory,
    CalendarFeedFactory,
    ChildFactory,
    ConcernFactory,
    ConflictOfInterestFactory,
    ContactLogFactory,
    DirectoryEntryFactory,
    DisclosureTaskFactory,
    EvaluationExportFactory,
    EvaluationProjectFactory,
    FederationFactory,
    GroupFactory,
    GroupSettingsFactory,
    ImportBatchFactory,
    InboundTextFactory,
    MatchFactory,
    MatchingSettingsFactory,
    MessageTemplateFactory,
    NotificationFactory,
    OrganisationFactory,
    ParentFactory,
    PartnerCredentialFactory,
    PooledExportFactory,
    PooledProjectFactory,
    QuestionnaireFactory,
    QuestionnaireItemFactory,
    ReferralFactory,
    ReferrerFactory,
    ReferringOrganisationFactory,
    ServiceClosureFactory,
    ServiceFactory,
    SupervisionActionFactory,
    TransferFactory,
    VisitFactory,
    VolunteerSettingsFactory,
    WorkerHeartbeatFactory,
    member,
)
from tests.volunteers.helpers import make_profile
from volunteers.expenses import receipts
from volunteers.expenses.models import ExpenseCategory, ExpenseClaim, PayeeReference, PaymentBatch


def made(world, name: str):
    """Another object of OBJECTS, made once per test."""
    world.value(name)
    return world.made[name]


# --- The base layer, and the third-party models of the admin ---------------


def _service(organisation, name: str):
    return ServiceFactory(organisation=organisation, name=name)


def _membership(world):
    return Membership.objects.get(user=world.users["volunteer"], organisation=world.organisation)


def _audit_event(world):
    return AuditEventFactory(action=AuditAction.VIEW, actor=world.users["coordinator"], organisation=world.organisation)


def _token_owner(world):
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=world.users["volunteer"]).user_id


def _totp_device(world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # Not a persona: a persona with an authenticator would be asked for a code.
    owner = member(username="device-owner", organisation=world.organisation, role=Role.VOLUNTEER)
    return TOTPDevice.objects.create(user=owner, name="phone", confirmed=True)


def _static_device(world):
    from django_otp.plugins.otp_static.models import StaticDevice

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


CORE_OBJECTS: dict[str, Callable[[Any], Any]] = {
    "organisation": lambda world: world.organisation,
    "other_organisation": lambda world: world.other_organisation,
    "council_area": lambda world: world.organisation.council_areas.first(),
    "service": lambda world: _service(world.organisation, "Matrix service"),
    "other_service": lambda world: _service(world.other_organisation, "Matrix other service"),
    "membership": _membership,
    "audit_event": _audit_event,
    "volunteer_user": lambda world: world.users["volunteer"],
    "heartbeat": lambda world: WorkerHeartbeatFactory(name="matrix"),
    # The federation both organisations share with (tests/security/conftest.py: federation_officer).
    "federation": lambda world: world.organisation.member_of,
    "group": lambda world: Group.objects.create(name="Matrix group"),
    "token_owner": _token_owner,
    "totp_device": _totp_device,
    "static_device": _static_device,
    "access_attempt": _access_attempt,
    "access_log": _access_log,
    "access_failure_log": _access_failure_log,
    "service_content_type": lambda world: ContentType.objects.get_for_model(Service).pk,
}


# --- Referrals, volunteers and notifications -------------------------------


def _profile(organisation, *, user=None, supervisor=None):
    """A volunteer fit to match (trained, PVG), supervised by ``supervisor``."""
    return make_profile(organisation=organisation, user=user, today=timezone.localdate(), supervisor=supervisor)


def _stranger_profile(world):
    other_pso = member(username="matrix-pso-b", organisation=world.organisation, role=Role.PSO)
    return _profile(world.organisation, supervisor=other_pso)


def _failed_notification(organisation, recipient):
    return NotificationFactory(
        organisation=organisation,
        kind="matrix",
        recipient_user=recipient,
        subject="Matrix",
        body="Matrix",
        key=f"matrix-{organisation.pk}",
        status="failed",
    )


def _inbox_notification(organisation, recipient):
    return NotificationFactory(
        organisation=organisation,
        kind="matrix",
        recipient_user=recipient,
        key=f"matrix-inbox-{organisation.pk}",
        status="sent",
        sent_at=timezone.now(),
        link="/",
    )


def _course(organisation):
    return organisation.courses.first()  # the default courses, made with the organisation


def _lived_experience(organisation):
    return organisation.lived_experiences.first()  # the default vocabulary, made with the organisation


APP_OBJECTS: dict[str, Callable[[Any], Any]] = {
    "parent": lambda world: ParentFactory(organisation=world.organisation),
    "other_parent": lambda world: ParentFactory(organisation=world.other_organisation),
    "child": lambda world: ChildFactory(parent=made(world, "parent")),
    "other_child": lambda world: ChildFactory(parent=made(world, "other_parent")),
    "referral": lambda world: ReferralFactory(
        organisation=world.organisation, parent=made(world, "parent"), service=made(world, "service")
    ),
    "other_referral": lambda world: ReferralFactory(
        organisation=world.other_organisation, parent=made(world, "other_parent"), service=made(world, "other_service")
    ),
    # Transfers (issue 24): one proposed from the personas' organisation to the
    # other (the other coordinator decides it), and one from the other
    # organisation to a third (the personas' organisation has no part in it).
    "transfer": lambda world: TransferFactory(
        referral=made(world, "referral"), receiving_organisation=world.other_organisation
    ),
    "other_transfer": lambda world: TransferFactory(
        referral=made(world, "other_referral"), receiving_organisation=OrganisationFactory()
    ),
    # The referrer directory: a team and a person in it, of each organisation.
    "referring_organisation": lambda world: ReferringOrganisationFactory(organisation=world.organisation),
    "other_referring_organisation": lambda world: ReferringOrganisationFactory(organisation=world.other_organisation),
    "referrer": lambda world: ReferrerFactory(
        organisation=world.organisation, referring_organisation=made(world, "referring_organisation")
    ),
    "other_referrer": lambda world: ReferrerFactory(
        organisation=world.other_organisation, referring_organisation=made(world, "other_referring_organisation")
    ),
    # The persona volunteer's own profile, supervised by the persona PSO.
    "volunteer_profile": lambda world: _profile(
        world.organisation, user=world.users["volunteer"], supervisor=world.users["pso"]
    ),
    "stranger_profile": _stranger_profile,
    # "My details" (issue 23) has no id in its address: naming this in a
    # row's body makes the persona volunteer's and PSO's own profiles.
    "own_profiles": lambda world: (made(world, "volunteer_profile"), made(world, "pso_profile")) and "",
    "other_volunteer_profile": lambda world: _profile(
        world.other_organisation, supervisor=world.users["other_coordinator"]
    ),
    "supervision_session": lambda world: made(world, "volunteer_profile").supervision_sessions.get(),
    "stranger_session": lambda world: made(world, "stranger_profile").supervision_sessions.get(),
    "other_supervision_session": lambda world: made(world, "other_volunteer_profile").supervision_sessions.get(),
    # An action the persona volunteer owns, and one owned by a volunteer of the other organisation.
    "supervision_action": lambda world: SupervisionActionFactory(
        session=made(world, "supervision_session"), owner=world.users["volunteer"], description="Matrix action"
    ),
    "other_supervision_action": lambda world: SupervisionActionFactory(
        session=made(world, "other_supervision_session"),
        owner=made(world, "other_volunteer_profile").user,
        description="Matrix action",
    ),
    "disclosure_task": lambda world: DisclosureTaskFactory(
        organisation=world.organisation, profile=made(world, "stranger_profile")
    ),
    "other_disclosure_task": lambda world: DisclosureTaskFactory(
        organisation=world.other_organisation, profile=made(world, "other_volunteer_profile")
    ),
    "notification": lambda world: _failed_notification(world.organisation, world.users["volunteer"]),
    "other_notification": lambda world: _failed_notification(
        world.other_organisation, world.users["other_coordinator"]
    ),
    "message_template": lambda world: MessageTemplateFactory(organisation=world.organisation),
    "other_message_template": lambda world: MessageTemplateFactory(organisation=world.other_organisation),
    # A text received on each organisation's number (the coordinators' inbox at /messages/).
    "inbound_text": lambda world: InboundTextFactory(organisation=world.organisation, body="Matrix"),
    "other_inbound_text": lambda world: InboundTextFactory(organisation=world.other_organisation, body="Matrix"),
    # In the persona volunteer's inbox (delivered in the app), and in the other organisation's coordinator's.
    "inbox_notification": lambda world: _inbox_notification(world.organisation, world.users["volunteer"]),
    "other_inbox_notification": lambda world: _inbox_notification(
        world.other_organisation, world.users["other_coordinator"]
    ),
    "volunteer_settings": lambda world: VolunteerSettingsFactory(organisation=world.organisation),
    "other_volunteer_settings": lambda world: VolunteerSettingsFactory(organisation=world.other_organisation),
    "course": lambda world: _course(world.organisation),
    "other_course": lambda world: _course(world.other_organisation),
    "lived_experience": lambda world: _lived_experience(world.organisation),
    "other_lived_experience": lambda world: _lived_experience(world.other_organisation),
}


# --- Groups ------------------------------------------------------------------
# In the personas' organisation the persona volunteer facilitates
# "peer_group" and the persona PSO is on its crèche rota (the two ways a
# non-staff member reaches a group); neither helps at "stranger_group". Each
# group has an upcoming session with one booking (with a crèche child); the
# other organisation has the same.


def _peer_group(organisation, *, facilitators=(), creche_adults=(), name: str):
    # Fit to work with children (active, PVG, training): the rota takes no one else.
    helpers = [
        _profile(
            organisation,
            user=member(username=f"matrix-rota-{name}-{index}", organisation=organisation, role=Role.VOLUNTEER),
        ).user
        for index in range(2 - len(creche_adults))
    ]
    return GroupFactory(
        organisation=organisation,
        service=ServiceFactory(organisation=organisation, name=f"Matrix groups {name}", kind=ServiceKind.GROUP),
        name=f"Matrix {name}",
        venue_name="",
        creche_on=True,
        facilitators=list(facilitators),
        creche_adults=[*creche_adults, *helpers],
    )


def _upcoming_session(group):
    return group.sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at", "pk").first()


def _group_booking(session):
    # Through the service: it checks the places and the crèche's ratios.
    from operations.groups import services

    born = timezone.localdate() - dt.timedelta(days=2 * 365)
    return services.booking_create(
        session_id=session.pk,
        actor=None,
        attendee_name="Matrix attendee",
        attendee_consent=True,
        children=[services.CrecheChild(first_name="Matrix child", date_of_birth=born)],
    )


GROUP_OBJECTS: dict[str, Callable[[Any], Any]] = {
    "peer_group": lambda world: _peer_group(
        world.organisation,
        facilitators=[world.users["volunteer"]],
        # The persona PSO's own profile (fit to work with children) puts them on the rota.
        creche_adults=[made(world, "pso_profile").user],
        name="own",
    ),
    "stranger_group": lambda world: _peer_group(world.organisation, name="stranger"),
    "other_peer_group": lambda world: _peer_group(world.other_organisation, name="other"),
    "group_session": lambda world: _upcoming_session(made(world, "peer_group")),
    "stranger_group_session": lambda world: _upcoming_session(made(world, "stranger_group")),
    "other_group_session": lambda world: _upcoming_session(made(world, "other_peer_group")),
    "group_booking": lambda world: _group_booking(made(world, "group_session")),
    "stranger_group_booking": lambda world: _group_booking(made(world, "stranger_group_session")),
    "other_group_booking": lambda world: _group_booking(made(world, "other_group_session")),
    "booking_child": lambda world: made(world, "group_booking").children.get(),
    "stranger_booking_child": lambda world: made(world, "stranger_group_booking").children.get(),
    "other_booking_child": lambda world: made(world, "other_group_booking").children.get(),
    # The persona volunteer's private calendar address (a string: the token itself).
    "calendar_token": lambda world: (
        CalendarFeedFactory(organisation=world.organisation, user=world.users["volunteer"]).token
    ),
    "group_settings": lambda world: GroupSettingsFactory(organisation=world.organisation),
    # An adult on a session's crèche rota (its user id): the rota has the 2 a crèche needs.
    "rota_adult": lambda world: made(world, "group_session").creche_adults.order_by("pk").first(),
    "other_rota_adult": lambda world: made(world, "other_group_session").creche_adults.order_by("pk").first(),
    "other_group_settings": lambda world: GroupSettingsFactory(organisation=world.other_organisation),
}


# --- Matching (issue 5) ------------------------------------------------------
# The persona volunteer has a match ("match", of the referral "referral") and
# an ended one; "stranger_match" is a match of ANOTHER volunteer of the same
# organisation (the stranger profile), which neither the persona volunteer
# nor the persona PSO may read; "other_match" belongs to the other
# organisation. The persona PSO supervises the persona volunteer but may not
# read their "match"; "pso_match" is the persona PSO's own.


def _match(world, profile: str, referral: str | None = None, *, status: str = "active", organisation=None):
    organisation = organisation or world.organisation
    if referral is None:
        service = made(world, "service" if organisation == world.organisation else "other_service")
        chosen = ReferralFactory(organisation=organisation, service=service)
    else:
        chosen = made(world, referral)
    confirmed_by = world.users["coordinator" if organisation == world.organisation else "other_coordinator"]
    return MatchFactory(
        organisation=organisation,
        referral=chosen,
        volunteer=made(world, profile),
        status=status,
        confirmed_by=confirmed_by,
    )


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
    "visit": lambda world: VisitFactory(match=made(world, "match")),
    "pso_visit": lambda world: VisitFactory(match=made(world, "pso_match")),
    "stranger_visit": lambda world: VisitFactory(match=made(world, "stranger_match")),
    "other_visit": lambda world: VisitFactory(match=made(world, "other_match")),
    "contact_log": lambda world: ContactLogFactory(match=made(world, "match")),
    "pso_contact_log": lambda world: ContactLogFactory(match=made(world, "pso_match")),
    "stranger_contact_log": lambda world: ContactLogFactory(match=made(world, "stranger_match")),
    "other_contact_log": lambda world: ContactLogFactory(match=made(world, "other_match")),
    "conflict": lambda world: ConflictOfInterestFactory(
        organisation=world.organisation, parent=made(world, "parent"), volunteer=made(world, "stranger_profile")
    ),
    "other_conflict": lambda world: ConflictOfInterestFactory(
        organisation=world.other_organisation,
        parent=made(world, "other_parent"),
        volunteer=made(world, "other_volunteer_profile"),
    ),
    "directory_entry": lambda world: DirectoryEntryFactory(
        organisation=world.organisation, name="Matrix directory entry"
    ),
    "other_directory_entry": lambda world: DirectoryEntryFactory(
        organisation=world.other_organisation, name="Matrix directory entry"
    ),
    "matching_settings": lambda world: MatchingSettingsFactory(organisation=world.organisation),
    "other_matching_settings": lambda world: MatchingSettingsFactory(organisation=world.other_organisation),
    # Dates for request bodies, as the API takes them.
    "today": lambda world: timezone.localdate().isoformat(),
    "soon": lambda world: (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
}


# --- Safeguarding (issue 20) ---------------------------------------------------
# "concern" was raised by the persona volunteer about their own match's
# family; the persona PSO, their supervisor, may see and work it.
# "stranger_concern" was raised by the stranger on the stranger's match:
# neither the persona volunteer nor the persona PSO may see it.

SAFEGUARDING_OBJECTS: dict[str, Callable[[Any], Any]] = {
    "concern": lambda world: ConcernFactory(match=made(world, "match")),
    "stranger_concern": lambda world: ConcernFactory(match=made(world, "stranger_match")),
    "other_concern": lambda world: ConcernFactory(match=made(world, "other_match")),
}


# --- Outcomes (issue 8) ------------------------------------------------------
# An assessment of each organisation whose EPDS item 10 raised a safety
# alert, and a questionnaire of each organisation.


def _assessment(organisation, service=None, referral=None):
    # Through the service: it scores the answers and raises the safety alert.
    from operations.outcomes import services
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
    questionnaire = QuestionnaireFactory(organisation=organisation, name="Matrix questionnaire")
    QuestionnaireItemFactory(questionnaire=questionnaire, number=1, text="I feel less isolated")
    return questionnaire


OUTCOME_OBJECTS: dict[str, Callable[[Any], Any]] = {
    "assessment": lambda world: _assessment(world.organisation, made(world, "service")),
    "other_assessment": lambda world: _assessment(world.other_organisation, made(world, "other_service")),
    # Of the family on the persona PSO's own caseload.
    "pso_match_parent": lambda world: made(world, "pso_match").parent,
    "pso_assessment": lambda world: _assessment(world.organisation, referral=made(world, "pso_match").referral),
    "safety_alert": lambda world: made(world, "assessment").safety_alerts.get(),
    "other_safety_alert": lambda world: made(world, "other_assessment").safety_alerts.get(),
    "questionnaire": lambda world: _questionnaire(world.organisation),
    "other_questionnaire": lambda world: _questionnaire(world.other_organisation),
}


# --- Evaluation (issue 8) ----------------------------------------------------
# A project and a queued export in each organisation, and a download token
# made for the persona manager.


def _download_token(world, export: str):
    from operations.evaluation.services import download_token

    return download_token(export=made(world, export), user=world.users["manager"])


CLOSURE_OBJECTS: dict[str, Callable[[Any], Any]] = {
    "service_closure": lambda world: ServiceClosureFactory(organisation=world.organisation),
    "other_service_closure": lambda world: ServiceClosureFactory(organisation=world.other_organisation),
}


EVALUATION_OBJECTS: dict[str, Callable[[Any], Any]] = {
    "evaluation_project": lambda world: EvaluationProjectFactory(organisation=world.organisation, name="Matrix study"),
    "other_evaluation_project": lambda world: EvaluationProjectFactory(
        organisation=world.other_organisation, name="Matrix study"
    ),
    "evaluation_export": lambda world: EvaluationExportFactory(
        project=made(world, "evaluation_project"), requested_by=None
    ),
    "other_evaluation_export": lambda world: EvaluationExportFactory(
        project=made(world, "other_evaluation_project"), requested_by=None
    ),
    "download_token": lambda world: _download_token(world, "evaluation_export"),
    # Pooled evaluation (issue 24): a project of the persona officer's
    # federation (both organisations are its members) and one of another
    # federation, a queued export of each, and a link made for the officer.
    "pooled_project": lambda world: PooledProjectFactory(federation=_officers_federation(world), name="Matrix pool"),
    "other_pooled_project": lambda world: PooledProjectFactory(
        federation=FederationFactory(name="Another Matrix Federation", slug="another-matrix"), name="Matrix pool"
    ),
    "pooled_export": lambda world: PooledExportFactory(
        project=made(world, "pooled_project"), requested_by=world.users["federation_officer"]
    ),
    "other_pooled_export": lambda world: PooledExportFactory(project=made(world, "other_pooled_project")),
    "pooled_download_token": lambda world: _pooled_download_token(world),
}


def _officers_federation(world):
    return world.users["federation_officer"].federation_memberships.get().federation


def _pooled_download_token(world):
    from operations.evaluation.pooled.services import DOWNLOAD_SALT
    from operations.evaluation.services import download_token

    return download_token(
        export=made(world, "pooled_export"), user=world.users["federation_officer"], salt=DOWNLOAD_SALT
    )


# --- The online referral forms (referrals/online) ---------------------------


def _open_forms(world) -> str:
    """The personas' organisation with both public forms open: its slug, the forms' address."""
    from referrals.online.models import OnlineReferralSettings

    OnlineReferralSettings.objects.update_or_create(
        organisation=world.organisation, defaults={"self_form_open": True, "professional_form_open": True}
    )
    return world.organisation.slug


def _held_submission(organisation, reference: str):
    from referrals.online.models import HeldReason, OnlineSubmission, Outcome

    return OnlineSubmission.objects.create(
        organisation=organisation,
        form="self",
        reference=reference,
        outcome=Outcome.HELD,
        held_reason=HeldReason.NOT_ADDED,
        answers={"First name": "Matrix"},
    )


ONLINE_OBJECTS: dict[str, Callable[[Any], Any]] = {
    "online_forms": _open_forms,
    "held_submission": lambda world: _held_submission(world.organisation, "R-MATRIX01"),
    "other_held_submission": lambda world: _held_submission(world.other_organisation, "R-MATRIX02"),
}


# --- Word back to referrers and the partner API ------------------------------


def _referrer_status_token(world) -> str:
    """The link in an update to the referrer of a referral whose parent agreed."""
    from operations.referrer_updates.status_link import status_token

    referrer = ReferrerFactory(organisation=world.organisation)
    referral = ReferralFactory(
        organisation=world.organisation,
        service=made(world, "service"),
        referrer=referrer,
        referrer_updates_consent=True,
    )
    return status_token(referral_id=referral.pk, referrer_id=referrer.pk)


def _partner_credential(organisation):
    return PartnerCredentialFactory(organisation=organisation)


WORDBACK_OBJECTS: dict[str, Callable[[Any], Any]] = {
    "referrer_status_token": _referrer_status_token,
    "partner_credential": lambda world: _partner_credential(world.organisation),
    "other_partner_credential": lambda world: _partner_credential(world.other_organisation),
}


# --- Expenses (issue 23) ---------------------------------------------------------
# "expense_claim" is the persona volunteer's (a cost with a receipt photo, on
# her own contact); "stranger_expense_claim" another volunteer's of the same
# organisation; "other_expense_claim" one of the other organisation. The
# batches are unpaid, one per organisation.


def _expense_claim(world, log_name: str):
    log = made(world, log_name)
    image = io.BytesIO()
    Image.new("RGB", (8, 8)).save(image, "PNG")
    stored = receipts.receipt_store(
        receipts.Receipt(content=image.getvalue(), content_type="image/png", extension="png")
    )
    return ExpenseClaim.objects.create(
        organisation=log.organisation,
        volunteer=log.match.volunteer,
        kind="out_of_pocket",
        contact_log=log,
        spent_on=log.contact_date,
        category=ExpenseCategory.objects.filter(organisation=log.organisation).first(),
        amount_pence=350,
        receipt_file=stored,
        receipt_content_type="image/png",
    )


def _payment_batch(organisation):
    return PaymentBatch.objects.create(organisation=organisation)


EXPENSE_OBJECTS: dict[str, Callable[[Any], Any]] = {
    "expense_claim": lambda world: _expense_claim(world, "contact_log"),
    "stranger_expense_claim": lambda world: _expense_claim(world, "stranger_contact_log"),
    "other_expense_claim": lambda world: _expense_claim(world, "other_contact_log"),
    "expense_batch": lambda world: _payment_batch(world.organisation),
    "other_expense_batch": lambda world: _payment_batch(world.other_organisation),
    "payee_reference": lambda world: PayeeReference.objects.create(
        organisation=world.organisation, volunteer=made(world, "volunteer_profile"), reference="SUP-1"
    ),
    "other_payee_reference": lambda world: PayeeReference.objects.create(
        organisation=world.other_organisation, volunteer=made(world, "other_volunteer_profile"), reference="SUP-2"
    ),
}


# --- Imports (operations.imports) -------------------------------------------
IMPORT_OBJECTS: dict[str, Callable[[Any], Any]] = {
    # A checked batch whose file is no longer kept (no file needed to show it).
    "import_batch": lambda world: ImportBatchFactory(organisation=world.organisation, uploaded_by=None),
    "other_import_batch": lambda world: ImportBatchFactory(organisation=world.other_organisation, uploaded_by=None),
}


OBJECTS: dict[str, Callable[[Any], Any]] = {
    **CORE_OBJECTS,
    **APP_OBJECTS,
    **GROUP_OBJECTS,
    **MATCHING_OBJECTS,
    **SAFEGUARDING_OBJECTS,
    **OUTCOME_OBJECTS,
    **EVALUATION_OBJECTS,
    **CLOSURE_OBJECTS,
    **ONLINE_OBJECTS,
    **WORDBACK_OBJECTS,
    **EXPENSE_OBJECTS,
    **IMPORT_OBJECTS,
}
