"""Writes of the referrals app: typed, keyword-only, one transaction each.

A broken rule raises Django's ``ValidationError`` with field errors; the
forms show them, the API turns them into a 400, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone

from operations.core import gdpr
from operations.core.audit import AuditAction, audit_log, audit_log_many
from operations.core.dates import short_date
from operations.core.models import CouncilArea, Organisation, Service, User
from referrals import eligibility, signals
from referrals.checklist import safe_contact_recorded
from referrals.models import (
    Child,
    Parent,
    ProcessingRestriction,
    Referral,
    ReferralTransition,
    parent_search_text,
)
from referrals.validators import normalise_postcode, normalise_uk_phone, pregnancy_date_errors
from referrals.workflow import OPEN_STATUSES, Status, transition_error

#: The parent's details taken at intake (the intake form asks for these).
PARENT_DETAIL_FIELDS = (
    "role",
    "first_name",
    "last_name",
    "preferred_name",
    "pronouns",
    "date_of_birth",
    "phone",
    "email",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "council_area",
    "language",
    "interpreter_needed",
)
#: Everything a coordinator may change on a parent's record (form and API).
PARENT_FIELDS = (
    *PARENT_DETAIL_FIELDS,
    "needs_agreed",
    "refugee_or_asylum_seeking",
    "substance_use",
    "ethnicity",
    "lawful_basis_article6",
    "lawful_basis_article9",
    "contact_consent_given_on",
    "evaluation_consent_asked_on",
    "evaluation_consent_given_on",
    "evaluation_consent_withdrawn_on",
    "safeguarding_hold",
    "safeguarding_hold_reason",
)
CONTACT_SAFETY_FIELDS = (
    "safe_sms",
    "safe_email",
    "safe_phone",
    "safe_voicemail",
    "contact_through_referrer",
    "may_name_service",
    "best_contact_times",
)
SAFE_CHANNEL_FIELDS = ("safe_sms", "safe_email", "safe_phone", "safe_voicemail")
CHILD_FIELDS = (
    "name",
    "due_date",
    "birth_date",
    "gestation_weeks_at_birth",
    "neonatal_care",
    "loss_kind",
    "loss_date",
)
REFERRAL_FIELDS = (
    "source",
    "channel",
    "referrer",
    "referrer_name",
    "referrer_contact",
    "referrer_updates_consent",
    "reason",
    "urgency",
    "received_on",
)


class DuplicateReferral(ValidationError):
    """The parent already has an open referral for this service."""

    def __init__(self, existing: Referral) -> None:
        self.existing = existing
        url = reverse("referrals:referral-detail", args=[existing.pk])
        super().__init__(
            {
                "service": ValidationError(
                    f"This parent already has an open referral for this service (referral #{existing.pk}, "
                    f"{existing.get_status_display().lower()}): {url}",
                    code="duplicate",
                )
            }
        )


# --- eligibility ---------------------------------------------------------


def policy_of(service: Service) -> eligibility.Policy:
    return eligibility.Policy(
        start_rule=service.start_rule,
        start_gestation_weeks=service.start_gestation_weeks,
        end_child_age_months=service.end_child_age_months,
        end_support_months=service.end_support_months,
        bereavement_months=service.bereavement_months,
    )


def facts_of(referral: Referral, children: list[Child]) -> eligibility.Facts:
    return eligibility.Facts(
        received_on=referral.received_on,
        support_started_on=referral.support_started_on,
        children=tuple(
            eligibility.ChildFacts(due_date=c.due_date, birth_date=c.birth_date, loss_date=c.loss_date)
            for c in children
        ),
    )


def _apply_eligibility(referral: Referral, children: list[Child]) -> bool:
    """Sets the computed fields on ``referral``; True when they changed."""
    result = eligibility.compute(policy_of(referral.service), facts_of(referral, children))
    new = (result.start, result.end, result.estimated, result.reason[:300])
    old = (
        referral.eligibility_start,
        referral.eligibility_end,
        referral.eligibility_estimated,
        referral.eligibility_reason,
    )
    (
        referral.eligibility_start,
        referral.eligibility_end,
        referral.eligibility_estimated,
        referral.eligibility_reason,
    ) = new
    return new != old


_ELIGIBILITY_FIELDS = ["eligibility_start", "eligibility_end", "eligibility_estimated", "eligibility_reason"]


@transaction.atomic
def parent_recompute_eligibility(*, parent: Parent) -> int:
    """Recomputes every open referral of ``parent`` after its family facts changed."""
    children = list(Child.objects.filter(parent=parent))
    changed = 0
    for referral in Referral.objects.filter(parent=parent, status__in=OPEN_STATUSES).select_related("service"):
        if _apply_eligibility(referral, children):
            referral.save(update_fields=[*_ELIGIBILITY_FIELDS, "updated_at"])
            changed += 1
    return changed


@transaction.atomic
def service_recompute_eligibility(*, service_id: int) -> int:
    """Recomputes the open referrals of a service after its policy changed."""
    referrals = list(
        Referral.objects.filter(service_id=service_id, status__in=OPEN_STATUSES)
        .select_related("service")
        .prefetch_related("parent__children")
    )
    changed = [r for r in referrals if _apply_eligibility(r, list(r.parent.children.all()))]
    Referral.objects.bulk_update(changed, _ELIGIBILITY_FIELDS)
    return len(changed)


# --- parents and children ------------------------------------------------


NEEDS_NOT_AGREED = "Needs can be recorded only when the parent agrees."


def _clean_parent_data(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = {key: value for key, value in data.items() if key in PARENT_FIELDS}
    errors: dict[str, Any] = {}
    for field, normalise in (("postcode", normalise_postcode), ("phone", normalise_uk_phone)):
        if field in cleaned:
            try:
                cleaned[field] = normalise(cleaned[field] or "")
            except ValidationError as exc:
                errors[field] = exc.messages
    if not cleaned.get("needs_agreed", True) and (
        cleaned.get("refugee_or_asylum_seeking") or cleaned.get("substance_use") or cleaned.get("ethnicity")
    ):
        errors["needs_agreed"] = [NEEDS_NOT_AGREED]
    born = cleaned.get("date_of_birth")
    if born is not None and born > timezone.localdate():
        errors["date_of_birth"] = ["The date of birth cannot be in the future."]
    given, withdrawn = cleaned.get("evaluation_consent_given_on"), cleaned.get("evaluation_consent_withdrawn_on")
    if withdrawn is not None and (given is None or withdrawn < given):
        errors["evaluation_consent_withdrawn_on"] = ["Consent can only be withdrawn after it was given."]
    for field in ("contact_consent_given_on", "evaluation_consent_asked_on"):
        day = cleaned.get(field)
        if day is not None and day > timezone.localdate():
            errors[field] = ["The date cannot be in the future."]
    if given is not None and cleaned.get("evaluation_consent_asked_on", given) is None:
        # Consent given is an answer: the parent was asked that day.
        cleaned["evaluation_consent_asked_on"] = given
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_child_data(data: dict[str, Any], *, instance: Child | None = None) -> dict[str, Any]:
    cleaned = {key: value for key, value in data.items() if key in CHILD_FIELDS}
    merged = {field: getattr(instance, field, None) for field in CHILD_FIELDS} | cleaned
    errors = pregnancy_date_errors(
        due_date=merged.get("due_date"),
        birth_date=merged.get("birth_date"),
        loss_date=merged.get("loss_date"),
        today=timezone.localdate(),
    )
    if bool(merged.get("loss_kind")) != bool(merged.get("loss_date")):
        errors.setdefault("loss_date", "Record both the kind of loss and its date.")
    weeks = merged.get("gestation_weeks_at_birth")
    if weeks is not None and not 20 <= weeks <= 45:
        errors["gestation_weeks_at_birth"] = "Gestation at birth is between 20 and 45 weeks."
    if errors:
        raise ValidationError(errors)
    cleaned.setdefault("loss_kind", merged.get("loss_kind") or "")
    return cleaned


def _check_same_organisation(parent: Parent, organisation: Organisation) -> None:
    if parent.organisation_id != organisation.pk:
        raise ValidationError({"parent": "Choose a parent of your organisation."})


def parent_check(
    *, organisation: Organisation, data: dict[str, Any], safety_data: dict[str, Any] | None = None
) -> None:
    """Refuses, with field errors, a parent ``parent_create`` would refuse;
    writes nothing and asks the database nothing (an import's dry run checks
    every row with it: see ``_valid_new_parent``)."""
    _valid_new_parent(organisation, data, safety_data)


def _valid_new_parent(organisation: Organisation, data: dict[str, Any], safety_data: dict[str, Any] | None) -> Parent:
    """The new parent ``parent_create`` would save (unsaved), or its refusal,
    without a query: an import checks thousands of rows with it.

    Two of ``full_clean``'s checks ask the database for each row, and are
    left out. Its CheckConstraints (one query per constraint): the rules
    before it (``_clean_parent_data``, ``_apply_contact_safety`` and the
    needs rule below) refuse every value that would break them, which
    tests/referrals/test_parents_many.py shows value by value against
    Django's own ``validate_constraints``, and the database enforces them
    when the row is saved. The council area's existence: it is a CouncilArea
    the caller read from the database, and ``parents_create_many`` reads its
    people's areas again in one query before writing."""
    parent = Parent(organisation=organisation, **_clean_parent_data(data))
    safety = {k: v for k, v in (safety_data or {}).items() if k in CONTACT_SAFETY_FIELDS}
    if contact_safety_answered(safety):
        _apply_contact_safety(parent, safety)
    errors: dict[str, list[str]] = {}
    try:
        # No unique check either: a new parent has no id, Parent's only unique field.
        parent.full_clean(exclude=["organisation", "council_area"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors = error.message_dict
    if not parent.needs_agreed and (parent.refugee_or_asylum_seeking or parent.substance_use or parent.ethnicity):
        # _clean_parent_data refuses it when the data says "not agreed"; a new
        # parent saying nothing has not agreed either (the field's default).
        errors.setdefault("needs_agreed", []).append(NEEDS_NOT_AGREED)
    if errors:
        raise ValidationError(errors)
    return parent


@transaction.atomic
def parent_create(
    *, actor: User, organisation: Organisation, data: dict[str, Any], safety_data: dict[str, Any] | None = None
) -> Parent:
    """Adds a parent with no referral yet: a family brought over from another
    system (``operations.imports``). Intake adds parents through
    ``referral_create``, which first looks for the same person on file."""
    safety = {k: v for k, v in (safety_data or {}).items() if k in CONTACT_SAFETY_FIELDS}
    return _new_parent(actor=actor, organisation=organisation, cleaned=_clean_parent_data(data), safety=safety)


@dataclass(frozen=True)
class NewParent:
    """One family for :func:`parents_create_many` (an import's row): what
    ``parent_create`` and ``child_save`` are given for them."""

    data: dict[str, Any]
    safety_data: dict[str, Any] | None = None
    children: Sequence[dict[str, Any]] = ()


@transaction.atomic
def parents_create_many(*, actor: User | None, organisation: Organisation, people: Sequence[NewParent]) -> list[Parent]:
    """Many new families at once (an import): the same rules and the same
    rows and audit entries as ``parent_create`` followed by ``child_save``
    for each child, written with a fixed number of queries. Any refusal
    refuses them all (a ValidationError naming the person's position) and
    writes nothing. A new parent has no referral yet, so ``child_save``'s
    recomputing of eligibility has nothing to do here."""
    if not people:
        return []
    parents: list[Parent] = []
    children: list[list[Child]] = []
    for position, person in enumerate(people, start=1):
        try:
            parent = _valid_new_parent(organisation, person.data, person.safety_data)
            children.append([Child(parent=parent, **_clean_child_data(child)) for child in person.children])
        except ValidationError as error:
            raise ValidationError(_for_person(position, error)) from None
        parent.search_text = parent_search_text(parent)
        parents.append(parent)
    _check_areas_exist(parents)
    Parent.objects.bulk_create(parents)
    Child.objects.bulk_create([child for family in children for child in family])
    entries: list[tuple] = []
    for parent, family in zip(parents, children, strict=True):
        entries.append((AuditAction.CREATE, parent, "Parent added"))
        entries += [(AuditAction.CREATE, child, _child_summary(child, created=True)) for child in family]
    audit_log_many(actor=actor, organisation=organisation, entries=entries)
    return parents


def _for_person(position: int, error: ValidationError) -> dict[str, list[str]]:
    """A refusal of one of many people: each field named with their position."""
    if hasattr(error, "error_dict"):
        return {f"person {position}: {field}": messages for field, messages in error.message_dict.items()}
    return {f"person {position}": error.messages}


def _check_areas_exist(parents: list[Parent]) -> None:
    """Every council area named is on file (one query: ``full_clean`` would ask once per parent)."""
    named = {parent.council_area_id for parent in parents if parent.council_area_id is not None}
    found = set(CouncilArea.objects.filter(pk__in=named).values_list("pk", flat=True))
    for position, parent in enumerate(parents, start=1):
        if parent.council_area_id is not None and parent.council_area_id not in found:
            raise ValidationError({f"person {position}: council_area": "Choose a council area from the list."})


def _new_parent(*, actor: User, organisation: Organisation, cleaned: dict[str, Any], safety: dict[str, Any]) -> Parent:
    parent = Parent(organisation=organisation, **cleaned)
    if contact_safety_answered(safety):
        _apply_contact_safety(parent, safety)
    parent.full_clean(exclude=["organisation"])
    parent.search_text = parent_search_text(parent)
    parent.save()
    audit_log(action=AuditAction.CREATE, actor=actor, obj=parent, summary="Parent added")
    return parent


@transaction.atomic
def parent_update(*, actor: User, parent: Parent, data: dict[str, Any]) -> Parent:
    cleaned = _clean_parent_data(data)
    for field, value in cleaned.items():
        setattr(parent, field, value)
    parent.full_clean(exclude=["organisation"])
    parent.search_text = parent_search_text(parent)
    _save_edited(parent)
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=parent, summary="Parent details changed")
    signals.parent_contact_changed.send(sender=Parent, parent_id=parent.pk)
    return parent


def _save_edited(parent: Parent) -> None:
    """Saves an edit of her record without its stop of texts: that is
    written only by her STOP and START, or a coordinator's record of new
    consent (operations.notifications.optout), and the copy a form edited
    may have been read before she texted STOP."""
    kept = {"id", "sms_stopped_at"}
    parent.save(update_fields=[field.name for field in Parent._meta.concrete_fields if field.name not in kept])


def _apply_contact_safety(parent: Parent, data: dict[str, Any]) -> None:
    """Writes a safe-contact answer onto ``parent`` (unsaved), or refuses it.
    An answer with no safe channel is the answer "none is safe: contact
    through the referrer", whether or not that box was ticked."""
    for field in CONTACT_SAFETY_FIELDS:
        if field in data:
            setattr(parent, field, data[field])
    any_channel = any(getattr(parent, field) for field in SAFE_CHANNEL_FIELDS)
    if any_channel and "contact_through_referrer" in data and data["contact_through_referrer"]:
        raise ValidationError(
            {"contact_through_referrer": "Tick the channels that are safe, or “None is safe”, not both."}
        )
    parent.contact_through_referrer = not any_channel
    parent.contact_safety_recorded_at = timezone.now()


def contact_safety_answered(data: dict[str, Any]) -> bool:
    """Whether an intake's safe-contact questions were answered at all (a
    channel, or "none is safe"); unanswered, nothing is recorded."""
    return any(data.get(field) for field in (*SAFE_CHANNEL_FIELDS, "contact_through_referrer"))


@transaction.atomic
def parent_record_contact_safety(*, actor: User, parent: Parent, data: dict[str, Any]) -> Parent:
    _apply_contact_safety(parent, data)
    _save_edited(parent)
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=parent, summary="Contact safety recorded")
    signals.parent_contact_changed.send(sender=Parent, parent_id=parent.pk)
    return parent


