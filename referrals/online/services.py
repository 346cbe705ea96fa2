"""Writes of the online referral forms: typed, keyword-only, one transaction each.

A form that was sent becomes exactly one ``OnlineSubmission`` and, when it
can, one referral through ``referrals.services.referral_create`` (the one
way a referral is made). Whatever happens inside, the caller gets a
submission with a reference and shows the same page: a parent already on
the board, a restricted record or a bot are never told apart from anyone
else (no enumeration). Everything is audited without personal data.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.models import Organisation, Service, User
from referrals.models import Channel, Referrer, ReferringOrganisation
from referrals.online import signals
from referrals.online.models import FormKind, HeldReason, OnlineReferralSettings, OnlineSubmission, Outcome
from referrals.services import DuplicateReferral, referral_create

#: Spam is kept this long for a person to look at, then deleted by the beat task.
SPAM_KEPT_DAYS = 30
#: References read aloud on the phone: no 0/O, 1/I/L.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CHANNEL_OF_FORM = {FormKind.SELF: Channel.SELF_ONLINE, FormKind.PROFESSIONAL: Channel.PROFESSIONAL_ONLINE}


def online_settings_create(*, organisation_id: int) -> OnlineReferralSettings:
    """A new organisation's settings: both forms closed until a manager opens them."""
    return OnlineReferralSettings.objects.get_or_create(organisation_id=organisation_id)[0]


@transaction.atomic
def online_settings_save(*, actor: User, organisation: Organisation, data: dict[str, Any]) -> OnlineReferralSettings:
    """A manager opens or closes the forms and words their introduction."""
    config = OnlineReferralSettings.objects.select_for_update().get_or_create(organisation=organisation)[0]
    changed = [name for name in ("self_form_open", "professional_form_open", "intro") if name in data]
    for name in changed:
        setattr(config, name, data[name])
    config.full_clean(exclude=["organisation"])
    config.save()
    state = f"self-referral {'open' if config.self_form_open else 'closed'}, "
    state += f"professional {'open' if config.professional_form_open else 'closed'}"
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=config, summary=f"Online referral forms: {state}")
    return config


def _new_reference() -> str:
    return "R-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def _save_with_reference(submission: OnlineSubmission) -> OnlineSubmission:
    """Saves with a fresh random reference (a clash, one in 10^11, draws again)."""
    for _ in range(5):
        submission.reference = _new_reference()
        try:
            with transaction.atomic():
                submission.save()
        except IntegrityError:
            continue
        return submission
    raise RuntimeError("could not draw a free submission reference")


def referrer_find_or_add(*, organisation: Organisation, data: dict[str, Any]) -> Referrer:
    """The referrer of a professional form in the organisation's directory:
    the person with this work email, else a new entry (in their team, found
    by name or added). An existing entry is never changed by what a public
    form says: coordinators keep the directory."""
    email = data["email"].strip().lower()
    known = Referrer.objects.filter(organisation=organisation, email__iexact=email).order_by("-is_active", "pk").first()
    if known is not None:
        return known
    team = (
        ReferringOrganisation.objects.annotate(lower_name=Lower("name"))
        .filter(organisation=organisation, lower_name=data["team"].strip().lower())
        .first()
    )
    if team is None:
        try:
            with transaction.atomic():
                team = ReferringOrganisation.objects.create(
                    organisation=organisation, name=data["team"].strip(), kind=data["kind"]
                )
        except IntegrityError:
            # Another form added the same team a moment ago.
            team = (
                ReferringOrganisation.objects.annotate(lower_name=Lower("name"))
                .filter(organisation=organisation, lower_name=data["team"].strip().lower())
                .get()
            )
    referrer = Referrer(
        organisation=organisation,
        referring_organisation=team,
        name=data["name"].strip(),
        role=data.get("role", "").strip(),
        email=email,
        phone=data.get("phone", ""),
    )
    referrer.full_clean(exclude=["organisation", "referring_organisation"])
    referrer.save()
    audit_log(
        action=AuditAction.CREATE,
        obj=referrer,
        organisation=organisation.pk,
        summary="Referrer added to the directory by the online professional form",
    )
    return referrer


