"""Closing a service (issue 24): a manager plans the closure, decides what
happens to each open referral, and completes it once.

Completing reuses the other apps' services: the referral workflow (a
service change recomputes eligibility with the new service's policy),
transfers to another organisation (``referrals.transfers``), matching's
planned endings, the groups app's session cancellation (which tells booked
parents on their safe channels) and word back to referrers. Every message
goes through the outbox with a key naming the closure, so completing twice
(or a second request racing the first) tells nobody twice."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from operations.closures.models import ClosureDecision, ClosureStatus, Outcome, ServiceClosure
from operations.core.audit import AuditAction, audit_log
from operations.core.models import Role, Service, User, active_membership
from operations.groups.models import Booking, BookingStatus, GroupSession, SessionStatus
from operations.groups.services.sessions import session_cancel
from operations.notifications.due import Due, reminders_write
from operations.referrer_updates.services import referrer_note_send, why_no_updates
from referrals.models import Referral
from referrals.services import referral_transition, referral_update
from referrals.transfers import transfer_propose
from referrals.workflow import OPEN_STATUSES
from referrals.workflow import Status as ReferralStatus
from volunteers.matching.models import OPEN_MATCH_STATUSES, EndingType, Match, MatchStatus
from volunteers.matching.services import match_transition

CLOSING_NOTE = "The service closed; the match ended as planned before its last day."


def _require_manager(actor: User, organisation_id: int) -> None:
    membership = active_membership(actor)
    if membership is None or membership.role != Role.MANAGER or membership.organisation_id != organisation_id:
        raise PermissionDenied("Only the organisation's managers can close a service.")


def open_referrals(closure: ServiceClosure) -> QuerySet[Referral]:
    return Referral.objects.filter(service_id=closure.service_id, status__in=OPEN_STATUSES).order_by("pk")


def undecided_referrals(closure: ServiceClosure) -> QuerySet[Referral]:
    """The closing service's open referrals with no decision yet."""
    decided = ClosureDecision.objects.filter(closure=closure).values("referral_id")
    return open_referrals(closure).exclude(pk__in=decided).select_related("parent")


@transaction.atomic
def closure_plan(*, actor: User, service: Service, last_day: dt.date | None, message: str = "") -> ServiceClosure:
    """Plans the closure of ``service``: refused for another organisation's
    service, a service already closed or already being closed."""
    _require_manager(actor, service.organisation_id)
    errors: dict[str, str] = {}
    if not service.is_active:
        errors["service"] = "This service is already closed to new referrals."
    elif ServiceClosure.objects.filter(service=service).exists():
        errors["service"] = "A closure of this service is already planned."
    if last_day is None:
        errors["last_day"] = "Enter the service's last day."
    elif last_day < timezone.localdate():
        errors["last_day"] = "The last day cannot be in the past."
    message = (message or "").strip()
    if len(message) > 500:
        errors["message"] = "Keep the message to 500 characters."
    if errors:
        raise ValidationError(errors)
    closure = ServiceClosure.objects.create(
        organisation_id=service.organisation_id, service=service, last_day=last_day, message=message, planned_by=actor
    )
    audit_log(action=AuditAction.CREATE, actor=actor, obj=closure, summary="Closure of a service planned")
    return closure


