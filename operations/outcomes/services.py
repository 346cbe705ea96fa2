"""Writes of the outcomes sub-app: typed, keyword-only, one transaction each.

A broken rule raises Django's ``ValidationError`` with field errors; forms
show them, the API turns them into a 400, and nothing is written. Audit
summaries name records by id only, never a person or a score."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.dates import short_date
from operations.core.models import Organisation, User
from operations.outcomes import measures
from operations.outcomes.models import (
    Assessment,
    MeasureCode,
    MeasureWording,
    Questionnaire,
    QuestionnaireItem,
    SafetyAlert,
    Timepoint,
)
from operations.outcomes.selectors import measure_of
from operations.outcomes.signals import safety_alert_raised
from referrals.models import Parent, Referral
from referrals.services import RESTRICTED_MESSAGE


def _lawful_basis_error(parent: Parent) -> str:
    url = reverse("referrals:parent-edit", args=[parent.pk])
    return (
        "No lawful basis for health data is recorded for this parent. Record the Article 9 condition "
        f"under 'Lawful basis' on the parent's details ({url}) before entering an assessment."
    )


def _check_assessment(
    *,
    organisation: Organisation,
    parent: Parent,
    referral: Referral | None,
    measure: str,
    questionnaire: Questionnaire | None,
    timepoint: str,
    taken_on: date | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if parent.organisation_id != organisation.pk:
        errors["parent"] = "Choose a parent of your organisation."
        return errors
    if parent.erased_at is not None:
        errors["parent"] = "This record was erased: no assessment can be added."
    elif parent.processing_restricted:
        errors["parent"] = RESTRICTED_MESSAGE
    elif not parent.lawful_basis_article9:
        errors["parent"] = _lawful_basis_error(parent)
    if referral is None:
        errors["referral"] = "Choose the referral this assessment belongs to."
    elif referral.parent_id != parent.pk or referral.organisation_id != organisation.pk:
        errors["referral"] = "Choose one of this parent's referrals."
    if measure not in MeasureCode.values:
        errors["measure"] = "Choose one of the measures offered."
    elif measure == MeasureCode.CUSTOM:
        if questionnaire is None or questionnaire.organisation_id != organisation.pk:
            errors["questionnaire"] = "Choose one of your organisation's questionnaires."
        elif not questionnaire.active:
            errors["questionnaire"] = "This questionnaire is no longer in use."
    elif questionnaire is not None:
        errors["questionnaire"] = "Only an organisation questionnaire names a questionnaire."
    if timepoint not in Timepoint.values:
        errors["timepoint"] = "Choose baseline, review, ending or other."
    if taken_on is None:
        errors["taken_on"] = "Give the date the parent completed the measure."
    elif taken_on > timezone.localdate():
        errors["taken_on"] = "The date cannot be in the future."
    elif referral is not None and "referral" not in errors and taken_on < referral.received_on:
        received = short_date(referral.received_on)
        errors["taken_on"] = f"The date cannot be before the referral was received ({received})."
    return errors


@transaction.atomic
def assessment_create(
    *,
    actor: User | None,
    organisation: Organisation,
    parent: Parent,
    referral: Referral | None,
    measure: str,
    timepoint: str,
    taken_on: date | None,
    responses: list[int | None],
    questionnaire: Questionnaire | None = None,
) -> Assessment:
    """Scores and stores one completed measure. Each alert item scored above
    0 opens a safety alert and is raised as urgent in this transaction, so
    the coordinator's notification commits with the assessment or not at all."""
    given = {
        "organisation": organisation,
        "parent": parent,
        "referral": referral,
        "measure": measure,
        "questionnaire": questionnaire,
        "timepoint": timepoint,
        "taken_on": taken_on,
    }
    errors = _check_assessment(**given)
    scored = None
    if "measure" not in errors and "questionnaire" not in errors:
        rules = measure_of(code=measure, questionnaire=questionnaire)
        if rules.items == 0:
            errors["questionnaire"] = "This questionnaire has no items yet."
        elif not isinstance(responses, list | tuple):
            errors["responses"] = "Give one response per item, as a list."
        else:
            try:
                scored = measures.score(rules, responses)
            except measures.ScoringError as exc:
                errors["responses"] = str(exc)
    if errors:
        raise ValidationError(errors)
    assessment = Assessment.objects.create(
        **given,
        responses=list(responses),
        item_scores=list(scored.item_scores),
        total=scored.total,
        band=scored.band_code,
        alert_items=list(scored.alert_items),
        scoring_version=scored.scoring_version,
        entered_by=actor,
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        obj=assessment,
        summary=(
            f"Assessment entered for parent #{parent.pk} "
            f"({assessment.get_measure_display()}, {assessment.get_timepoint_display()})"
        ),
    )
    for item in scored.alert_items:
        alert = SafetyAlert.objects.create(
            organisation=organisation,
            assessment=assessment,
            parent=parent,
            item_number=item,
            item_score=scored.item_scores[item - 1],
        )
        audit_log(
            action=AuditAction.CREATE,
            actor=actor,
            obj=alert,
            summary=f"Safety alert raised by assessment #{assessment.pk}, item {item}",
        )
        safety_alert_raised.send(sender=SafetyAlert, alert=alert)
    return assessment


