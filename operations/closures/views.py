"""Pages of a service closure: managers only."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from operations.closures import services
from operations.closures.forms import ClosureDecisionForm, ClosurePlanForm
from operations.closures.models import ClosureDecision, ServiceClosure
from operations.core.access import manager_required
from operations.core.audit import AuditAction, audit_log
from operations.core.dates import short_date
from operations.core.forms import apply_service_errors


def get_closure_for(user, pk: int) -> ServiceClosure:
    return get_object_or_404(ServiceClosure.objects.visible_to(user).select_related("service", "organisation"), pk=pk)


@manager_required
def closure_list(request: HttpRequest) -> HttpResponse:
    form = ClosurePlanForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            closure = services.closure_plan(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Closure of {closure.service.name} planned: decide for each family below.")
            return redirect("closures:detail", closure.pk)
    closures = ServiceClosure.objects.visible_to(request.user).select_related("service")
    status = 400 if form.errors else 200
    return render(request, "closures/list.html", {"form": form, "closures": closures}, status=status)


def _detail(request: HttpRequest, closure: ServiceClosure, *, failed: ClosureDecisionForm | None = None, errors=()):
    undecided = []
    for referral in services.undecided_referrals(closure):
        if failed is not None and failed.data.get("referral") == str(referral.pk):
            form = failed
        else:
            form = ClosureDecisionForm(initial={"referral": referral.pk}, closure=closure, auto_id=f"r{referral.pk}_%s")
        undecided.append((referral, form))
    decisions = (
        ClosureDecision.objects.visible_to(request.user)
        .filter(closure=closure)
        .select_related("referral", "new_service", "receiving_organisation", "directory_entry")
    )
    context = {"closure": closure, "undecided": undecided, "decisions": decisions, "complete_errors": errors}
    status = 400 if failed is not None or errors else 200
    return render(request, "closures/detail.html", context, status=status)


@manager_required
def closure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_closure_for(request.user, pk))


@manager_required
@require_POST
def closure_decide(request: HttpRequest, pk: int) -> HttpResponse:
    closure = get_closure_for(request.user, pk)
    number = request.POST.get("referral", "")
    form = ClosureDecisionForm(request.POST, closure=closure, auto_id=f"r{number if number.isdigit() else 0}_%s")
    if form.is_valid():
        referral = services.open_referrals(closure).filter(pk=form.cleaned_data.pop("referral")).first()
        if referral is None:
            form.add_error(None, "Choose an open referral of the closing service.")
        else:
            try:
                services.closure_decide(actor=request.user, closure=closure, referral=referral, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, f"Decision recorded for referral #{referral.pk}.")
                return redirect("closures:detail", closure.pk)
    return _detail(request, closure, failed=form)


@manager_required
@require_POST
def closure_complete(request: HttpRequest, pk: int) -> HttpResponse:
    closure = get_closure_for(request.user, pk)
    try:
        services.closure_complete(actor=request.user, closure=closure)
    except ValidationError as exc:
        return _detail(request, closure, errors=exc.messages)
    messages.success(request, f"{closure.service.name} is closed. The closure report is kept below.")
    return redirect("closures:report", closure.pk)


def _report_rows(closure: ServiceClosure) -> list[tuple[str, int]]:
    return [
        ("Families moved to another of our services", closure.moved_in_house),
        ("Families transferred to another organisation", closure.transferred_out),
        ("Families signposted", closure.signposted),
        ("Support ended as planned", closure.ended_as_planned),
        ("Group sessions cancelled", closure.sessions_cancelled),
        ("Parents told of cancelled sessions", closure.parents_told),
        ("Referrers told", closure.referrers_told),
        ("Volunteers told", closure.volunteers_told),
    ]


@manager_required
def closure_report(request: HttpRequest, pk: int) -> HttpResponse:
    closure = get_closure_for(request.user, pk)
    audit_log(action=AuditAction.VIEW, actor=request.user, obj=closure, summary="Closure report viewed")
    return render(request, "closures/report.html", {"closure": closure, "rows": _report_rows(closure)})


@manager_required
def closure_report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    closure = get_closure_for(request.user, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="closure-report-{closure.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Service", closure.service.name])
    writer.writerow(["Last day", short_date(closure.last_day)])
    writer.writerow(["Completed", short_date(closure.completed_at.date()) if closure.completed_at else "Not yet"])
    for label, count in _report_rows(closure):
        writer.writerow([label, count])
    audit_log(action=AuditAction.DOWNLOAD, actor=request.user, obj=closure, summary="Closure report downloaded")
    return response
