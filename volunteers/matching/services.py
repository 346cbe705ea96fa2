"""Writes: confirming matches (one or a batch, re-validated under locks),
the match lifecycle, reviews, planned visits and contact logs.

Each service raises a ValidationError with field errors when input is bad,
and writes nothing then. Audit summaries name records, never people. No
message is sent from here: the layers above hear of confirmed matches and
of concerns ticked in a contact log through signals."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.dates import short_date
from operations.core.models import STAFF_ROLES, CouncilArea, User, active_membership
from operations.core.months import add_months_clamped
from operations.core.sent_once import kept_for_key, write_once
from referrals.eligibility import outside_eligibility
from referrals.models import Parent, Referral, Transfer, TransferStatus
from referrals.services import RESTRICTED_MESSAGE, check_not_restricted, referral_follow_match, referral_transition
from referrals.validators import normalise_uk_phone
from referrals.workflow import Status as ReferralStatus
from volunteers.matching import scoring, selectors, signals
from volunteers.matching.models import (
    OPEN_MATCH_STATUSES,
    ContactLog,
    ContactMode,
    DirectoryEntry,
    EndingType,
    Match,
    MatchingSettings,
    MatchReview,
    MatchRole,
    MatchStatus,
    Topic,
    Visit,
)
from volunteers.models import VolunteerProfile

MAX_CONTACT_MINUTES = 12 * 60
OVERRIDE_REASON_MAX_LENGTH = 500


@dataclass(frozen=True)
class ConfirmResult:
    referral_id: int
    volunteer_id: int
    match: Match | None
    errors: list[str]

    @property
    def ok(self) -> bool:
        return self.match is not None


def _birth_companion_window(match: Match, settings) -> None:
    child = match.parent.children.filter(birth_date__isnull=True, loss_date__isnull=True).order_by("due_date").first()
    if child is not None and child.due_date is not None:
        match.due_date = child.due_date
        match.on_call_from = child.due_date - dt.timedelta(days=settings.on_call_days_before_due)
        match.on_call_to = child.due_date + dt.timedelta(days=settings.on_call_days_after_due)


class EligibilityRefusal(str):
    """A refusal a coordinator may override with a reason: the page and the
    API show it on the ``eligibility_override_reason`` field."""


def _eligibility_check(referral: Referral, *, today: dt.date, override_reason: str) -> tuple[str, dict[str, str]]:
    """(the refusal or "", the override fields for the new match) of
    confirming ``referral`` today: outside its eligibility (before the start,
    past the end) a match needs a coordinator's reason, kept on the match."""
    outside = outside_eligibility(referral.eligibility_start, referral.eligibility_end, today)
    reason = (override_reason or "").strip()
    if not outside:
        return "", {}
    if not reason:
        return EligibilityRefusal(f"{outside[0].upper()}{outside[1:]}: to match now, give a reason to override."), {}
    if len(reason) > OVERRIDE_REASON_MAX_LENGTH:
        return EligibilityRefusal(f"Keep the reason under {OVERRIDE_REASON_MAX_LENGTH} characters."), {}
    return "", {"eligibility_override_note": outside, "eligibility_override_reason": reason}


def _pair_refusals(
    *,
    referral: Referral,
    parent: scoring.ParentFacts,
    volunteer: scoring.VolunteerFacts,
    role_taken: bool,
    today: dt.date,
    override_reason: str,
) -> tuple[list[str], dict[str, str]]:
    """Every reason confirming this pair is refused now, and the override
    fields of the new match (the one place the confirmation rules are read)."""
    errors: list[str] = []
    if referral.parent.processing_restricted:
        errors.append(RESTRICTED_MESSAGE)
    if referral.status != ReferralStatus.WAITING:
        errors.append(f"The referral is {referral.get_status_display().lower()}, not waiting.")
    if (
        role_taken
        or Match.objects.filter(parent_id=referral.parent_id, role=parent.role, status__in=OPEN_MATCH_STATUSES).exists()
    ):
        errors.append("The parent already has an open match in this role.")
    errors += [e.reason + "." for e in scoring.hard_exclusions(parent, volunteer)]
    refusal, override = _eligibility_check(referral, today=today, override_reason=override_reason)
    errors += [refusal] if refusal else []
    return errors, override