@transaction.atomic
def child_save(*, actor: User, parent: Parent, data: dict[str, Any], child: Child | None = None) -> Child:
    """Adds a pregnancy or child, or records a birth or a loss; recomputes eligibility."""
    if child is None:
        child = Child(parent=parent)
    else:
        # A fresh, locked copy: a form may already have written its values onto ``child``.
        child = Child.objects.select_for_update().get(pk=child.pk)
        if child.parent_id != parent.pk:
            raise ValidationError({"parent": "This child belongs to another family."})
    cleaned = _clean_child_data(data, instance=child if child.pk else None)
    had_loss = child.loss_date is not None
    for field, value in cleaned.items():
        setattr(child, field, value)
    if child.loss_date is None:
        child.loss_reviewed_at, child.loss_reviewed_by = None, None
    created = child.pk is None
    child.save()
    audit_log(
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        actor=actor,
        obj=child,
        organisation=parent.organisation_id,
        summary=_child_summary(child, created=created, had_loss=had_loss),
    )
    parent_recompute_eligibility(parent=parent)
    return child


def _child_summary(child: Child, *, created: bool, had_loss: bool = False) -> str:
    """The audit summary of a pregnancy or child saved."""
    if child.loss_date is not None and not had_loss:
        # A loss opens a coordinator review and never closes anything by itself.
        return "Baby loss recorded; coordinator review opened"
    return "Pregnancy or child added" if created else "Pregnancy or child changed"


