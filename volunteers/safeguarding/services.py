"""Writes of the safeguarding loop: raising a concern (once, however many
times it is sent), acknowledging, planning, closing, escalating what nobody
acknowledged in time, and the organisation's settings.

Every step checks who may take it, writes the concern and its timeline event
and an audit entry in one transaction, and announces itself with a signal
(``volunteers.safeguarding.signals``) so the notifications written by the
layer above commit with it, or not at all. Bad input raises a
ValidationError with field errors and writes nothing. Audit summaries name
records, never people.

A restriction of processing (UK GDPR Art. 18) never stops a concern:
safeguarding is a vital interest."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.models import STAFF_ROLES, Membership, Role, User, active_membership
from operations.core.sent_once import kept_for_key, write_once
from volunteers.matching.models import ContactLog, Match
from volunteers.models import SupervisionSession, SupervisorPairing, VolunteerProfile
from volunteers.safeguarding import signals
from volunteers.safeguarding.escalation import escalate_at
from volunteers.safeguarding.models import (
    About,
    Concern,
    ConcernEvent,
    ConcernStatus,
    EventKind,
    Kind,
    Outcome,
    SafeguardingSettings,
    Source,
    Urgency,
    is_lead,
)

DETAILS_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 2000


def safeguarding_settings_create(*, organisation_id: int) -> SafeguardingSettings:
    """A new organisation's safeguarding settings, with the defaults."""
    return SafeguardingSettings.objects.get_or_create(organisation_id=organisation_id)[0]


def settings_for(organisation_id: int) -> SafeguardingSettings:
    return SafeguardingSettings.objects.get(organisation_id=organisation_id)


# --- Who may do what ----------------------------------------------------------


def current_supervisor_id(volunteer_id: int | None) -> int | None:
    if volunteer_id is None:
        return None
    return (
        SupervisorPairing.objects.filter(volunteer_id=volunteer_id, ended_on__isnull=True)
        .values_list("supervisor_id", flat=True)
        .first()
    )


def can_work(user: User, concern: Concern) -> bool:
    """Acknowledge, plan and close: coordinators, managers, the safeguarding
    leads, the concern's owner, and the supervisor of the volunteer concerned."""
    membership = active_membership(user)
    if membership is None or membership.organisation_id != concern.organisation_id:
        return False
    if membership.role in STAFF_ROLES or concern.owner_id == user.pk:
        return True
    if membership.role == Role.PSO and current_supervisor_id(concern.volunteer_id) == user.pk:
        return True
    return is_lead(user, concern.organisation_id)


def _require_worker(actor: User, concern: Concern, field: str) -> None:
    if not can_work(actor, concern):
        raise ValidationError(
            {
                field: "Only a coordinator, a manager, a safeguarding lead or the volunteer's "
                "supervisor can work a concern."
            }
        )


def _record(concern: Concern, kind: str, actor: User | None, **fields) -> ConcernEvent:
    return ConcernEvent.objects.create(concern=concern, kind=kind, actor=actor, **fields)


# --- Raising ------------------------------------------------------------------


