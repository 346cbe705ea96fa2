"""Pages of pooled evaluation: the federation's officers create projects,
see which members opted in, build exports, follow them and download them
(``/federation/evaluation/``); a member's manager opts the organisation in
or out and sees when its data was included (``/evaluation/pooled/<id>/``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from operations.core.access import manager_required, require_membership
from operations.core.federations import federation_of, federation_officer_required
from operations.core.forms import apply_service_errors
from operations.core.models import Organisation
from operations.evaluation import services
from operations.evaluation.forms import QUASI_IDENTIFIER_LABELS, ExportFiltersForm, OptInForm, PooledProjectForm
from operations.evaluation.models import PooledExport, PooledInclusion, PooledOptIn, PooledProject
from operations.evaluation.pooled import services as pooled
from operations.evaluation.pooled.access import get_pooled_export_for, get_pooled_project_for
from operations.evaluation.views import cancel_answer, download_answer


def _quasi_words(project: PooledProject) -> list[str]:
    return [QUASI_IDENTIFIER_LABELS.get(q, q) for q in project.quasi_identifiers]


# --- The federation's officers ---------------------------------------------------


@federation_officer_required
def project_list(request: HttpRequest) -> HttpResponse:
    federation = federation_of(request.user)
    form = PooledProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = pooled.pooled_project_create(federation=federation, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Project “{project.name}” created.")
            return redirect("pooled:project-detail", project.pk)
    projects = PooledProject.objects.visible_to(request.user)
    return render(
        request,
        "evaluation/pooled/project_list.html",
        {"federation": federation, "projects": projects, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@federation_officer_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_pooled_project_for(request.user, pk)
    form = ExportFiltersForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            export = pooled.pooled_export_request(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("pooled:export-detail", export.pk)
    answers = {
        answer.organisation_id: answer
        for answer in PooledOptIn.objects.visible_to(request.user).filter(project=project)
    }
    members = [
        (organisation, answers.get(organisation.pk))
        for organisation in Organisation.objects.filter(member_of_id=project.federation_id).order_by("name")
    ]
    exports = PooledExport.objects.visible_to(request.user).filter(project=project)
    return render(
        request,
        "evaluation/pooled/project_detail.html",
        {
            "project": project,
            "form": form,
            "members": members,
            "opted_in": sum(1 for _, answer in members if answer is not None and answer.opted_in),
            "exports": exports,
            "quasi": _quasi_words(project),
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@federation_officer_required
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The status page; htmx asks for the progress part every 2 seconds while it runs."""
    export = get_pooled_export_for(request.user, pk)
    context = {
        "export": export,
        "status_url": reverse("pooled:export-detail", args=[export.pk]),
        "cancel_url": reverse("pooled:export-cancel", args=[export.pk]),
    }
    if export.is_downloadable:
        token = services.download_token(export=export, user=request.user, salt=pooled.DOWNLOAD_SALT)
        context["download_url"] = reverse("pooled:download", args=[token])
        context["link_minutes"] = settings.EXPORT_LINK_MAX_AGE_SECONDS // 60
    if request.htmx:
        return render(request, "evaluation/_export_status.html", context)
    context["included"] = (
        PooledInclusion.objects.visible_to(request.user)
        .filter(export=export)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return render(request, "evaluation/pooled/export_detail.html", context)


@federation_officer_required
@require_POST
def export_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_pooled_export_for(request.user, pk)
    return cancel_answer(request, export, back=reverse("pooled:export-detail", args=[export.pk]))


@never_cache
@federation_officer_required
def download(request: HttpRequest, token: str) -> HttpResponse:
    """Streams the file through an expiring signed link, audited each time."""
    return download_answer(
        request,
        token,
        find=get_pooled_export_for,
        file_name="pooled-export",
        salt=pooled.DOWNLOAD_SALT,
        back_url=reverse("pooled:project-list"),
    )


# --- A member's manager ------------------------------------------------------------


@manager_required
def participation(request: HttpRequest, pk: int) -> HttpResponse:
    """What the project is and pools, the organisation's answer, and when
    its data was included; POST opts it in or out."""
    membership = require_membership(request)
    project = get_pooled_project_for(request.user, pk)
    answer = PooledOptIn.objects.visible_to(request.user).filter(project=project).first()
    opted_in = answer is not None and answer.opted_in
    # Never answered: neither choice is made for them.
    initial = {"opted_in": "yes" if opted_in else "no"} if answer is not None else {}
    form = OptInForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pooled.pooled_opt_in_set(
                project=project,
                organisation=membership.organisation,
                by=request.user,
                opted_in=form.cleaned_data["opted_in"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if form.cleaned_data["opted_in"]:
                messages.success(request, f"Your organisation is opted in to “{project.name}”.")
            else:
                messages.success(request, f"Your organisation is opted out of “{project.name}”.")
            return redirect("evaluation:pooled-participation", project.pk)
    inclusions = PooledInclusion.objects.visible_to(request.user).filter(project=project)
    return render(
        request,
        "evaluation/pooled/participation.html",
        {
            "project": project,
            "answer": answer,
            "opted_in": opted_in,
            "form": form,
            "inclusions": inclusions,
            "quasi": _quasi_words(project),
        },
        status=400 if request.method == "POST" else 200,
    )