@transaction.atomic
def closure_decide(
    *,
    actor: User,
    closure: ServiceClosure,
    referral: Referral,
    outcome: str,
    new_service: Service | None = None,
    receiving_organisation=None,
    directory_entry=None,
    consent: bool = False,
) -> ClosureDecision:
    """Records (or replaces) what happens to one open referral of the closing service."""
    _require_manager(actor, closure.organisation_id)
    errors: dict[str, str] = {}
    if closure.is_completed:
        raise ValidationError({"__all__": "This closure is complete: its decisions can no longer change."})
    if referral.service_id != closure.service_id or referral.status not in OPEN_STATUSES:
        errors["referral"] = "Choose an open referral of the closing service."
    if outcome not in Outcome.values:
        errors["outcome"] = "Choose what happens to this family."
    elif outcome == Outcome.IN_HOUSE:
        if new_service is None or new_service.organisation_id != closure.organisation_id:
            errors["new_service"] = "Choose another of your organisation's services."
        elif new_service.pk == closure.service_id or not new_service.is_active:
            errors["new_service"] = "Choose a service that stays open."
    elif outcome == Outcome.OTHER_ORGANISATION:
        if referral.parent.processing_restricted:
            errors["outcome"] = "Processing of the parent's record is restricted: it cannot be passed on."
        if receiving_organisation is None or receiving_organisation.pk == closure.organisation_id:
            errors["receiving_organisation"] = "Choose the organisation the family will be transferred to."
        if not consent:
            errors["consent"] = "Record that the parent agreed to the transfer: nothing is passed on without it."
    elif outcome == Outcome.SIGNPOST:
        if directory_entry is None or directory_entry.organisation_id != closure.organisation_id:
            errors["directory_entry"] = "Choose the directory entry the family is signposted to."
    if errors:
        raise ValidationError(errors)
    decision, _ = ClosureDecision.objects.update_or_create(
        closure=closure,
        referral=referral,
        defaults={
            "organisation_id": closure.organisation_id,
            "outcome": outcome,
            "new_service": new_service if outcome == Outcome.IN_HOUSE else None,
            "receiving_organisation": receiving_organisation if outcome == Outcome.OTHER_ORGANISATION else None,
            "directory_entry": directory_entry if outcome == Outcome.SIGNPOST else None,
            "consent": consent and outcome == Outcome.OTHER_ORGANISATION,
            "decided_by": actor,
            "decided_at": timezone.now(),
        },
    )
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=decision, summary="Closure decision recorded")
    return decision


def _note_key(closure: ServiceClosure, referral_id: int) -> str:
    # referrer_note_send wants a 32-hex key: one per closure and referral, so a second run sends nothing.
    return hashlib.sha256(f"closure:{closure.pk}:{referral_id}".encode()).hexdigest()[:32]


def _end_matches(*, actor: User, closure: ServiceClosure, referral: Referral) -> list[Match]:
    ended = []
    for match in Match.objects.filter(referral_id=referral.pk, status__in=OPEN_MATCH_STATUSES).order_by("pk"):
        ended.append(
            match_transition(
                actor=actor,
                match=match,
                to_status=MatchStatus.ENDED,
                ending_type=EndingType.PLANNED,
                closing_note=CLOSING_NOTE,
            )
        )
    return ended


def _wind_down(*, actor: User, referral: Referral, reason: str) -> None:
    """Closes what the ended matches left open, through the referral workflow."""
    referral = Referral.objects.get(pk=referral.pk)
    if referral.status == ReferralStatus.ACTIVE:
        referral = referral_transition(actor=actor, referral=referral, to_status=ReferralStatus.ENDING, reason=reason)
    if referral.status == ReferralStatus.ENDING:
        referral_transition(actor=actor, referral=referral, to_status=ReferralStatus.CLOSED, reason=reason)
    elif referral.status in OPEN_STATUSES:
        referral_transition(actor=actor, referral=referral, to_status=ReferralStatus.WITHDRAWN, reason=reason)


def _tell_volunteers(closure: ServiceClosure, matches: list[Match]) -> int:
    dues = [
        Due(
            key=f"closure-match-ended:{closure.pk}:{match.pk}",
            kind="closure_match_ended",
            organisation_id=closure.organisation_id,
            subject="One of your matches has ended",
            body=f"{closure.service.name} has closed, so match #{match.pk} has ended as planned. Thank you for your "
            "support. Families are still waiting for support: tell your coordinator if you can support another.",
            link=reverse("volunteers:me"),
            user_ids=(match.volunteer.user_id,),
            about=match,
        )
        # One read for every volunteer to tell, not one per match.
        for match in Match.objects.filter(pk__in=[match.pk for match in matches]).select_related("volunteer")
    ]
    reminders_write(dues, enqueue=True)
    return len({match.volunteer_id for match in matches})


def _suggest_export(closure: ServiceClosure, actor: User) -> None:
    reminders_write(
        [
            Due(
                key=f"closure-evaluation:{closure.pk}",
                kind="closure_evaluation",
                organisation_id=closure.organisation_id,
                subject="Keep a final evaluation export of the closed service",
                body=f"{closure.service.name} has closed. Consider a final evaluation export of its work for your "
                "funders before its records reach their retention dates.",
                link=reverse("evaluation:project-list"),
                user_ids=(actor.pk,),
                about=closure,
            )
        ],
        enqueue=True,
    )