@transaction.atomic
def child_review_loss(*, actor: User, child: Child) -> Child:
    if child.loss_date is None:
        raise ValidationError({"loss_date": "No loss is recorded for this child."})
    child.loss_reviewed_at = timezone.now()
    child.loss_reviewed_by = actor
    child.save(update_fields=["loss_reviewed_at", "loss_reviewed_by"])
    audit_log(
        action=AuditAction.CHANGE,
        actor=actor,
        obj=child,
        organisation=child.parent.organisation_id,
        summary="Baby loss review completed",
    )
    return child


# --- referrals -----------------------------------------------------------


def _check_service(service: Service, organisation: Organisation) -> None:
    if service.organisation_id != organisation.pk:
        raise ValidationError({"service": "Choose a service of your organisation."})
    if not service.is_active:
        raise ValidationError({"service": "This service has ended and takes no new referrals."})


def _clean_referral_data(data: dict[str, Any], *, organisation: Organisation) -> dict[str, Any]:
    cleaned = {key: value for key, value in data.items() if key in REFERRAL_FIELDS}
    referrer = cleaned.get("referrer")
    if referrer is not None and referrer.organisation_id != organisation.pk:
        # Only reachable by a forged id: the pickers offer the organisation's own directory.
        raise ValidationError({"referrer": "Choose a referrer from your organisation's directory."})
    received = cleaned.get("received_on")
    if received is not None and received > timezone.localdate():
        raise ValidationError({"received_on": "The date received cannot be in the future."})
    return cleaned


