"""Writes of volunteer expenses: a claim made and sent again after a query,
a coordinator's decision (approve, query, reject), a payment batch made of
the approved claims and marked paid, and the organisation's settings.

Every step checks who may take it and the claim's state under a row lock,
writes the claim and an audit entry in one transaction, and announces
itself with a signal (``volunteers.expenses.signals``) so the message to the
volunteer, written by the layer above, commits with it or not at all. Bad
input raises a ValidationError with field errors and writes nothing (a
receipt photo written before a refusal is removed). Audit summaries name
records and amounts, never people."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.models import STAFF_ROLES, User, active_membership
from volunteers.expenses import receipts, signals, targets
from volunteers.expenses.models import (
    DEFAULT_CATEGORIES,
    TO_DECIDE,
    ClaimStatus,
    ExpenseCategory,
    ExpenseClaim,
    ExpenseSettings,
    Kind,
    PaymentBatch,
    pounds,
)
from volunteers.matching.models import ContactLog
from volunteers.models import VolunteerProfile

MAX_MILES = Decimal("1000")
#: One cost above this is a typing slip, or a purchase to agree beforehand.
MAX_AMOUNT_PENCE = 100_000
NOTE_MAX_LENGTH = 500


# --- Settings -------------------------------------------------------------------


def expense_settings_create(*, organisation_id: int) -> ExpenseSettings:
    """A new organisation's expense settings and categories, with the defaults."""
    config, created = ExpenseSettings.objects.get_or_create(organisation_id=organisation_id)
    if created:
        ExpenseCategory.objects.bulk_create(
            [ExpenseCategory(organisation_id=organisation_id, name=name) for name in DEFAULT_CATEGORIES],
            ignore_conflicts=True,
        )
    return config


def settings_for(organisation_id: int) -> ExpenseSettings:
    return ExpenseSettings.objects.get(organisation_id=organisation_id)


def expense_settings_save(
    *, actor: User, config: ExpenseSettings, pence_per_mile: int, receipt_needed_above_pence: int, categories: list[str]
) -> ExpenseSettings:
    """The rate, the receipt threshold and the categories in use: a name no
    longer listed is retired (claims made under it keep it), a new one added,
    a retired one listed again comes back."""
    errors: dict[str, str] = {}
    if not 1 <= pence_per_mile <= 200:
        errors["pence_per_mile"] = "The rate per mile is between 1p and 200p."
    names = list(dict.fromkeys(name.strip() for name in categories if name.strip()))
    if not names:
        errors["categories"] = "Keep at least one category of out-of-pocket cost."
    elif any(len(name) > 60 for name in names):
        errors["categories"] = "Keep each category to 60 characters."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        config = ExpenseSettings.objects.select_for_update().get(pk=config.pk)
        config.pence_per_mile = pence_per_mile
        config.receipt_needed_above_pence = receipt_needed_above_pence
        config.save()
        existing = {
            category.name: category
            for category in ExpenseCategory.objects.filter(organisation_id=config.organisation_id)
        }
        for name, category in existing.items():
            if category.is_active != (name in names):
                category.is_active = name in names
                category.save(update_fields=["is_active"])
        ExpenseCategory.objects.bulk_create(
            [
                ExpenseCategory(organisation_id=config.organisation_id, name=name)
                for name in names
                if name not in existing
            ]
        )
        audit_log(
            action=AuditAction.CHANGE,
            actor=actor,
            obj=config,
            summary=f"Expense settings: {pence_per_mile}p a mile, receipts over {pounds(receipt_needed_above_pence)}, "
            f"{len(names)} categories",
        )
    return config


# --- Claiming -----------------------------------------------------------------------


def claimant_profile(actor: User) -> VolunteerProfile | None:
    """The actor's volunteer or PSO profile in the organisation she works in."""
    membership = active_membership(actor)
    if membership is None:
        return None
    return VolunteerProfile.objects.filter(organisation_id=membership.organisation_id, user_id=actor.pk).first()


def own_contact_logs(actor: User):
    """The contact logs she may claim against: of her own families, in the organisation she works in."""
    return (
        ContactLog.objects.visible_to(actor)
        .filter(match__volunteer__user_id=actor.pk)
        .select_related("match__parent", "match__referral")
    )