@transaction.atomic
def safety_alert_close(*, alert: SafetyAlert, actor: User, action_taken: str) -> SafetyAlert:
    """Records what was done about an alert, which closes it. Refused
    without a description, and for an alert someone else already closed."""
    action_taken = (action_taken or "").strip()
    if not action_taken:
        raise ValidationError({"action_taken": "Describe the action taken (who was contacted, what was agreed)."})
    alert = SafetyAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.actioned_at is not None:
        raise ValidationError({"action_taken": "This alert was already closed; the action taken is recorded."})
    alert.action_taken = action_taken
    alert.actioned_by = actor
    alert.actioned_at = timezone.now()
    alert.save(update_fields=["action_taken", "actioned_by", "actioned_at"])
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=alert, summary="Safety alert closed")
    return alert


# --- what an organisation adds: its questionnaires and permitted wording ------


def _parse_items(lines: str) -> list[tuple[str, bool]]:
    """One item per line; a line starting "(R)" is reverse-scored."""
    items = []
    for raw in lines.splitlines():
        text = raw.strip()
        if not text:
            continue
        reverse = text.upper().startswith("(R)")
        items.append((text[3:].strip() if reverse else text, reverse))
    return items


@transaction.atomic
def questionnaire_save(
    *,
    actor: User,
    organisation: Organisation,
    data: dict[str, Any],
    items: str,
    questionnaire: Questionnaire | None = None,
) -> Questionnaire:
    """Creates or changes a questionnaire and its items. Once assessments use
    it, its items and scale are fixed (old scores would change meaning)."""
    parsed = _parse_items(items)
    errors: dict[str, str] = {}
    if not parsed:
        errors["items"] = "Give at least one item, one per line."
    elif any(len(text) > 300 for text, _reverse in parsed):
        errors["items"] = "Each item is at most 300 characters."
    in_use = questionnaire is not None and questionnaire.assessments.exists()
    if in_use:
        before = [(item.text, item.reverse_scored) for item in questionnaire.items.all()]
        scale_changed = (data["scale_min"], data["scale_max"]) != (questionnaire.scale_min, questionnaire.scale_max)
        if before != parsed or scale_changed:
            errors["items"] = (
                "Assessments already use this questionnaire: its items and scale cannot change. "
                "Make a new questionnaire and set this one inactive."
            )
    if errors:
        raise ValidationError(errors)
    questionnaire = questionnaire or Questionnaire(organisation=organisation)
    for field in ("name", "scale_min", "scale_max", "higher_is_better", "active"):
        setattr(questionnaire, field, data[field])
    questionnaire.full_clean(exclude=["organisation"])
    try:
        with transaction.atomic():
            questionnaire.save()
    except IntegrityError as exc:
        raise ValidationError({"name": "Your organisation already has a questionnaire with this name."}) from exc
    if not in_use:
        questionnaire.items.all().delete()
        QuestionnaireItem.objects.bulk_create(
            QuestionnaireItem(questionnaire=questionnaire, number=number, text=text, reverse_scored=reverse)
            for number, (text, reverse) in enumerate(parsed, start=1)
        )
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=questionnaire, summary="Questionnaire saved")
    return questionnaire


@transaction.atomic
def measure_wording_save(
    *,
    actor: User,
    organisation: Organisation,
    measure: str,
    texts: dict[int, str],
    permission_note: str,
) -> int:
    """Replaces the organisation's wording of one measure's items. Wording
    needs a note of the permission held; blank texts remove the wording."""
    if measure not in measures.MEASURES:
        raise ValidationError({"measure": "Choose one of the validated measures."})
    rules = measures.MEASURES[measure]
    kept = {number: text.strip() for number, text in texts.items() if text and text.strip()}
    errors: dict[str, str] = {}
    if any(number not in rules.item_numbers for number in kept):
        errors["measure"] = f"{rules.name} has items 1 to {rules.items}."
    if kept and not permission_note.strip():
        errors["permission_note"] = "Say who granted permission to show this wording, and when."
    if errors:
        raise ValidationError(errors)
    MeasureWording.objects.filter(organisation=organisation, measure=measure).delete()
    MeasureWording.objects.bulk_create(
        MeasureWording(
            organisation=organisation,
            measure=measure,
            item_number=number,
            text=text[:400],
            permission_note=permission_note.strip()[:300],
        )
        for number, text in sorted(kept.items())
    )
    audit_log(
        action=AuditAction.CHANGE,
        actor=actor,
        organisation=organisation,
        summary=f"Item wording of {rules.name} saved ({len(kept)} items)",
    )
    return len(kept)