def _check_updates_consent(*, consent: bool, has_referrer: bool) -> None:
    """Updates go to a referrer of the directory: agreeing to them needs one."""
    if consent and not has_referrer:
        raise ValidationError(
            {
                "referrer_updates_consent": "Choose or add the referrer first: updates go to a referrer of the "
                "directory, who needs to be recorded on the referral."
            }
        )


def _checked_referral_data(service: Service, organisation: Organisation, data: dict[str, Any]) -> dict[str, Any]:
    """A new referral's own details, cleaned, or the refusal."""
    _check_service(service, organisation)
    cleaned = _clean_referral_data(data, organisation=organisation)
    _check_updates_consent(
        consent=cleaned.get("referrer_updates_consent", False), has_referrer=cleaned.get("referrer") is not None
    )
    return cleaned


def _override_reason(reason: str, *, record_not_eligible: bool) -> str:
    reason = (reason or "").strip()
    if record_not_eligible and reason:
        raise ValidationError(
            {"eligibility_override_reason": "Either record it as not eligible, or override with a reason: not both."}
        )
    return reason


def find_existing_parent(*, organisation: Organisation, data: dict[str, Any]) -> Parent | None:
    """The same person already on file: same names and date of birth in the organisation."""
    key = _person_key(data)
    if key is None:
        return None
    first, last, born = key
    return (
        Parent.objects.filter(
            organisation=organisation, first_name__iexact=first, last_name__iexact=last, date_of_birth=born
        )
        .order_by("pk")
        .first()
    )


def find_existing_parents(*, organisation: Organisation, people: Sequence[dict[str, Any]]) -> list[Parent | None]:
    """``find_existing_parent`` for each of many people (an import's chunk),
    in one query: the parents on file with those dates of birth and names
    upper-cased by the database, each matched to the person whose names
    they have. Python and the database upper-case plain ASCII letters alike
    (not always the others), so a person whose names have any other letter
    is looked up on their own, the database comparing as ``iexact`` does."""
    wanted = [_person_key(data) for data in people]
    batched = {key for key in wanted if key is not None and (key[0] + key[1]).isascii()}
    found: dict[tuple, Parent] = {}
    if batched:
        candidates = (
            Parent.objects.filter(organisation=organisation, date_of_birth__in={born for _, _, born in batched})
            .annotate(first_upper=Upper("first_name"), last_upper=Upper("last_name"))
            .filter(
                first_upper__in={first.upper() for first, _, _ in batched},
                last_upper__in={last.upper() for _, last, _ in batched},
            )
            .order_by("pk")
        )
        for parent in candidates:
            found.setdefault((parent.first_upper, parent.last_upper, parent.date_of_birth), parent)  # the first on file
    answers: list[Parent | None] = []
    for key, data in zip(wanted, people, strict=True):
        if key in batched:
            answers.append(found.get((key[0].upper(), key[1].upper(), key[2])))
        else:
            answers.append(None if key is None else find_existing_parent(organisation=organisation, data=data))
    return answers


def _person_key(data: dict[str, Any]) -> tuple[str, str, date] | None:
    """The names and date of birth a parent is found by, or None when one is missing."""
    if not data.get("date_of_birth") or not data.get("first_name") or not data.get("last_name"):
        return None
    return data["first_name"].strip(), data["last_name"].strip(), data["date_of_birth"]