@transaction.atomic
def closure_complete(*, actor: User, closure: ServiceClosure) -> ServiceClosure:
    """Completes the closure: refused while any open referral is undecided
    (nothing written). Completing a completed closure does nothing."""
    _require_manager(actor, closure.organisation_id)
    locked = ServiceClosure.objects.select_for_update().select_related("service").get(pk=closure.pk)
    if locked.is_completed:
        return locked
    undecided = undecided_referrals(locked).count()
    if undecided:
        raise ValidationError(
            {
                "__all__": f"{undecided} open referral{'s' if undecided != 1 else ''} still "
                f"{'have' if undecided != 1 else 'has'} no decision: decide each before completing."
            }
        )
    counts = dict.fromkeys(Outcome.values, 0)
    referrers = 0
    ended_matches: list[Match] = []
    decisions = (
        ClosureDecision.objects.filter(closure=locked, referral__status__in=OPEN_STATUSES)
        .select_related("referral", "new_service", "receiving_organisation", "directory_entry")
        .order_by("referral_id")
    )
    for decision in decisions:
        referral = decision.referral
        told_by_note = False
        if decision.outcome == Outcome.IN_HOUSE:
            referral_update(actor=actor, referral=referral, data={"service": decision.new_service})
            told_by_note = True
            note = f"The service {locked.service.name} is closing; the referral moves to {decision.new_service.name}."
        elif decision.outcome == Outcome.OTHER_ORGANISATION:
            transfer_propose(
                actor=actor,
                referral=referral,
                receiving_organisation=decision.receiving_organisation,
                reason=f"{locked.service.name} is closing.",
                consent=decision.consent,
            )
            told_by_note = True
            note = (
                f"The service {locked.service.name} is closing; we are asking "
                f"{decision.receiving_organisation.name} to take the referral on."
            )
        else:
            ended_matches += _end_matches(actor=actor, closure=locked, referral=referral)
            where = (
                f" The family was signposted to {decision.directory_entry.name}." if decision.directory_entry else ""
            )
            _wind_down(actor=actor, referral=referral, reason=f"The service closed.{where}")
        counts[decision.outcome] += 1
        fresh = Referral.objects.select_related("referrer", "parent").get(pk=referral.pk)
        if not why_no_updates(fresh):
            referrers += 1
            if told_by_note:
                # A closed referral's referrer hears through the automatic "closed" update.
                referrer_note_send(actor=actor, referral=fresh, text=note, key=_note_key(locked, referral.pk))
    sessions = list(
        GroupSession.objects.filter(group__service_id=locked.service_id, starts_at__gt=timezone.now())
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("pk")
    )
    parents = set(
        Booking.objects.filter(
            session__in=sessions, status__in=(BookingStatus.BOOKED, BookingStatus.WAITING)
        ).values_list("parent_id", flat=True)
    )
    for session in sessions:
        session_cancel(session=session, actor=actor, note="The service has closed.")
    locked.service.is_active = False
    locked.service.save(update_fields=["is_active"])
    locked.status = ClosureStatus.COMPLETED
    locked.completed_by = actor
    locked.completed_at = timezone.now()
    locked.moved_in_house = counts[Outcome.IN_HOUSE]
    locked.transferred_out = counts[Outcome.OTHER_ORGANISATION]
    locked.signposted = counts[Outcome.SIGNPOST]
    locked.ended_as_planned = counts[Outcome.PLANNED_END]
    locked.sessions_cancelled = len(sessions)
    locked.parents_told = len(parents - {None})
    locked.referrers_told = referrers
    locked.volunteers_told = _tell_volunteers(locked, ended_matches)
    locked.save()
    _suggest_export(locked, actor)
    audit_log(action=AuditAction.TRANSITION, actor=actor, obj=locked, summary="Closure of a service completed")
    return locked


def closure_decisions_forget_parent(*, parent_id: int) -> None:
    """Erasure: the decisions about the parent's referrals go; the report's counts stay."""
    ClosureDecision.objects.filter(referral__parent_id=parent_id).delete()