def match_confirm_refusals(
    *,
    organisation_id: int,
    referral_id: int,
    volunteer_id: int,
    eligibility_override_reason: str = "",
    also_taken: int = 0,
) -> list[str]:
    """Why ``match_confirm`` would refuse this pair now ([]: it would
    confirm it), reading only: an import's dry run checks each row with it.
    ``also_taken``: matches the volunteer is given earlier in the same file."""
    referral = selectors.referrals_with_needs(
        Referral.objects.filter(pk=referral_id, organisation_id=organisation_id)
    ).first()
    facts = selectors.volunteer_facts(organisation_id, volunteer_ids=[volunteer_id])
    if referral is None:
        return ["The referral is not in your organisation."]
    if not facts:
        return ["The volunteer is not in your organisation or has left."]
    (parent,) = selectors.parent_facts([referral])
    volunteer = scoring.VolunteerFacts(**{**facts[0].__dict__, "caseload": facts[0].caseload + also_taken})
    errors, _ = _pair_refusals(
        referral=referral,
        parent=parent,
        volunteer=volunteer,
        role_taken=False,
        today=timezone.localdate(),
        override_reason=eligibility_override_reason,
    )
    return errors


@transaction.atomic
def match_started_before_import(*, actor: User, match: Match, started_on: dt.date) -> Match:
    """A match brought over from another system (``operations.imports``)
    whose support started there on ``started_on``: recorded as confirmed by
    that day, and active from it (its referral follows: active, support
    started that day). Only a match just confirmed, with no contact yet."""
    locked = Match.objects.select_for_update().get(pk=match.pk)
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": "The start date cannot be in the future."})
    if locked.status != MatchStatus.CONFIRMED or locked.contact_logs.exists():
        raise ValidationError({"started_on": "Only a match just confirmed, with no contact yet, takes a start date."})
    earliest = timezone.make_aware(dt.datetime.combine(started_on, dt.time.min))
    if earliest < locked.confirmed_at:
        Match.objects.filter(pk=locked.pk).update(confirmed_at=earliest)
    # Nobody is told: support started in the old system, and the referrer heard of it there.
    introduced = match_transition(
        actor=actor, match=locked, to_status=MatchStatus.INTRODUCED, on=started_on, announce=False
    )
    return match_transition(actor=actor, match=introduced, to_status=MatchStatus.ACTIVE, on=started_on, announce=False)