def raise_errors(*, actor: User, membership: Membership | None, data: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.get("about") not in About.values:
        errors["about"] = "Say who the concern is about."
    if data.get("kind") not in Kind.values:
        errors["kind"] = "Say what kind of concern it is."
    if data.get("urgency") not in Urgency.values:
        errors["urgency"] = "Say how urgent it is."
    details = (data.get("details") or "").strip()
    if not details:
        errors["details"] = "Say briefly what you saw or heard."
    elif len(details) > DETAILS_MAX_LENGTH:
        errors["details"] = f"Keep it to {DETAILS_MAX_LENGTH} characters; the coordinator will call you for more."
    match = data.get("match")
    if membership is None:
        errors["match"] = "You are not working in an organisation."
        return errors
    if match is not None:
        if match.organisation_id != membership.organisation_id:
            errors["match"] = "This family is not in your organisation."
        elif membership.role not in STAFF_ROLES and match.volunteer.user_id != actor.pk:
            errors["match"] = "You can raise a concern about your own families."
    elif data.get("about") in (About.PARENT, About.CHILD, About.HOUSEHOLD):
        errors["match"] = "Choose the family the concern is about."
    return errors


def concern_raise(*, actor: User, data: dict[str, Any]) -> Concern:
    """Raises a concern about a family (``match``) or about the volunteer
    themself, and tells the leads, the supervisor and the coordinators in the
    same transaction. ``client_key``, when given, makes it happen once: the
    same key again returns the concern already kept, and writes nothing."""
    return concern_raise_once(actor=actor, data=data)[0]


def concern_raise_once(*, actor: User, data: dict[str, Any]) -> tuple[Concern, bool]:
    """``concern_raise``, saying whether the concern was made now (False: the
    same ``client_key`` was sent before and that concern is returned), so the
    API can answer a resent concern 200 rather than 201."""
    membership = active_membership(actor)
    key = data.get("client_key")

    def kept() -> Concern | None:
        return kept_for_key(
            Concern.objects.all(),
            organisation_id=membership.organisation_id,
            key=key,
            sender_id=actor.pk,
            sender_field="raised_by_id",
            what="concern",
        )

    if key and membership is not None:
        already = kept()
        if already is not None:
            return already, False
    errors = raise_errors(actor=actor, membership=membership, data=data)
    if errors:
        raise ValidationError(errors)
    match: Match | None = data.get("match")
    volunteer = _volunteer_for(actor, membership, match, data)
    return write_once(
        lambda: _write_concern(
            actor=actor,
            organisation_id=membership.organisation_id,
            match=match,
            volunteer=volunteer,
            about=data["about"],
            kind=data["kind"],
            urgency=data["urgency"],
            details=data["details"].strip(),
            client_key=key,
            source=Source.FORM,
        ),
        kept=kept,
    )


def _volunteer_for(actor, membership, match, data) -> VolunteerProfile | None:
    if match is not None:
        return match.volunteer
    if data.get("volunteer") is not None:
        return data["volunteer"]
    return VolunteerProfile.objects.filter(user_id=actor.pk, organisation_id=membership.organisation_id).first()


def _write_concern(*, actor, organisation_id, match, volunteer, source, **fields) -> Concern:
    now = timezone.now()
    concern = Concern.objects.create(
        organisation_id=organisation_id,
        match=match,
        parent_id=match.parent_id if match is not None else None,
        volunteer=volunteer,
        raised_by=actor,
        raised_at=now,
        escalate_at=escalate_at(now, fields["urgency"], settings_for(organisation_id)),
        source=source,
        **fields,
    )
    _record(concern, EventKind.RAISED, actor)
    audit_log(action=AuditAction.CREATE, actor=actor, obj=concern, summary=f"Concern {concern.pk} raised")
    signals.concern_raised.send(sender=Concern, concern=concern)
    return concern


def concern_from_contact_log(*, actor: User, log: ContactLog) -> Concern:
    """ "I have a concern" ticked in a contact log (the API, or an older app):
    a concern about the parent, to be looked at this week, in the log's
    transaction. The page itself asks for a concern with the three questions."""
    match = log.match
    return _write_concern(
        actor=actor,
        organisation_id=log.organisation_id,
        match=match,
        volunteer=match.volunteer,
        about=About.PARENT,
        kind=Kind.OTHER,
        urgency=Urgency.THIS_WEEK,
        details=log.note or "Ticked in a contact log.",
        client_key=None,
        source=Source.CONTACT_LOG,
        contact_log=log,
    )


def concern_from_supervision(*, session: SupervisionSession, volunteer: VolunteerProfile) -> Concern | None:
    """ "Concern: follow up" in a supervision log: a concern about the
    volunteer's own wellbeing, owned (and so already acknowledged) by the
    supervisor who wrote it. Once per session and volunteer."""
    if Concern.objects.filter(supervision=session, volunteer=volunteer).exists():
        return None
    supervisor = session.supervisor
    concern = _write_concern(
        actor=supervisor,
        organisation_id=session.organisation_id,
        match=None,
        volunteer=volunteer,
        about=About.VOLUNTEER,
        kind=Kind.OTHER,
        urgency=Urgency.THIS_WEEK,
        details="Wellbeing noted as “Concern: follow up” in supervision.",
        client_key=None,
        source=Source.SUPERVISION,
        supervision=session,
    )
    now = timezone.now()
    Concern.objects.filter(pk=concern.pk).update(
        status=ConcernStatus.ACKNOWLEDGED, acknowledged_by=supervisor, acknowledged_at=now, owner=supervisor
    )
    _record(concern, EventKind.ACKNOWLEDGED, supervisor, owner=supervisor, note="Owned by the supervisor.")
    concern.refresh_from_db()
    return concern


# --- Working a concern --------------------------------------------------------


def _acknowledge_in(locked: Concern, actor: User, now: dt.datetime) -> None:
    locked.status = ConcernStatus.ACKNOWLEDGED
    locked.acknowledged_by = actor
    locked.acknowledged_at = now
    locked.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    _record(locked, EventKind.ACKNOWLEDGED, actor, at=now)
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=locked, summary=f"Concern {locked.pk} acknowledged")
    signals.concern_acknowledged.send(sender=Concern, concern=locked)