def same_child_on_file(parent: Parent, child: dict[str, Any]) -> bool:
    """A known family referred again names the same pregnancy or child: don't record it twice."""
    if parent.pk is None:
        return False
    same = Q()
    if child.get("due_date"):
        same |= Q(due_date=child["due_date"])
    if child.get("birth_date"):
        same |= Q(birth_date=child["birth_date"])
    return bool(same) and Child.objects.filter(same, parent=parent).exists()


@transaction.atomic
def referral_create(
    *,
    actor: User,
    organisation: Organisation,
    service: Service,
    referral_data: dict[str, Any],
    parent: Parent | None = None,
    parent_data: dict[str, Any] | None = None,
    child_data: dict[str, Any] | None = None,
    safety_data: dict[str, Any] | None = None,
    eligibility_override_reason: str = "",
    record_not_eligible: bool = False,
) -> Referral:
    """Takes a referral in: the parent (existing, or new from ``parent_data``),
    an optional pregnancy or child, and the referral itself, all or nothing.

    A parent who already has an open referral for the same service is refused
    (``DuplicateReferral`` names it); a known parent referred to a new service
    gets the referral attached to their existing family (the consents and
    lawful basis asked at intake fill only what their record lacks).

    ``safety_data`` is the safe-contact answer asked at intake (channels, or
    none safe); left unanswered, nothing is recorded and the referral cannot
    join the waiting list until it is.

    A parent already past the service's end date is refused unless the
    coordinator records the referral as not eligible (``record_not_eligible``)
    or overrides with a reason (stored on the referral and audited)."""
    cleaned_referral = _checked_referral_data(service, organisation, referral_data)
    cleaned_child = _clean_child_data(child_data) if child_data else None
    override_reason = _override_reason(eligibility_override_reason, record_not_eligible=record_not_eligible)
    safety = {k: v for k, v in (safety_data or {}).items() if k in CONTACT_SAFETY_FIELDS}
    if parent is None:
        cleaned_parent = _clean_parent_data(parent_data or {})
        parent = find_existing_parent(organisation=organisation, data=cleaned_parent)
        if parent is None:
            parent = _new_parent(actor=actor, organisation=organisation, cleaned=cleaned_parent, safety=safety)
        else:
            _fill_intake_answers(actor=actor, parent=parent, cleaned=cleaned_parent, safety=safety)
    else:
        _check_same_organisation(parent, organisation)
        if contact_safety_answered(safety) and not safe_contact_recorded(parent):
            _fill_intake_answers(actor=actor, parent=parent, cleaned={}, safety=safety)
    check_not_restricted(parent)

    existing = (
        Referral.objects.select_for_update().filter(parent=parent, service=service, status__in=OPEN_STATUSES).first()
        if parent.pk
        else None
    )
    if existing is not None:
        raise DuplicateReferral(existing)

    if cleaned_child and not same_child_on_file(parent, cleaned_child):
        Child.objects.create(parent=parent, **cleaned_child)

    referral = Referral(organisation=organisation, parent=parent, service=service, created_by=actor, **cleaned_referral)
    referral.status_changed_at = timezone.now()
    _apply_eligibility(referral, list(Child.objects.filter(parent=parent)))
    past_end = referral.eligibility_end is not None and referral.eligibility_end < timezone.localdate()
    if past_end and not record_not_eligible:
        if not override_reason:
            raise ValidationError(
                {"eligibility_override_reason": ValidationError(past_end_message(referral), "past_end")}
            )
        referral.eligibility_override_reason = override_reason
        referral.eligibility_override_by = actor
        referral.eligibility_override_at = referral.status_changed_at
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError:
        # Two intakes raced past the check above; the constraint caught the second.
        raise DuplicateReferral(
            Referral.objects.filter(parent=parent, service=service, status__in=OPEN_STATUSES).first()
        ) from None
    ReferralTransition.objects.create(
        referral=referral, from_status="", to_status=Status.RECEIVED, by=actor, at=referral.status_changed_at
    )
    audit_log(action=AuditAction.CREATE, actor=actor, obj=referral, summary="Referral received")
    signals.referral_moved.send(sender=Referral, referral_id=referral.pk, from_status="", to_status=Status.RECEIVED)
    if past_end and record_not_eligible:
        referral = referral_transition(
            actor=actor,
            referral=referral,
            to_status=Status.NOT_ELIGIBLE,
            reason=_not_eligible_reason(referral),
        )
    elif past_end:
        audit_log(
            action=AuditAction.CHANGE,
            actor=actor,
            obj=referral,
            summary=OVERRIDE_SUMMARY,
        )
    return referral


@dataclass(frozen=True)
class NewReferral:
    """One referral of ``referrals_create_many``: what ``referral_create`` is
    given for a parent already on file, then the moves ``referral_transition``
    would make after it, each (to_status, reason)."""

    parent: Parent
    service: Service
    referral_data: dict[str, Any]
    moves: tuple[tuple[str, str], ...] = ()
    eligibility_override_reason: str = ""
    record_not_eligible: bool = False