def match_confirm_batch(
    *,
    actor: User,
    organisation_id: int,
    pairs: Sequence[tuple[int, int]],
    eligibility_override_reason: str = "",
    announce: bool = True,
) -> list[ConfirmResult]:
    """Confirms (referral id, volunteer id) pairs in one transaction.

    Every pair is validated again now (same organisation, referral still
    waiting, no open match in the role, fit, capacity, every hard
    constraint), with capacity taken by earlier pairs of the same batch
    counted. Volunteer rows are locked in primary-key order so two
    coordinators confirming at once cannot overfill anyone. A pair outside
    the referral's eligibility needs ``eligibility_override_reason`` (which
    then applies to every such pair of the batch). A failing pair writes
    nothing and says why; the others are confirmed. ``announce=False`` for
    matches brought over from another system (``operations.imports``): they
    already run there, so neither the volunteer's "you have been matched" nor
    the referrer's update about the referral's move is sent."""
    results: list[ConfirmResult] = []
    with transaction.atomic():
        volunteer_ids = sorted({v for _, v in pairs})
        locked = set(
            VolunteerProfile.objects.select_for_update()
            .filter(pk__in=volunteer_ids, organisation_id=organisation_id)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        referrals = {
            r.pk: r
            for r in selectors.referrals_with_needs(
                Referral.objects.filter(pk__in={r for r, _ in pairs}, organisation_id=organisation_id)
            )
        }
        facts = selectors.volunteer_facts(organisation_id, volunteer_ids=locked)
        volunteers = {f.volunteer_id: f for f in facts}
        settings = selectors.matching_settings_for(organisation_id)
        weights = selectors.weights_of(settings)
        parents = {p.referral_id: p for p in selectors.parent_facts(list(referrals.values()))}
        taken: dict[int, int] = defaultdict(int)
        taken_roles: set[tuple[int, str]] = set()
        today = timezone.localdate()
        for referral_id, volunteer_id in pairs:
            referral = referrals.get(referral_id)
            volunteer = volunteers.get(volunteer_id)
            errors: list[str] = []
            if referral is None:
                errors.append("The referral is not in your organisation.")
            if volunteer is None:
                errors.append("The volunteer is not in your organisation or has left.")
            if errors:
                results.append(ConfirmResult(referral_id, volunteer_id, None, errors))
                continue
            parent = parents[referral_id]
            role = parent.role
            current = scoring.VolunteerFacts(
                **{**volunteer.__dict__, "caseload": volunteer.caseload + taken[volunteer_id]}
            )
            errors, override = _pair_refusals(
                referral=referral,
                parent=parent,
                volunteer=current,
                role_taken=(referral.parent_id, role) in taken_roles,
                today=today,
                override_reason=eligibility_override_reason,
            )
            if errors:
                results.append(ConfirmResult(referral_id, volunteer_id, None, errors))
                continue
            score = scoring.assess(parent, current, weights, today=today).score
            match = Match.objects.create(
                organisation_id=organisation_id,
                referral=referral,
                parent=referral.parent,
                volunteer_id=volunteer_id,
                role=role,
                status=MatchStatus.CONFIRMED,
                score=score,
                confirmed_by=actor,
                next_review_on=add_months_clamped(today, settings.review_interval_months),
                **override,
            )
            if role == MatchRole.BIRTH_COMPANION:
                _birth_companion_window(match, settings)
                match.save(update_fields=["due_date", "on_call_from", "on_call_to"])
            referral_follow_match(
                actor=actor,
                referral=referral,
                to_status=ReferralStatus.MATCHED,
                reason="Match confirmed",
                announce=announce,
            )
            audit_log(
                action=AuditAction.CREATE,
                actor=actor,
                obj=match,
                summary=f"Match {match.pk} confirmed for referral {referral_id} and volunteer {volunteer_id}"
                + (f", outside eligibility ({override['eligibility_override_note']}): overridden" if override else ""),
            )
            if announce:
                # The volunteer is told (by the notifications layer) in this transaction.
                signals.match_confirmed.send(sender=Match, match_id=match.pk)
            taken[volunteer_id] += 1
            taken_roles.add((referral.parent_id, role))
            results.append(ConfirmResult(referral_id, volunteer_id, match, []))
    return results


def match_confirm(
    *,
    actor: User,
    organisation_id: int,
    referral_id: int,
    volunteer_id: int,
    eligibility_override_reason: str = "",
    announce: bool = True,
) -> Match:
    """Confirms one match, or refuses with every reason (one outside the
    eligibility on the override reason's field)."""
    (result,) = match_confirm_batch(
        actor=actor,
        organisation_id=organisation_id,
        pairs=[(referral_id, volunteer_id)],
        eligibility_override_reason=eligibility_override_reason,
        announce=announce,
    )
    if not result.ok:
        fields = {
            "volunteer": [e for e in result.errors if not isinstance(e, EligibilityRefusal)],
            "eligibility_override_reason": [e for e in result.errors if isinstance(e, EligibilityRefusal)],
        }
        raise ValidationError({field: errors for field, errors in fields.items() if errors})
    return result.match


#: Lifecycle moves a coordinator makes (the first contact log makes a match active).
MATCH_MOVES = {
    MatchStatus.CONFIRMED: {MatchStatus.INTRODUCED, MatchStatus.ENDED},
    MatchStatus.INTRODUCED: {MatchStatus.ACTIVE, MatchStatus.ENDING, MatchStatus.ENDED},
    MatchStatus.ACTIVE: {MatchStatus.ENDING, MatchStatus.ENDED},
    MatchStatus.ENDING: {MatchStatus.ENDED},
    MatchStatus.ENDED: set(),
}


def match_transition(
    *,
    actor: User,
    match: Match,
    to_status: str,
    ending_type: str = "",
    closing_note: str = "",
    on: dt.date | None = None,
    announce: bool = True,
) -> Match:
    with transaction.atomic():
        locked = Match.objects.select_for_update().select_related("referral", "parent").get(pk=match.pk)
        labels = dict(MatchStatus.choices)
        if to_status not in labels:
            raise ValidationError({"to_status": f"“{to_status}” is not a match state."})
        if to_status not in MATCH_MOVES[locked.status]:
            source, target = labels[locked.status].lower(), labels[to_status].lower()
            raise ValidationError({"to_status": f"A match that is {source} cannot move to {target}."})
        if to_status in (MatchStatus.INTRODUCED, MatchStatus.ACTIVE):
            # Taking support further is new processing; winding it down is not.
            check_not_restricted(locked.parent, field="to_status")
        today = on or timezone.localdate()
        errors = {}
        confirmed_on = timezone.localdate(locked.confirmed_at)
        if to_status in (MatchStatus.INTRODUCED, MatchStatus.ACTIVE) and today < confirmed_on:
            errors["to_status"] = (
                f"This match was confirmed on {short_date(confirmed_on)}: it cannot be introduced or start before then."
            )
        if to_status == MatchStatus.ENDED:
            if ending_type not in dict(EndingType.choices):
                errors["ending_type"] = "Choose how the match ended."
            if not closing_note.strip():
                errors["closing_note"] = "Write a short closing note."
        if errors:
            raise ValidationError(errors)
        from_status = locked.status
        locked.status = to_status
        locked.status_changed_at = timezone.now()
        if to_status == MatchStatus.INTRODUCED:
            locked.introduced_on = today
        if to_status == MatchStatus.ACTIVE and locked.started_on is None:
            locked.started_on = today
        if to_status == MatchStatus.ENDED:
            locked.ended_on = today
            locked.ending_type = ending_type
            locked.closing_note = closing_note.strip()
        locked.save()
        _referral_follows_match(actor=actor, match=locked, announce=announce)
        audit_log(
            action=AuditAction.TRANSITION,
            actor=actor,
            obj=locked,
            summary=f"Match {locked.pk} moved from {MatchStatus(from_status).label} to {MatchStatus(to_status).label}",
        )
        return locked


#: Where a referral goes when its only match ends before support started
#: (matched, no contact yet): the parent still waits for someone else, unless
#: the ending itself says they cannot be supported.
_REFERRAL_AFTER_UNSTARTED_MATCH = {
    EndingType.ELIGIBILITY_ENDED: ReferralStatus.NOT_ELIGIBLE,
    EndingType.PARENT_MOVED: ReferralStatus.WITHDRAWN,
}


def _referral_follows_match(*, actor: User, match: Match, announce: bool = True) -> None:
    """Keeps the referral in step with its matches, through the referrals
    workflow: when its last open match ends, support has ended (active or
    ending: closed, with the ending type as the reason) or never started
    (matched: back to the waiting list); when every open match is ending,
    the referral is ending; when a match becomes active (support started),
    a matched referral is active. While another match is open, nothing moves."""
    referral = match.referral
    others = Match.objects.filter(referral_id=referral.pk, status__in=OPEN_MATCH_STATUSES).exclude(pk=match.pk)
    if match.status == MatchStatus.ACTIVE and referral.status == ReferralStatus.MATCHED:
        referral_follow_match(
            actor=actor,
            referral=referral,
            to_status=ReferralStatus.ACTIVE,
            reason="Support started",
            on=match.started_on,
            announce=announce,
        )
    elif match.status == MatchStatus.ENDED and not others.exists():
        ending = EndingType(match.ending_type)
        if referral.status == ReferralStatus.MATCHED:
            target = _REFERRAL_AFTER_UNSTARTED_MATCH.get(ending, ReferralStatus.WAITING)
            reason = f"Match ended before support started: {ending.label}"
            referral_transition(actor=actor, referral=referral, to_status=target, reason=reason)
        elif referral.status in (ReferralStatus.ACTIVE, ReferralStatus.ENDING):
            reason = f"Support ended: {ending.label}"
            if referral.status == ReferralStatus.ACTIVE:
                referral = referral_transition(
                    actor=actor, referral=referral, to_status=ReferralStatus.ENDING, reason=reason
                )
            referral_transition(actor=actor, referral=referral, to_status=ReferralStatus.CLOSED, reason=reason)
    elif (
        match.status == MatchStatus.ENDING
        and referral.status == ReferralStatus.ACTIVE
        and not others.exclude(status=MatchStatus.ENDING).exists()
    ):
        referral_transition(
            actor=actor,
            referral=referral,
            to_status=ReferralStatus.ENDING,
            reason="Planned ending of the match under way",
        )


#: The closing note of a match ended because its family was transferred to another organisation.
TRANSFER_CLOSING_NOTE = "The family moved to another organisation's area and was transferred there."


def matches_end_for_transfer(*, actor: User, transfer_id: int) -> list[int]:
    """An accepted transfer ends the sending side's open matches of the
    transferred referral, as a planned ending (the referral is already
    closed as transferred, so it does not follow the match). The volunteers
    are told through ``matches_ended_by_transfer``. Anything but an accepted
    transfer ends nothing."""
    transfer = Transfer.objects.get(pk=transfer_id)
    if transfer.status != TransferStatus.ACCEPTED:
        return []
    ended = []
    for match in Match.objects.filter(referral_id=transfer.referral_id, status__in=OPEN_MATCH_STATUSES).order_by("pk"):
        match_transition(
            actor=actor,
            match=match,
            to_status=MatchStatus.ENDED,
            ending_type=EndingType.PLANNED,
            closing_note=TRANSFER_CLOSING_NOTE,
        )
        ended.append(match.pk)
    if ended:
        signals.matches_ended_by_transfer.send(sender=Match, match_ids=ended)
    return ended


def match_record_extension(*, actor: User, match: Match, until: dt.date | None, reason: str) -> Match:
    check_not_restricted(match.parent, field="extended_until")
    errors = {}
    if until is None:
        errors["extended_until"] = "Give the date the extension runs to."
    elif match.referral.eligibility_end and until <= match.referral.eligibility_end:
        errors["extended_until"] = "An extension runs past the eligibility end date."
    if not (reason or "").strip():
        errors["extension_reason"] = "Say why support is extended."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Match.objects.filter(pk=match.pk).update(extended_until=until, extension_reason=reason.strip())
        audit_log(action=AuditAction.CHANGE, actor=actor, obj=match, summary=f"Match {match.pk} extended")
    match.refresh_from_db()
    return match


def match_review_record(
    *, actor: User, match: Match, held_on: dt.date, going_well: bool, notes: str = ""
) -> MatchReview:
    check_not_restricted(match.parent, field="notes")
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "A review cannot be in the future."})
    if not match.is_open:
        raise ValidationError({"held_on": "This match has ended."})
    settings = selectors.matching_settings_for(match.organisation_id)
    with transaction.atomic():
        review = MatchReview.objects.create(
            match=match,
            held_on=held_on,
            by=actor,
            going_well=going_well,
            notes=notes.strip(),
            next_review_on=add_months_clamped(held_on, settings.review_interval_months),
        )
        Match.objects.filter(pk=match.pk).update(next_review_on=review.next_review_on)
        audit_log(action=AuditAction.CREATE, actor=actor, obj=review, summary=f"Review of match {match.pk}")
    return review