@transaction.atomic
def online_submission_receive(
    *,
    organisation: Organisation,
    form: str,
    service: Service,
    parent_data: dict[str, Any],
    child_data: dict[str, Any],
    safety_data: dict[str, Any],
    referral_data: dict[str, Any],
    referrer_data: dict[str, Any] | None,
    answers: dict[str, str],
    acknowledge_to: str = "",
    acknowledgement_names_service: bool = False,
    lived_experience_ids: Sequence[int] = (),
) -> OnlineSubmission:
    """Takes a validated form in: a ``received`` referral on the board, or,
    when it cannot be one, a submission held for a coordinator (with what
    was typed). Either way the same reference and the same answer."""
    referral_data = {**referral_data, "channel": CHANNEL_OF_FORM[form]}
    if referrer_data is not None:
        referral_data["referrer"] = referrer_find_or_add(organisation=organisation, data=referrer_data)
    submission = OnlineSubmission(organisation=organisation, form=form, service=service)
    try:
        with transaction.atomic():
            referral = referral_create(
                actor=None,
                organisation=organisation,
                service=service,
                referral_data=referral_data,
                parent_data=parent_data,
                child_data=child_data,
                safety_data=safety_data,
            )
    except DuplicateReferral as exc:
        # Privately: the coordinator sees it beside the open referral; the submitter is told nothing.
        submission.outcome, submission.held_reason = Outcome.HELD, HeldReason.DUPLICATE
        submission.referral, submission.answers = exc.existing, answers
    except ValidationError as exc:
        past_end = "eligibility_override_reason" in getattr(exc, "error_dict", {})
        submission.outcome = Outcome.HELD
        submission.held_reason = HeldReason.PAST_END if past_end else HeldReason.NOT_ADDED
        submission.answers = answers
    else:
        submission.outcome, submission.referral = Outcome.REFERRED, referral
    _save_with_reference(submission)
    audit_log(
        action=AuditAction.CREATE,
        obj=submission,
        organisation=organisation.pk,
        summary=f"{submission.get_form_display()} sent: {submission.get_outcome_display().lower()}",
    )
    signals.submission_received.send(
        sender=OnlineSubmission,
        submission_id=submission.pk,
        acknowledge_to=acknowledge_to,
        names_service=acknowledgement_names_service,
        lived_experience_ids=tuple(lived_experience_ids),
    )
    return submission


@transaction.atomic
def online_submission_hold_spam(*, organisation: Organisation, form: str, answers: dict[str, str]) -> OnlineSubmission:
    """A bot's form (the honeypot was filled): held apart, never on the
    board, nobody told, deleted after ``SPAM_KEPT_DAYS``."""
    submission = _save_with_reference(
        OnlineSubmission(organisation=organisation, form=form, outcome=Outcome.SPAM, answers=answers)
    )
    audit_log(
        action=AuditAction.CREATE,
        obj=submission,
        organisation=organisation.pk,
        summary=f"{submission.get_form_display()} sent: held apart as spam",
    )
    return submission


@transaction.atomic
def online_submission_dealt_with(*, actor: User, submission: OnlineSubmission) -> OnlineSubmission:
    """A coordinator has dealt with a held submission: what was typed goes
    (it was read, and put on the record where it belongs), the reference stays."""
    locked = OnlineSubmission.objects.select_for_update().get(pk=submission.pk)
    if locked.outcome != Outcome.HELD or locked.dealt_with_at is not None:
        raise ValidationError("This submission has already been dealt with.")
    locked.dealt_with_at, locked.dealt_with_by, locked.answers = timezone.now(), actor, {}
    locked.save(update_fields=["dealt_with_at", "dealt_with_by", "answers"])
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=locked, summary="Held online submission dealt with")
    return locked


@transaction.atomic
def online_spam_purge(*, now: datetime | None = None) -> int:
    """Deletes spam held longer than ``SPAM_KEPT_DAYS``; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=SPAM_KEPT_DAYS)
    deleted, _ = OnlineSubmission.objects.filter(outcome=Outcome.SPAM, received_at__lt=cutoff).delete()
    if deleted:
        audit_log(action=AuditAction.DELETE, summary=f"{deleted} online submissions held as spam deleted after 30 days")
    return deleted
