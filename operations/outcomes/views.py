"""Pages of the outcomes sub-app (mounted at /outcomes/). Coordinators and
managers enter assessments and act on safety alerts; managers keep the
organisation's questionnaires and the wording it holds permission to show."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from operations.core.access import manager_required, require_membership, staff_required
from operations.core.audit import AuditAction, audit_log
from operations.core.forms import apply_service_errors
from operations.outcomes import measures, selectors, services
from operations.outcomes.access import (
    assessors_required,
    get_alert_for,
    get_assessable_parent_for,
    get_assessment_for,
    get_questionnaire_for,
)
from operations.outcomes.forms import AlertCloseForm, AssessmentForm, QuestionnaireForm, WordingForm
from operations.outcomes.models import MeasureWording, Questionnaire


def _submit(request: HttpRequest, form, save: Callable[[], Any]) -> tuple[bool, Any, int]:
    """For a valid POST, runs ``save`` (a service call); a refusal goes on the
    form. Returns whether it saved, what it returned, and the status to
    render the form with otherwise (400: refused, nothing written)."""
    if request.method != "POST":
        return False, None, 200
    if form.is_valid():
        try:
            return True, save(), 200
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return False, None, 400


@assessors_required
def assessment_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose a measure, then enter the parent's responses. A save that
    raises a safety alert shows it in this same response."""
    membership = require_membership(request)
    parent = get_assessable_parent_for(request.user, pk)
    chosen = selectors.chosen_measure(request.user, request.GET.get("measure", ""))
    if chosen is None:
        questionnaires = Questionnaire.objects.visible_to(request.user).filter(active=True)
        return render(
            request,
            "outcomes/measure_choice.html",
            {"parent": parent, "measures": measures.MEASURES.values(), "questionnaires": questionnaires},
        )
    wording = selectors.item_wording(chosen, membership.organisation_id)
    form = AssessmentForm(request.POST or None, parent=parent, chosen=chosen, wording=wording)
    saved, assessment, status = _submit(
        request,
        form,
        lambda: services.assessment_create(
            actor=request.user,
            organisation=membership.organisation,
            parent=parent,
            referral=form.cleaned_data["referral"],
            measure=chosen.code,
            questionnaire=chosen.questionnaire,
            timepoint=form.cleaned_data["timepoint"],
            taken_on=form.cleaned_data["taken_on"],
            responses=form.responses(),
        ),
    )
    if saved:
        return _saved(request, assessment)
    return render(
        request,
        "outcomes/assessment_form.html",
        {"parent": parent, "form": form, "chosen": chosen},
        status=status,
    )


def _saved(request: HttpRequest, assessment) -> HttpResponse:
    if not assessment.alert_items:
        messages.success(request, f"{assessment.get_measure_display()} saved: total {assessment.total}.")
        if require_membership(request).is_staff_role:
            return redirect("referrals:parent-detail", assessment.parent_id)
        return redirect("outcomes:assessment-detail", assessment.pk)
    # The person who saved it sees the alert now, not after a redirect they might not read.
    return render(request, "outcomes/assessment_detail.html", _detail(assessment, just_saved=True))


def _detail(assessment, **extra) -> dict:
    return {
        "assessment": assessment,
        "alerts": list(assessment.safety_alerts.all()),
        "pairs": list(zip(assessment.responses, assessment.item_scores, strict=False)),
        "rules": selectors.measure_of(code=assessment.measure, questionnaire=assessment.questionnaire),
        **extra,
    }


@assessors_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for(request.user, pk)
    audit_log(action=AuditAction.VIEW, actor=request.user, obj=assessment, summary="Assessment viewed")
    return render(request, "outcomes/assessment_detail.html", _detail(assessment))


@staff_required
def alert_list(request: HttpRequest) -> HttpResponse:
    return render(request, "outcomes/alert_list.html", selectors.open_alerts(request.user, limit=None))


@staff_required
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_alert_for(request.user, pk)
    form = AlertCloseForm(request.POST or None)
    saved, _alert, status = _submit(
        request,
        form,
        lambda: services.safety_alert_close(
            alert=alert, actor=request.user, action_taken=form.cleaned_data["action_taken"]
        ),
    )
    if saved:
        messages.success(request, f"Safety alert #{alert.pk} closed: the action taken is recorded.")
        return redirect("outcomes:alert-list")
    if request.method != "POST":
        audit_log(action=AuditAction.VIEW, actor=request.user, obj=alert, summary="Safety alert viewed")
    return render(request, "outcomes/alert_detail.html", {"alert": alert, "form": form}, status=status)


# --- managers: questionnaires and wording ---------------------------------------


@manager_required
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    questionnaires = Questionnaire.objects.visible_to(request.user).prefetch_related("items")
    return render(request, "outcomes/questionnaire_list.html", {"questionnaires": questionnaires})


@manager_required
def questionnaire_new(request: HttpRequest) -> HttpResponse:
    return _questionnaire_form(request, None)


@manager_required
def questionnaire_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _questionnaire_form(request, get_questionnaire_for(request.user, pk))


def _questionnaire_form(request: HttpRequest, questionnaire: Questionnaire | None) -> HttpResponse:
    membership = require_membership(request)
    form = QuestionnaireForm(request.POST or None, instance=questionnaire)
    saved, _questionnaire, status = _submit(
        request,
        form,
        lambda: services.questionnaire_save(
            actor=request.user,
            organisation=membership.organisation,
            data=form.cleaned_data,
            items=form.cleaned_data["items"],
            questionnaire=questionnaire,
        ),
    )
    if saved:
        messages.success(request, "Questionnaire saved.")
        return redirect("outcomes:questionnaire-list")
    return render(
        request, "outcomes/questionnaire_form.html", {"form": form, "questionnaire": questionnaire}, status=status
    )


@manager_required
def wording_list(request: HttpRequest) -> HttpResponse:
    counts = {}
    for row in MeasureWording.objects.visible_to(request.user).values_list("measure", flat=True):
        counts[row] = counts.get(row, 0) + 1
    rows = [(rules, counts.get(code, 0)) for code, rules in measures.MEASURES.items()]
    return render(request, "outcomes/wording_list.html", {"rows": rows})


@manager_required
def wording_edit(request: HttpRequest, measure: str) -> HttpResponse:
    membership = require_membership(request)
    rules = measures.MEASURES.get(measure)
    if rules is None:
        raise Http404("No such measure.")
    rows = list(MeasureWording.objects.visible_to(request.user).filter(measure=measure))
    form = WordingForm(
        request.POST or None,
        rules=rules,
        current={row.item_number: row.text for row in rows},
        note=rows[0].permission_note if rows else "",
    )
    saved, worded, status = _submit(
        request,
        form,
        lambda: services.measure_wording_save(
            actor=request.user,
            organisation=membership.organisation,
            measure=measure,
            texts=form.texts(),
            permission_note=form.cleaned_data["permission_note"],
        ),
    )
    if saved:
        messages.success(request, f"Wording of {rules.name} saved ({worded} items).")
        return redirect("outcomes:wording-list")
    return render(request, "outcomes/wording_form.html", {"form": form, "rules": rules}, status=status)