def _require_own_or_staff(actor: User, match: Match, field: str = "match") -> None:
    membership = active_membership(actor)
    if membership is None or membership.organisation_id != match.organisation_id:
        raise ValidationError({field: "This match is not in your organisation."})
    if membership.role not in STAFF_ROLES and match.volunteer.user_id != actor.pk:
        raise ValidationError({field: "You can only log for your own matches."})


def visit_plan(*, actor: User, match: Match, data: dict[str, Any]) -> Visit:
    """Plans a visit or call on the actor's own match (or any, for staff).
    ``client_key``, when given, makes it happen once: the same key again
    returns the visit already planned and writes nothing."""
    return visit_plan_once(actor=actor, match=match, data=data)[0]


def visit_plan_once(*, actor: User, match: Match, data: dict[str, Any]) -> tuple[Visit, bool]:
    """``visit_plan``, saying whether the visit was planned now (False: sent
    before with the same ``client_key``), so the API can answer 200, not 201."""
    key = data.get("client_key")

    def kept() -> Visit | None:
        return kept_for_key(
            Visit.objects.all(),
            organisation_id=match.organisation_id,
            key=key,
            sender_id=actor.pk,
            sender_field="created_by_id",
            what="visit",
        )

    # Sent before (its reply lost): the visit stands even if the match ended since.
    already = kept()
    if already is not None:
        return already, False
    _require_own_or_staff(actor, match)
    check_not_restricted(match.parent, field="match")
    errors = {}
    planned_for = data.get("planned_for")
    if planned_for is None:
        errors["planned_for"] = "Give the date of the visit."
    elif planned_for < timezone.localdate():
        errors["planned_for"] = "A planned visit cannot be in the past."
    if data.get("mode", ContactMode.HOME_VISIT) not in dict(ContactMode.choices):
        errors["mode"] = "Choose how you will meet."
    if not match.is_open:
        errors["match"] = "This match has ended."
    if errors:
        raise ValidationError(errors)

    def write() -> Visit:
        return Visit.objects.create(
            organisation_id=match.organisation_id,
            match=match,
            planned_for=planned_for,
            at_time=data.get("at_time"),
            mode=data.get("mode") or ContactMode.HOME_VISIT,
            place=(data.get("place") or "").strip(),
            client_key=key or None,
            created_by=actor,
        )

    return write_once(write, kept=kept)