def _locked(concern: Concern) -> Concern:
    return Concern.objects.select_for_update(of=("self",)).get(pk=concern.pk)


def concern_acknowledge(*, actor: User, concern: Concern) -> Concern:
    """New -> acknowledged, by whom and when. Acknowledging twice changes nothing."""
    _require_worker(actor, concern, "concern")
    with transaction.atomic():
        locked = _locked(concern)
        if locked.status == ConcernStatus.CLOSED:
            raise ValidationError({"concern": "This concern is closed."})
        if locked.status == ConcernStatus.NEW:
            _acknowledge_in(locked, actor, timezone.now())
    return locked


def concern_plan(
    *, actor: User, concern: Concern, owner: User | None, follow_up_on: dt.date | None, note: str
) -> Concern:
    """Action planned: who owns it and when it is followed up (the owner is
    reminded on the date). Planning a new concern acknowledges it too."""
    _require_worker(actor, concern, "concern")
    errors: dict[str, str] = {}
    if owner is None:
        errors["owner"] = "Choose who owns the follow-up."
    else:
        owner_membership = Membership.objects.filter(
            user_id=owner.pk, organisation_id=concern.organisation_id, is_active=True
        ).first()
        if owner_membership is None or owner_membership.role == Role.VOLUNTEER:
            errors["owner"] = "Choose a coordinator, manager or PSO of your organisation."
    today = timezone.localdate()
    if follow_up_on is None:
        errors["follow_up_on"] = "Give the date to follow it up."
    elif follow_up_on < today:
        errors["follow_up_on"] = "The follow-up date cannot be in the past."
    elif follow_up_on > today + dt.timedelta(days=90):
        errors["follow_up_on"] = "Follow up within 90 days."
    note = (note or "").strip()
    if not note:
        errors["note"] = "Say what action is planned."
    elif len(note) > NOTE_MAX_LENGTH:
        errors["note"] = f"Keep the note to {NOTE_MAX_LENGTH} characters."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(concern)
        if locked.status == ConcernStatus.CLOSED:
            raise ValidationError({"concern": "This concern is closed."})
        now = timezone.now()
        if locked.status == ConcernStatus.NEW:
            _acknowledge_in(locked, actor, now)
        locked.status = ConcernStatus.PLANNED
        locked.owner = owner
        locked.follow_up_on = follow_up_on
        locked.save(update_fields=["status", "owner", "follow_up_on"])
        _record(locked, EventKind.PLANNED, actor, at=now, note=note, owner=owner, follow_up_on=follow_up_on)
        audit_log(action=AuditAction.CHANGE, actor=actor, obj=locked, summary=f"Concern {locked.pk} action planned")
        signals.concern_planned.send(sender=Concern, concern=locked)
    return locked