@transaction.atomic
def referrals_create_many(
    *, actor: User, organisation: Organisation, referrals: Sequence[NewReferral]
) -> list[Referral]:
    """Many referrals at once (an import): the same rules, rows and audit
    entries as ``referral_create`` followed by ``referral_transition`` for
    each move, written with a fixed number of queries. Any refusal refuses
    them all (a ValidationError naming the referral's position) and writes
    nothing.

    ``referral_moved`` is not sent: the moves an import records happened in
    the old system, so they are history, not news. Its one receiver writes
    the referrer an update about each move, and a referrer must not get a
    message about every referral of a charity's past; the moves made here
    after the import tell them as usual."""
    if not referrals:
        return []
    today, now = timezone.localdate(), timezone.now()
    parent_ids = {new.parent.pk for new in referrals}
    children: dict[int, list[Child]] = {}
    for child in Child.objects.filter(parent_id__in=parent_ids).only(
        "parent_id", "due_date", "birth_date", "loss_date"
    ):
        children.setdefault(child.parent_id, []).append(child)
    open_now: dict[tuple[int, int], Referral | None] = {}
    for other in Referral.objects.select_for_update().filter(
        parent_id__in=parent_ids, service_id__in={new.service.pk for new in referrals}, status__in=OPEN_STATUSES
    ):
        open_now.setdefault((other.parent_id, other.service_id), other)
    created: list[tuple[Referral, list[tuple[str, str, str]], bool]] = []
    for position, new in enumerate(referrals):
        try:
            referral, moves, override = _new_referral(
                actor, organisation, new, children.get(new.parent.pk, []), today=today, now=now
            )
            key = (new.parent.pk, new.service.pk)
            if key in open_now:
                if open_now[key] is not None:
                    raise DuplicateReferral(open_now[key])
                raise ValidationError(
                    {"service": "An earlier referral of the list is open for this parent and service."}
                )
        except ValidationError as error:
            raise ValidationError(
                {f"referral {position + 1}: {field}": messages for field, messages in error.message_dict.items()}
            ) from None
        if referral.status in OPEN_STATUSES:
            open_now[key] = None
        created.append((referral, moves, override))
    Referral.objects.bulk_create([referral for referral, _, _ in created])
    transitions, audits = [], []
    for referral, moves, override in created:
        transitions.append(
            ReferralTransition(referral=referral, from_status="", to_status=Status.RECEIVED, by=actor, at=now)
        )
        audits.append((AuditAction.CREATE, referral, "Referral received"))
        if override:
            audits.append((AuditAction.CHANGE, referral, OVERRIDE_SUMMARY))
        for from_status, to_status, reason in moves:
            transitions.append(
                ReferralTransition(
                    referral=referral, from_status=from_status, to_status=to_status, by=actor, at=now, reason=reason
                )
            )
            audits.append((AuditAction.TRANSITION, referral, _moved_summary(from_status, to_status)))
    ReferralTransition.objects.bulk_create(transitions)
    audit_log_many(actor=actor, organisation=organisation, entries=audits)
    return [referral for referral, _, _ in created]


def _new_referral(
    actor: User, organisation: Organisation, new: NewReferral, children: list[Child], *, today: date, now: datetime
) -> tuple[Referral, list[tuple[str, str, str]], bool]:
    """The unsaved referral at the end of its moves, the moves checked as
    ``_move`` checks them (from, to, reason), and whether the past-end
    override was taken; or the refusal ``referral_create`` or ``_move`` makes."""
    cleaned = _checked_referral_data(new.service, organisation, new.referral_data)
    override_reason = _override_reason(new.eligibility_override_reason, record_not_eligible=new.record_not_eligible)
    _check_same_organisation(new.parent, organisation)
    check_not_restricted(new.parent)
    referral = Referral(organisation=organisation, parent=new.parent, service=new.service, created_by=actor, **cleaned)
    referral.status, referral.status_changed_at = Status.RECEIVED, now
    _apply_eligibility(referral, children)
    past_end = referral.eligibility_end is not None and referral.eligibility_end < today
    moves = list(new.moves)
    if past_end and new.record_not_eligible:
        moves.insert(0, (Status.NOT_ELIGIBLE, _not_eligible_reason(referral)))
    elif past_end:
        if not override_reason:
            raise ValidationError(
                {"eligibility_override_reason": ValidationError(past_end_message(referral), "past_end")}
            )
        referral.eligibility_override_reason = override_reason
        referral.eligibility_override_by = actor
        referral.eligibility_override_at = now
    made = []
    for to_status, reason in moves:
        _check_move(referral.status, to_status, reason, new.parent)
        made.append((referral.status, to_status, (reason or "").strip()))
        referral.status = to_status
    return referral, made, past_end and not new.record_not_eligible


#: The audit's words for a referral taken past the service's end date: the
#: reason may describe the person, so the audit names the decision only.
OVERRIDE_SUMMARY = "Accepted past the service's end date (eligibility override, reason recorded on the referral)"


def _not_eligible_reason(referral: Referral) -> str:
    return f"Past the service's end date at intake (ended {short_date(referral.eligibility_end)})."


def _moved_summary(from_status: str, to_status: str) -> str:
    return f"Referral moved from {Status(from_status).label} to {Status(to_status).label}"


def past_end_message(referral: Referral) -> str:
    return (
        f"This parent is past the service's end date (ended {short_date(referral.eligibility_end)}): not eligible. "
        "Record it as not eligible, or override with a reason."
    )