def contact_log_errors(*, match: Match, data: dict[str, Any], today: dt.date) -> dict[str, str]:
    """Field errors of a contact log (empty: it may be saved)."""
    errors: dict[str, str] = {}
    contact_date = data.get("contact_date")
    if contact_date is None:
        errors["contact_date"] = "Give the date of the contact."
    elif contact_date > today:
        errors["contact_date"] = "The contact date cannot be in the future."
    else:
        last_day = match.last_day_for_logs()
        if last_day is not None and contact_date > last_day:
            errors["contact_date"] = (
                f"Support ended on {short_date(last_day)}: ask your coordinator to record an extension with a reason."
            )
        elif contact_date < timezone.localdate(match.confirmed_at):
            # The first contact starts support, which cannot start before the match was confirmed.
            confirmed_on = short_date(timezone.localdate(match.confirmed_at))
            errors["contact_date"] = f"The match was confirmed on {confirmed_on}: log contacts from then on."
    duration = data.get("duration_minutes")
    if duration is None or duration < 1:
        errors["duration_minutes"] = "Give how long the contact lasted (at least 1 minute)."
    elif duration > MAX_CONTACT_MINUTES:
        errors["duration_minutes"] = "A contact lasts 12 hours at most."
    if data.get("mode") not in dict(ContactMode.choices):
        errors["mode"] = "Choose how you were in touch."
    unknown = [t for t in data.get("topics") or [] if t not in dict(Topic.choices)]
    if unknown:
        errors["topics"] = f"Unknown topics: {', '.join(map(str, unknown))}."
    if not match.is_open:
        errors["match"] = "This match has ended: contacts can no longer be logged."
    if data.get("has_concern") and not (data.get("note") or "").strip():
        errors["note"] = "Say briefly what the concern is."
    return errors