def concern_close(*, actor: User, concern: Concern, outcome: str, note: str) -> Concern:
    """Closed, with an outcome and a note. Closing a new concern acknowledges it too."""
    _require_worker(actor, concern, "concern")
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = "Choose the outcome."
    note = (note or "").strip()
    if not note:
        errors["note"] = "Say what was done."
    elif len(note) > NOTE_MAX_LENGTH:
        errors["note"] = f"Keep the note to {NOTE_MAX_LENGTH} characters."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(concern)
        if locked.status == ConcernStatus.CLOSED:
            raise ValidationError({"concern": "This concern is already closed."})
        now = timezone.now()
        if locked.status == ConcernStatus.NEW:
            _acknowledge_in(locked, actor, now)
        locked.status = ConcernStatus.CLOSED
        locked.outcome = outcome
        locked.closed_by = actor
        locked.closed_at = now
        locked.save(update_fields=["status", "outcome", "closed_by", "closed_at"])
        _record(locked, EventKind.CLOSED, actor, at=now, note=note, outcome=outcome)
        audit_log(action=AuditAction.CHANGE, actor=actor, obj=locked, summary=f"Concern {locked.pk} closed")
        signals.concern_closed.send(sender=Concern, concern=locked)
    return locked


# --- Escalation ---------------------------------------------------------------


def concerns_escalate(*, now: dt.datetime | None = None) -> int:
    """Escalates every concern still new after its time, exactly once: the
    conditional update is the claim, so two sweeps at once (two beats, a
    retry) escalate each concern once between them. Returns how many."""
    now = now or timezone.now()
    due = list(
        Concern.objects.filter(status=ConcernStatus.NEW, escalated_at__isnull=True, escalate_at__lte=now)
        .order_by("escalate_at")
        .values_list("pk", flat=True)[:500]
    )
    escalated = 0
    for pk in due:
        with transaction.atomic():
            claimed = Concern.objects.filter(pk=pk, status=ConcernStatus.NEW, escalated_at__isnull=True).update(
                escalated_at=now
            )
            if not claimed:
                continue
            concern = Concern.objects.get(pk=pk)
            _record(concern, EventKind.ESCALATED, None, at=now)
            audit_log(
                action=AuditAction.CHANGE,
                organisation=concern.organisation_id,
                obj=concern,
                summary=f"Concern {pk} escalated: not acknowledged in time",
            )
            signals.concern_escalated.send(sender=Concern, concern=concern)
            escalated += 1
    return escalated


# --- Settings -----------------------------------------------------------------

SETTINGS_FIELDS = (
    "emergency_number",
    "emergency_instructions",
    "on_call_phone",
    "on_call_instructions",
    "danger_now_minutes",
    "today_working_hours",
    "this_week_working_days",
)


def safeguarding_settings_save(
    *, actor: User, config: SafeguardingSettings, data: dict[str, Any], leads: list[User], deputy: User | None
) -> SafeguardingSettings:
    """Managers only. Leads and the deputy are active coordinators, managers
    or PSOs of the organisation (a volunteer cannot be a lead)."""
    membership = active_membership(actor)
    if membership is None or membership.organisation_id != config.organisation_id or membership.role != Role.MANAGER:
        raise ValidationError({"leads": "Only a manager can change the safeguarding settings."})
    allowed = set(
        Membership.objects.filter(organisation_id=config.organisation_id, is_active=True)
        .exclude(role=Role.VOLUNTEER)
        .values_list("user_id", flat=True)
    )
    errors: dict[str, str] = {}
    if not leads:
        errors["leads"] = "Name at least one designated safeguarding lead."
    elif any(lead.pk not in allowed for lead in leads):
        errors["leads"] = "Leads are coordinators, managers or PSOs of your organisation."
    if deputy is not None and deputy.pk not in allowed:
        errors["deputy"] = "The deputy is a coordinator, manager or PSO of your organisation."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for name in SETTINGS_FIELDS:
            if name in data:
                setattr(config, name, data[name])
        config.deputy = deputy
        config.full_clean(exclude=["organisation", "leads", "deputy"])
        config.save()
        config.leads.set(leads)
        audit_log(action=AuditAction.CHANGE, actor=actor, obj=config, summary="Safeguarding settings changed")
    return config