def _fill_intake_answers(*, actor: User, parent: Parent, cleaned: dict[str, Any], safety: dict[str, Any]) -> None:
    """A known parent referred again: what intake asked fills only the gaps
    of their record (consents, lawful basis, safe contact never recorded);
    nothing already recorded is overwritten by a referrer's answer."""
    fields = [
        "contact_consent_given_on",
        "evaluation_consent_asked_on",
        "evaluation_consent_given_on",
        "lawful_basis_article6",
        "lawful_basis_article9",
    ]
    changed = False
    evaluation_answered = bool(parent.evaluation_consent_asked_on or parent.evaluation_consent_given_on)
    for field in fields:
        if field.startswith("evaluation_") and evaluation_answered:
            continue
        if cleaned.get(field) and not getattr(parent, field):
            setattr(parent, field, cleaned[field])
            changed = True
    if contact_safety_answered(safety) and not safe_contact_recorded(parent):
        _apply_contact_safety(parent, safety)
        changed = True
    if changed:
        parent.save()
        audit_log(
            action=AuditAction.CHANGE,
            actor=actor,
            obj=parent,
            summary="Safe contact and consents asked at intake recorded",
        )


@transaction.atomic
def referral_update(*, actor: User, referral: Referral, data: dict[str, Any]) -> Referral:
    """Changes a referral's details (not its state). Works on a fresh, locked
    copy: a form may already have written its values onto ``referral``."""
    locked = Referral.objects.select_for_update().select_related("service", "organisation").get(pk=referral.pk)
    cleaned = _clean_referral_data(data, organisation=locked.organisation)
    # How it came in is a fact of its arrival, never edited afterwards.
    cleaned.pop("channel", None)
    service = data.get("service")
    if service is not None and service.pk != locked.service_id:
        _check_service(service, locked.organisation)
        clash = (
            Referral.objects.filter(parent_id=locked.parent_id, service=service, status__in=OPEN_STATUSES)
            .exclude(pk=locked.pk)
            .first()
        )
        if clash is not None and locked.is_open:
            raise DuplicateReferral(clash)
        locked.service = service
    for field, value in cleaned.items():
        setattr(locked, field, value)
    _check_updates_consent(consent=locked.referrer_updates_consent, has_referrer=locked.referrer_id is not None)
    _apply_eligibility(locked, list(Child.objects.filter(parent_id=locked.parent_id)))
    locked.save()
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=locked, summary="Referral changed")
    return locked


#: Moves a restricted record may not make: each takes the work with the
#: parent a step further. Ending, closing, the exits and going back to the
#: waiting list after a match ended unstarted wind it down and stay allowed.
TAKES_SUPPORT_FURTHER = {
    (Status.RECEIVED, Status.CONTACTED),
    (Status.CONTACTED, Status.ASSESSED),
    (Status.ASSESSED, Status.WAITING),
    (Status.WAITING, Status.MATCHED),
    (Status.MATCHED, Status.ACTIVE),
}


def referral_transition(
    *, actor: User, referral: Referral, to_status: str, reason: str = "", on: date | None = None
) -> Referral:
    """Moves a referral through the workflow, or refuses with a field error.
    "Matched" and "active" are refused here: only matching enters them,
    through ``referral_follow_match``."""
    return _move(actor=actor, referral=referral, to_status=to_status, reason=reason, on=on)


def referral_follow_match(
    *,
    actor: User,
    referral: Referral,
    to_status: str,
    reason: str,
    on: date | None = None,
    announce: bool = True,
) -> Referral:
    """The matching app's way to move a referral into "matched" (a match was
    confirmed) or "active" (an open match's support started on ``on``).
    Called only by matching's services, which hold the match that justifies
    the move; the rest of the workflow's rules still apply. ``announce=False``
    for a match brought over from another system: the move is recorded, and
    nobody (the referrer) is told of what already happened there."""
    return _move(
        actor=actor, referral=referral, to_status=to_status, reason=reason, on=on, by_match=True, announce=announce
    )


def referral_close_transferred(*, actor: User, referral: Referral, reason: str) -> Referral:
    """Closes an open referral as "transferred": called only by
    ``referrals.transfers`` when another organisation accepts the family,
    inside the acceptance's transaction."""
    return _move(actor=actor, referral=referral, to_status=Status.TRANSFERRED, reason=reason, by_transfer=True)


@transaction.atomic
def _move(
    *,
    actor: User,
    referral: Referral,
    to_status: str,
    reason: str,
    on: date | None = None,
    by_match: bool = False,
    by_transfer: bool = False,
    announce: bool = True,
) -> Referral:
    locked = Referral.objects.select_for_update().select_related("service", "parent").get(pk=referral.pk)
    _check_move(locked.status, to_status, reason, locked.parent, by_match=by_match, by_transfer=by_transfer)
    now = timezone.now()
    ReferralTransition.objects.create(
        referral=locked, from_status=locked.status, to_status=to_status, by=actor, at=now, reason=reason.strip()
    )
    from_status = locked.status
    locked.status = to_status
    locked.status_changed_at = now
    if to_status == Status.ACTIVE and locked.support_started_on is None:
        locked.support_started_on = on or timezone.localdate()
    if to_status in OPEN_STATUSES:
        _apply_eligibility(locked, list(Child.objects.filter(parent_id=locked.parent_id)))
    locked.save()
    audit_log(
        action=AuditAction.TRANSITION,
        actor=actor,
        obj=locked,
        summary=_moved_summary(from_status, to_status),
    )
    if announce:
        signals.referral_moved.send(
            sender=Referral, referral_id=locked.pk, from_status=from_status, to_status=to_status
        )
    return locked


def _check_move(
    from_status: str, to_status: str, reason: str, parent: Parent, *, by_match: bool = False, by_transfer: bool = False
) -> None:
    """Refuses a move the workflow does not allow for this parent."""
    errors = transition_error(from_status, to_status, reason or "", by_match=by_match, by_transfer=by_transfer)
    if not errors and to_status == Status.WAITING and from_status != Status.MATCHED:
        # Joining the waiting list is the one way on to matching and support
        # (a match that fell through comes back from "matched" and keeps its answer).
        errors = safe_contact_error(parent)
    if errors:
        raise ValidationError(errors)
    if (from_status, to_status) in TAKES_SUPPORT_FURTHER:
        check_not_restricted(parent, field="to_status")