def contact_log_create(*, actor: User, match: Match, data: dict[str, Any]) -> ContactLog:
    """Logs a contact on the actor's own match. The first one makes the match
    active (and its referral); a ticked concern is raised at once (safeguarding).
    ``client_key``, when given, makes it happen once: the same key again
    returns the log already kept and writes nothing (no audit entry, no concern)."""
    return contact_log_create_once(actor=actor, match=match, data=data)[0]


def contact_log_create_once(*, actor: User, match: Match, data: dict[str, Any]) -> tuple[ContactLog, bool]:
    """``contact_log_create``, saying whether the log was made now (False:
    sent before with the same ``client_key``), so the API can answer 200, not 201."""
    key = data.get("client_key")

    def kept() -> ContactLog | None:
        return kept_for_key(
            ContactLog.objects.all(),
            organisation_id=match.organisation_id,
            key=key,
            sender_id=actor.pk,
            sender_field="logged_by_id",
            what="contact log",
        )

    # Sent before (its reply lost): the log stands even if the match ended since.
    already = kept()
    if already is not None:
        return already, False
    _require_own_or_staff(actor, match)
    check_not_restricted(match.parent, field="match")
    today = timezone.localdate()
    errors = contact_log_errors(match=match, data=data, today=today)
    signposts = list(data.get("signposted_to") or [])
    entry_ids = [getattr(e, "pk", e) for e in signposts]
    entries = list(DirectoryEntry.objects.filter(pk__in=entry_ids, organisation_id=match.organisation_id))
    if len(entries) != len(set(entry_ids)):
        errors["signposted_to"] = "Choose services from your organisation's directory."
    if errors:
        raise ValidationError(errors)
    return write_once(lambda: _write_contact_log(actor=actor, match=match, data=data, entries=entries), kept=kept)