def _amount(data: dict[str, Any], config: ExpenseSettings, errors: dict[str, str]) -> tuple[int, Decimal | None]:
    """The claim's amount in pence (and its miles for mileage), from the data."""
    if data.get("kind") == Kind.MILEAGE:
        miles = data.get("miles")
        if miles is None:
            errors["miles"] = "Say how many miles you drove."
            return 0, None
        miles = Decimal(miles)
        if not Decimal("0.1") <= miles <= MAX_MILES:
            errors["miles"] = f"Give the miles between 0.1 and {MAX_MILES:,}."
            return 0, None
        return int((miles * config.pence_per_mile).quantize(Decimal("1"), rounding=ROUND_HALF_UP)), miles
    amount = data.get("amount")
    if amount is None:
        errors["amount"] = "Say how much it cost."
        return 0, None
    pence = int((Decimal(amount) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    if not 1 <= pence <= MAX_AMOUNT_PENCE:
        errors["amount"] = f"Give the cost between £0.01 and {pounds(MAX_AMOUNT_PENCE)}."
    return pence, None


def _checked(
    *, actor: User, data: dict[str, Any], upload, upload_size: int | None, keeps_receipt: bool
) -> tuple[dict[str, Any], receipts.Receipt | None]:
    """The claim's fields from ``data``, or a ValidationError with every field's problem."""
    errors: dict[str, str] = {}
    profile = claimant_profile(actor)
    if profile is None:
        raise ValidationError({"contact_log": "Only volunteers and PSOs claim expenses, for their own contacts."})
    config = settings_for(profile.organisation_id)
    kind = data.get("kind")
    if kind not in Kind.values:
        errors["kind"] = "Say whether you are claiming mileage or a cost."
    log, chosen, found = _claimed_for(actor, data, errors)
    pence, miles = _amount(data, config, errors)
    fields: dict[str, Any] = {
        "organisation_id": profile.organisation_id,
        "volunteer": profile,
        "kind": kind,
        "contact_log": log,
        "service_id": log.match.referral.service_id if log else (found.service_id if found else None),
        "amount_pence": pence,
        "note": (data.get("note") or "").strip(),
        "miles": None,
        "pence_per_mile": None,
        "from_place": "",
        "to_place": "",
        "category": None,
    }
    if len(fields["note"]) > 300:
        errors["note"] = "Keep the note to 300 characters."
    spent_on = data.get("spent_on") or (log.contact_date if log else (found.day if found else None))
    if spent_on is not None and spent_on > timezone.localdate():
        errors["spent_on"] = "The date cannot be in the future."
    fields["spent_on"] = spent_on
    receipt = None
    if kind == Kind.MILEAGE:
        fields.update(
            miles=miles,
            pence_per_mile=config.pence_per_mile,
            from_place=(data.get("from_place") or "").strip()[:100],
            to_place=(data.get("to_place") or "").strip()[:100],
        )
    elif kind == Kind.OUT_OF_POCKET:
        category = data.get("category")
        category_id = category.pk if isinstance(category, ExpenseCategory) else category
        fields["category"] = (
            ExpenseCategory.objects.filter(
                organisation_id=profile.organisation_id, is_active=True, pk=category_id
            ).first()
            if category_id
            else None
        )
        if fields["category"] is None:
            errors["category"] = "Choose what the cost was for."
        if upload is not None:
            receipt, problem = receipts.receipt_errors(upload, size=upload_size or 0)
            if problem:
                errors["receipt"] = problem
        elif not keeps_receipt and "amount" not in errors and config.needs_receipt(pence):
            errors["receipt"] = (
                "Add a photo of the receipt."
                if config.receipt_needed_above_pence == 0
                else "Add a photo of the receipt: it is needed for costs over "
                f"{pounds(config.receipt_needed_above_pence)}."
            )
    if errors:
        raise ValidationError(errors)
    return fields, chosen, receipt


def _claimed_for(actor: User, data: dict[str, Any], errors: dict[str, str]):
    """What the claim is for: exactly one of her own contact logs
    (``contact_log``) or of a plug-in's targets (``group_session``...).
    Returns the log, the plug-in's ``(field, id)`` and what it found."""
    plugged = {name: data.get(name) for name in targets.targets() if data.get(name) not in (None, "")}
    log = data.get("contact_log")
    log_id = log.pk if isinstance(log, ContactLog) else log
    if bool(log_id) + len(plugged) != 1:
        kinds = " or ".join(["your contacts", *(f"your {t.label.lower()}" for t in targets.targets().values())])
        errors["contact_log"] = (
            f"Choose only one thing the claim is for: one of {kinds}."
            if plugged
            else f"Choose what the claim is for: one of {kinds}."
        )
        return None, None, None
    if log_id:
        log = own_contact_logs(actor).filter(pk=log_id).first()
        if log is None:
            errors["contact_log"] = "Choose one of your own contacts with a family."
        return log, None, None
    name, target_id = next(iter(plugged.items()))
    target = targets.targets()[name]
    found = target.find(actor, target_id) if isinstance(target_id, int) else None
    if found is None:
        errors[name] = target.refused
        return None, None, None
    return None, (name, target_id), found


def _attach(claim: ExpenseClaim, chosen: tuple[str, int] | None, actor: User) -> None:
    """Links the claim to the plug-in target chosen and unlinks it from any
    other (a claim changed from a session to a contact); in the claim's transaction."""
    for name, target in targets.targets().items():
        target.attach(claim, chosen[1] if chosen and chosen[0] == name else None, actor)


def claim_submit(*, actor: User, data: dict[str, Any], upload=None, upload_size: int | None = None) -> ExpenseClaim:
    """A claim for mileage (``miles``, optional ``from_place``/``to_place``;
    the amount is the miles at the organisation's rate now, kept on the
    claim) or an out-of-pocket cost (``amount`` in pounds, ``category``, a
    receipt photo ``upload``), against one of her own contact logs
    (``contact_log``) or one thing a plug-in offers (``targets``), never both."""
    fields, chosen, receipt = _checked(
        actor=actor, data=data, upload=upload, upload_size=upload_size, keeps_receipt=False
    )
    stored = receipts.receipt_store(receipt) if receipt else ""
    try:
        with transaction.atomic():
            claim = ExpenseClaim.objects.create(
                **fields,
                receipt_file=stored,
                receipt_content_type=receipt.content_type if receipt else "",
            )
            _attach(claim, chosen, actor)
            audit_log(
                action=AuditAction.CREATE,
                actor=actor,
                obj=claim,
                summary=f"Expense claim #{claim.pk} submitted: "
                f"{claim.get_kind_display().lower()}, {claim.amount_words}",
            )
    except BaseException:
        receipts.receipt_remove(stored)
        raise
    return claim


def claim_resubmit(
    *, actor: User, claim: ExpenseClaim, data: dict[str, Any], upload=None, upload_size: int | None = None
) -> ExpenseClaim:
    """The claimant changes a claim not yet decided (or queried) and sends it
    again: it is Submitted again and waits for a decision. A new receipt
    photo replaces the old one; without one, the old one stays."""
    keeps_receipt = bool(claim.receipt_file)
    fields, chosen, receipt = _checked(
        actor=actor, data=data, upload=upload, upload_size=upload_size, keeps_receipt=keeps_receipt
    )
    stored = receipts.receipt_store(receipt) if receipt else ""
    try:
        with transaction.atomic():
            locked = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
            if locked.volunteer.user_id != actor.pk:
                raise ValidationError({"contact_log": "Only the person who made a claim can change it."})
            if not locked.is_editable:
                raise ValidationError(
                    {
                        "contact_log": f"This claim is {locked.get_status_display().lower()}: "
                        "it can no longer be changed."
                    }
                )
            old_receipt = locked.receipt_file
            for name, value in fields.items():
                setattr(locked, name, value)
            if fields["kind"] == Kind.MILEAGE:
                locked.receipt_file, locked.receipt_content_type = "", ""
            elif receipt is not None:
                locked.receipt_file, locked.receipt_content_type = stored, receipt.content_type
            locked.status = ClaimStatus.SUBMITTED
            locked.submitted_at = timezone.now()
            locked.save()
            _attach(locked, chosen, actor)
            audit_log(
                action=AuditAction.CHANGE,
                actor=actor,
                obj=locked,
                summary=f"Expense claim #{locked.pk} changed and sent again: {locked.amount_words}",
            )
            if old_receipt and old_receipt != locked.receipt_file:
                transaction.on_commit(lambda: receipts.receipt_remove(old_receipt))
    except BaseException:
        receipts.receipt_remove(stored)
        raise
    return locked


# --- Deciding -----------------------------------------------------------------------


def can_decide(user: User, claim: ExpenseClaim) -> bool:
    """Coordinators and managers of the claim's organisation, on anyone's claim but their own."""
    membership = active_membership(user)
    return (
        membership is not None
        and membership.organisation_id == claim.organisation_id
        and membership.role in STAFF_ROLES
        and claim.volunteer.user_id != user.pk
    )


def _decide(*, actor: User, claim: ExpenseClaim, status: str, note: str, note_field: str) -> ExpenseClaim:
    with transaction.atomic():
        locked = ExpenseClaim.objects.select_for_update().select_related("volunteer").get(pk=claim.pk)
        if not can_decide(actor, locked):
            if locked.volunteer.user_id == actor.pk:
                raise ValidationError(
                    {note_field: "You cannot decide your own claim: another coordinator or a manager will."}
                )
            raise ValidationError({note_field: "Only a coordinator or a manager can decide a claim."})
        if locked.status not in TO_DECIDE:
            raise ValidationError(
                {note_field: f"This claim is already {locked.get_status_display().lower()}: nothing was changed."}
            )
        locked.status = status
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_note = note
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit_log(
            action=AuditAction.TRANSITION,
            actor=actor,
            obj=locked,
            summary=f"Expense claim #{locked.pk} {locked.get_status_display().lower()}: {locked.amount_words}",
        )
        signals.claim_decided.send(sender=ExpenseClaim, claim_id=locked.pk)
    return locked


def _required_note(text: str | None, *, field: str, missing: str) -> str:
    note = (text or "").strip()
    if not note:
        raise ValidationError({field: missing})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({field: f"Keep it to {NOTE_MAX_LENGTH} characters."})
    return note


def claim_approve(*, actor: User, claim: ExpenseClaim) -> ExpenseClaim:
    return _decide(actor=actor, claim=claim, status=ClaimStatus.APPROVED, note="", note_field="claim")


def claim_query(*, actor: User, claim: ExpenseClaim, question: str) -> ExpenseClaim:
    """Asks the claimant a question; she changes the claim and sends it again."""
    question = _required_note(question, field="question", missing="Write the question the volunteer should answer.")
    return _decide(actor=actor, claim=claim, status=ClaimStatus.QUERIED, note=question, note_field="question")


def claim_reject(*, actor: User, claim: ExpenseClaim, reason: str) -> ExpenseClaim:
    reason = _required_note(reason, field="reason", missing="Say why the claim is rejected.")
    return _decide(actor=actor, claim=claim, status=ClaimStatus.REJECTED, note=reason, note_field="reason")


# --- Paying -------------------------------------------------------------------------


def _require_staff(actor: User, organisation_id: int | None = None, field: str = "batch") -> int:
    membership = active_membership(actor)
    if membership is None or membership.role not in STAFF_ROLES:
        raise ValidationError({field: "Only a coordinator or a manager can pay claims."})
    if organisation_id is not None and membership.organisation_id != organisation_id:
        raise ValidationError({field: "This batch is not in your organisation."})
    return membership.organisation_id


def batch_create(*, actor: User) -> PaymentBatch:
    """A batch of every approved claim of the organisation not yet in one.
    The claims are locked in primary-key order, so two coordinators making a
    batch at once never put one claim in both."""
    organisation_id = _require_staff(actor)
    with transaction.atomic():
        claims = list(
            ExpenseClaim.objects.select_for_update()
            .filter(organisation_id=organisation_id, status=ClaimStatus.APPROVED, batch__isnull=True)
            .order_by("pk")
        )
        if not claims:
            raise ValidationError({"batch": "There are no approved claims waiting to be paid."})
        batch = PaymentBatch.objects.create(
            organisation_id=organisation_id,
            created_by=actor,
            total_pence=sum(claim.amount_pence for claim in claims),
            claim_count=len(claims),
        )
        ExpenseClaim.objects.filter(pk__in=[claim.pk for claim in claims]).update(batch=batch)
        audit_log(
            action=AuditAction.CREATE,
            actor=actor,
            obj=batch,
            summary=f"Payment batch #{batch.pk} made: {batch.claim_count} claims, {batch.total_words}",
        )
    return batch


def batch_mark_paid(*, actor: User, batch: PaymentBatch, paid_on: dt.date | None = None) -> PaymentBatch:
    """The money went on ``paid_on`` (today unless given): every claim in the
    batch is Paid, once. A batch already paid is refused and nothing changes."""
    _require_staff(actor, batch.organisation_id)
    paid_on = paid_on or timezone.localdate()
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": "The payment date cannot be in the future."})
    with transaction.atomic():
        locked = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.paid_on is not None:
            raise ValidationError({"paid_on": "This batch is already marked paid: nothing was changed."})
        if paid_on < timezone.localtime(locked.created_at).date():
            raise ValidationError({"paid_on": "The payment date cannot be before the batch was made."})
        locked.paid_on = paid_on
        locked.paid_by = actor
        locked.save(update_fields=["paid_on", "paid_by"])
        ExpenseClaim.objects.filter(batch=locked, status=ClaimStatus.APPROVED).update(
            status=ClaimStatus.PAID, paid_on=paid_on
        )
        audit_log(
            action=AuditAction.TRANSITION,
            actor=actor,
            obj=locked,
            summary=f"Payment batch #{locked.pk} marked paid: {locked.claim_count} claims, {locked.total_words}",
        )
        signals.batch_paid.send(sender=PaymentBatch, batch_id=locked.pk)
    return locked