def safe_contact_error(parent: Parent) -> dict[str, str]:
    """The refusal to go on towards matching while safe contact is not recorded ({} when it is)."""
    if safe_contact_recorded(parent):
        return {}
    return {
        "to_status": "Safe contact is not recorded for this parent, so they cannot join the waiting list yet. "
        "Record which channels are safe, or that none is safe (contact through the referrer): "
        "“Record safe contact” in the referral's checklist, or on the parent's page."
    }


# --- data-subject rights -------------------------------------------------------


def parent_subject_access(*, actor: User, parent: Parent) -> list[gdpr.Section]:
    """Everything held about ``parent``, across apps; the request is audited."""
    sections = gdpr.subject_access_report(parent)
    audit_log(action=AuditAction.EXPORT, actor=actor, obj=parent, summary="Subject access report")
    return sections


@transaction.atomic
def parent_erase(*, actor: User, parent: Parent) -> None:
    """Erases (anonymises) ``parent`` in every app, keeping anonymous statistics.
    Refused while a safeguarding hold stands, and for an erased record."""
    parent = Parent.objects.select_for_update().get(pk=parent.pk)
    if parent.safeguarding_hold:
        raise ValidationError({"safeguarding_hold": "A safeguarding hold is recorded: this record cannot be erased."})
    if parent.erased_at is not None:
        raise ValidationError("This record has already been erased.")
    if parent.processing_restricted:
        # A restriction is often asked for instead of erasure (to keep evidence): lifting it is a decision of its own.
        raise ValidationError(
            "Processing of this record is restricted: lift the restriction, with the reason, before erasing it."
        )
    gdpr.erase_everywhere(parent)
    audit_log(action=AuditAction.DELETE, actor=actor, obj=parent, summary="Parent record erased")


#: What every refused write says while a parent's processing is restricted.
RESTRICTED_MESSAGE = (
    "Processing of this parent's record is restricted at their request (UK GDPR Article 18): "
    "the record is kept, but nothing new is recorded or sent until a manager lifts the restriction."
)


def check_not_restricted(parent: Parent, *, field: str = "parent") -> None:
    """Refuses new work for a parent whose processing is restricted. Every
    service that records something new about a parent, or contacts them,
    calls this (the higher layers too: they may read referrals)."""
    if parent.processing_restricted:
        raise ValidationError({field: RESTRICTED_MESSAGE})


def _restriction_reason_errors(reason: str, day: date | None, *, day_field: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (reason or "").strip():
        errors["reason"] = "Say why (for example: the parent contests the accuracy of the record)."
    elif len(reason.strip()) > 300:
        errors["reason"] = "Keep the reason to 300 characters."
    if day is None:
        errors[day_field] = "Give the date."
    elif day > timezone.localdate():
        errors[day_field] = "The date cannot be in the future."
    return errors


@transaction.atomic
def parent_restrict(*, actor: User, parent: Parent, requested_on: date | None, reason: str) -> ProcessingRestriction:
    """Restricts processing of ``parent``'s record at their request. Refused
    while a safeguarding hold is recorded, for an erased record and for one
    already restricted."""
    locked = Parent.objects.select_for_update().get(pk=parent.pk)
    errors = _restriction_reason_errors(reason, requested_on, day_field="requested_on")
    if locked.safeguarding_hold:
        errors["__all__"] = "A safeguarding hold is recorded: processing cannot be restricted while it stands."
    elif locked.erased_at is not None:
        errors["__all__"] = "This record has been erased: there is nothing left to restrict."
    elif locked.processing_restricted:
        errors["__all__"] = "Processing of this record is already restricted."
    if errors:
        raise ValidationError(errors)
    restriction = ProcessingRestriction.objects.create(
        parent=locked, requested_on=requested_on, reason=reason.strip(), recorded_by=actor
    )
    locked.processing_restricted = True
    locked.save(update_fields=["processing_restricted", "updated_at"])
    parent.processing_restricted = True
    signals.parent_contact_changed.send(sender=Parent, parent_id=locked.pk)
    # The reason may describe the person: the audit names the record only.
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=locked, summary="Processing restricted (Art. 18)")
    return restriction


@transaction.atomic
def parent_lift_restriction(
    *, actor: User, parent: Parent, reason: str, lifted_on: date | None = None
) -> ProcessingRestriction:
    """Lifts the standing restriction of ``parent``, with the reason."""
    locked = Parent.objects.select_for_update().get(pk=parent.pk)
    standing = ProcessingRestriction.objects.filter(parent=locked, lifted_on__isnull=True).first()
    lifted_on = lifted_on or timezone.localdate()
    errors = _restriction_reason_errors(reason, lifted_on, day_field="lifted_on")
    if standing is None:
        errors["__all__"] = "Processing of this record is not restricted."
    elif lifted_on < standing.requested_on:
        errors["lifted_on"] = "A restriction is lifted on or after the day it was requested."
    if errors:
        raise ValidationError(errors)
    standing.lifted_on = lifted_on
    standing.lift_reason = reason.strip()
    standing.lifted_by = actor
    standing.save(update_fields=["lifted_on", "lift_reason", "lifted_by"])
    locked.processing_restricted = False
    locked.save(update_fields=["processing_restricted", "updated_at"])
    parent.processing_restricted = False
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=locked, summary="Restriction of processing lifted")
    return standing