def _write_contact_log(*, actor: User, match: Match, data: dict[str, Any], entries: list[DirectoryEntry]) -> ContactLog:
    """Writes the log and what follows from it, in the caller's savepoint;
    the match is locked so the first contact starts it once."""
    locked = Match.objects.select_for_update().select_related("referral").get(pk=match.pk)
    log = ContactLog.objects.create(
        organisation_id=locked.organisation_id,
        match=locked,
        logged_by=actor,
        contact_date=data["contact_date"],
        duration_minutes=data["duration_minutes"],
        mode=data["mode"],
        topics=sorted(set(data.get("topics") or [])),
        note=(data.get("note") or "").strip(),
        has_concern=bool(data.get("has_concern")),
        client_key=data.get("client_key") or None,
    )
    if entries:
        log.signposted_to.set(entries)
    if locked.status in (MatchStatus.CONFIRMED, MatchStatus.INTRODUCED):
        locked.status = MatchStatus.ACTIVE
        locked.started_on = locked.started_on or log.contact_date
        locked.status_changed_at = timezone.now()
        locked.save(update_fields=["status", "started_on", "status_changed_at"])
        if locked.referral.status == ReferralStatus.MATCHED:
            referral_follow_match(
                actor=actor,
                referral=locked.referral,
                to_status=ReferralStatus.ACTIVE,
                reason="First contact logged",
                on=log.contact_date,
            )
    if log.has_concern:
        # The safeguarding app raises the concern in this transaction.
        signals.contact_log_concern_flagged.send(sender=ContactLog, log=log, actor=actor)
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        obj=log,
        summary=f"Contact logged on match {locked.pk}",
    )
    return log


def matching_settings_create(*, organisation_id: int) -> MatchingSettings:
    """A new organisation's matching settings, with the defaults."""
    return MatchingSettings.objects.get_or_create(organisation_id=organisation_id)[0]


DIRECTORY_ENTRY_FIELDS = ("name", "description", "phone", "website", "is_active")


@transaction.atomic
def directory_entry_save(
    *,
    actor: User | None,
    organisation_id: int,
    data: dict[str, Any],
    council_areas: Sequence[CouncilArea] | None = None,
    entry: DirectoryEntry | None = None,
) -> DirectoryEntry:
    """Adds a service to the signposting directory, or changes one; with
    ``council_areas`` the areas it serves (none: a national service). Two
    entries of one organisation never share a name."""
    if entry is None:
        entry = DirectoryEntry(organisation_id=organisation_id)
    elif entry.organisation_id != organisation_id:
        raise ValidationError("This entry is in another organisation's directory.")
    for field in DIRECTORY_ENTRY_FIELDS:
        if field in data:
            setattr(entry, field, data[field])
    entry.phone = normalise_uk_phone(entry.phone or "")
    entry.full_clean(exclude=["organisation", "council_areas"], validate_unique=False)
    same = DirectoryEntry.objects.filter(organisation_id=organisation_id, name=entry.name).exclude(pk=entry.pk)
    if same.exists():
        raise ValidationError({"name": "The directory already has an entry with this name."})
    created = entry.pk is None
    entry.save()
    if council_areas is not None:
        entry.council_areas.set(council_areas)
    audit_log(
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        actor=actor,
        obj=entry,
        organisation=organisation_id,
        summary="Directory entry added" if created else "Directory entry changed",
    )
    return entry


def directory_entries_seed(*, organisation_id: int, entries: Iterable[tuple[str, str, Iterable[str]]]) -> int:
    """Adds directory entries not there yet (idempotent), each with the
    council areas it serves, by name; an entry already there without areas
    is given them (a directory seeded before entries had areas)."""
    created = 0
    areas_by_name = dict(CouncilArea.objects.values_list("name", "pk"))
    for name, description, area_names in entries:
        entry, was_created = DirectoryEntry.objects.get_or_create(
            organisation_id=organisation_id, name=name, defaults={"description": description}
        )
        created += was_created
        if area_names and (was_created or not entry.council_areas.exists()):
            entry.council_areas.set([areas_by_name[area] for area in area_names])
    return created


def matching_needs_save(*, actor: User | None, referral: Referral, data: dict[str, Any]):
    """Records what matching must respect for one referral."""
    from volunteers.matching.models import MatchingNeeds
    from volunteers.models import Gender, LivedExperience

    errors = {}
    if data.get("required_gender", "") not in dict(Gender.choices):
        errors["required_gender"] = "Choose a gender from the list."
    from volunteers.fitness import invalid_availability_cells

    bad_cells = invalid_availability_cells(data.get("availability") or [])
    if bad_cells:
        errors["availability"] = f"Unknown times: {', '.join(map(str, bad_cells))}."
    experiences = list(data.get("lived_experience") or [])
    ids = [getattr(e, "pk", e) for e in experiences]
    if LivedExperience.objects.filter(pk__in=ids, organisation_id=referral.organisation_id).count() != len(set(ids)):
        errors["lived_experience"] = "Choose lived experience from your organisation's list."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        needs, _ = MatchingNeeds.objects.update_or_create(
            referral=referral,
            defaults={
                "organisation_id": referral.organisation_id,
                "required_gender": data.get("required_gender") or "",
                "availability": sorted(set(data.get("availability") or [])),
                "interpreter_arranged": bool(data.get("interpreter_arranged")),
            },
        )
        needs.lived_experience.set(ids)
        audit_log(
            action=AuditAction.CHANGE,
            actor=actor,
            obj=needs,
            summary=f"Matching needs of referral {referral.pk}",
        )
    return needs


@transaction.atomic
def matching_needs_from_online_form(*, submission_id: int, lived_experience_ids: Sequence[int]):
    """The lived experience asked for on a public online form, on the new
    referral's matching needs. Only a form that became a new referral
    (never spam, nor one held for a coordinator, nor the open referral a
    duplicate may repeat), only ids of the organisation's own list (others
    are ignored); nothing asked, nothing recorded. Returns the needs, or None."""
    from referrals.online.models import OnlineSubmission, Outcome
    from volunteers.models import LivedExperience

    if not lived_experience_ids:
        return None
    submission = (
        OnlineSubmission.objects.select_related("referral")
        .filter(pk=submission_id, outcome=Outcome.REFERRED, referral__isnull=False)
        .first()
    )
    if submission is None:
        return None
    own = list(
        LivedExperience.objects.filter(
            organisation_id=submission.organisation_id, pk__in=list(lived_experience_ids)
        ).values_list("pk", flat=True)
    )
    if not own:
        return None
    return matching_needs_save(actor=None, referral=submission.referral, data={"lived_experience": own})


def conflict_record(*, actor: User, parent: Parent, volunteer_id: int, note: str = ""):
    """Records that a volunteer must never be matched with this parent."""
    from volunteers.matching.models import ConflictOfInterest

    if not VolunteerProfile.objects.filter(pk=volunteer_id, organisation_id=parent.organisation_id).exists():
        raise ValidationError({"volunteer": "The volunteer is not in your organisation."})
    with transaction.atomic():
        conflict, created = ConflictOfInterest.objects.get_or_create(
            parent_id=parent.pk,
            volunteer_id=volunteer_id,
            defaults={"organisation_id": parent.organisation_id, "note": (note or "").strip()[:200]},
        )
        if not created:
            raise ValidationError({"volunteer": "A conflict of interest with this volunteer is already recorded."})
        audit_log(
            action=AuditAction.CREATE,
            actor=actor,
            obj=conflict,
            summary=f"Conflict of interest recorded for parent {parent.pk} and volunteer {volunteer_id}",
        )
    return conflict


def conflict_remove(*, actor: User, conflict) -> None:
    """Removes a recorded conflict: the volunteer may be suggested again."""
    with transaction.atomic():
        audit_log(
            action=AuditAction.DELETE,
            actor=actor,
            obj=conflict,
            summary=f"Conflict of interest {conflict.pk} removed (parent {conflict.parent_id}, "
            f"volunteer {conflict.volunteer_id})",
        )
        conflict.delete()


def visit_cancel(*, actor: User, visit: Visit) -> Visit:
    _require_own_or_staff(actor, visit.match, field="visit")
    if visit.cancelled:
        raise ValidationError({"visit": "This visit is already cancelled."})
    with transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(cancelled=True)
        audit_log(
            action=AuditAction.CHANGE,
            actor=actor,
            obj=visit,
            summary=f"Visit {visit.pk} on match {visit.match_id} cancelled",
        )
    visit.cancelled = True
    return visit


def visit_confirm_by_parent(*, visit: Visit, now: dt.datetime | None = None) -> bool:
    """The parent says the planned visit suits her (a YES to her visit
    reminder). Refused while her processing is restricted, for a cancelled
    visit or one already past; confirming twice keeps the first
    confirmation. Returns whether this call confirmed it."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Visit.objects.select_for_update(of=("self",)).select_related("match__parent").get(pk=visit.pk)
        check_not_restricted(locked.match.parent, field="visit")
        if locked.cancelled:
            raise ValidationError({"visit": "This visit is cancelled."})
        if locked.planned_for < timezone.localdate(now):
            raise ValidationError({"visit": "This visit is in the past."})
        if locked.confirmed_at is not None:
            return False
        Visit.objects.filter(pk=locked.pk).update(confirmed_at=now)
        audit_log(
            action=AuditAction.TRANSITION,
            actor=None,
            obj=locked,
            summary=f"Visit {locked.pk} on match {locked.match_id} confirmed by the parent",
        )
    visit.confirmed_at = now
    return True
