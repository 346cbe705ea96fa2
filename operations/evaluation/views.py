"""Pages of evaluation exports: managers of the organisation only."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from operations.core.access import manager_required, require_membership
from operations.core.confirm import Confirmation, confirm_page
from operations.core.forms import apply_service_errors
from operations.evaluation import services
from operations.evaluation.access import get_export_for, get_project_for
from operations.evaluation.forms import QUASI_IDENTIFIER_LABELS, ExportRequestForm, ProjectForm
from operations.evaluation.models import (
    EvaluationExport,
    EvaluationProject,
    ExportStatus,
    PooledInclusion,
    PooledOptIn,
    PooledProject,
)


@manager_required
def project_list(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                organisation=membership.organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Project “{project.name}” created.")
            return redirect("evaluation:project-detail", project.pk)
    projects = EvaluationProject.objects.visible_to(request.user)
    return render(
        request,
        "evaluation/project_list.html",
        {"projects": projects, "form": form, **_pooled_for_member(request.user)},
    )


#: How many inclusion notices the evaluation page lists (the newest).
INCLUSION_NOTICES = 10


def _pooled_for_member(user) -> dict:
    """The federation's pooled projects with this organisation's answer, and
    when its data was last included in their exports."""
    answers = {
        answer.project_id: answer.opted_in
        for answer in PooledOptIn.objects.visible_to(user).only("project_id", "opted_in")
    }
    pooled = [(project, answers.get(project.pk, False)) for project in PooledProject.objects.visible_to(user)]
    inclusions = PooledInclusion.objects.visible_to(user).select_related("project")[:INCLUSION_NOTICES]
    return {"pooled_projects": pooled, "inclusions": inclusions}


@manager_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for(request.user, pk)
    form = ExportRequestForm(request.POST or None, organisation_id=project.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            export = services.export_request(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("evaluation:export-detail", export.pk)
    exports = EvaluationExport.objects.visible_to(request.user).filter(project=project)
    quasi = [QUASI_IDENTIFIER_LABELS.get(q, q) for q in project.quasi_identifiers]
    return render(
        request,
        "evaluation/project_detail.html",
        {"project": project, "form": form, "exports": exports, "quasi": quasi},
    )


@manager_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Name and description at any time; the privacy settings only until the
    project's first export (they are then shown, not offered)."""
    project = get_project_for(request.user, pk)
    has_exports = services.project_has_exports(project)
    initial = {name: getattr(project, name) for name in ProjectForm.base_fields}
    form = ProjectForm(request.POST or None, initial=initial)
    if has_exports:
        for name in services.PRIVACY_SETTINGS:
            form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_update(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Project “{project.name}” saved.")
            return redirect("evaluation:project-detail", project.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "evaluation/project_edit.html",
        {"project": project, "form": form, "has_exports": has_exports},
        status=status,
    )


@never_cache
@manager_required
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The status page; htmx asks for the progress part every 2 seconds while it runs."""
    export = get_export_for(request.user, pk)
    context = {
        "export": export,
        "status_url": reverse("evaluation:export-detail", args=[export.pk]),
        "cancel_url": reverse("evaluation:export-cancel", args=[export.pk]),
        "discard_url": reverse("evaluation:export-discard", args=[export.pk]),
    }
    if export.is_downloadable:
        context["download_url"] = services.download_url(export=export, user=request.user)
        context["link_minutes"] = settings.EXPORT_LINK_MAX_AGE_SECONDS // 60
    template = "evaluation/_export_status.html" if request.htmx else "evaluation/export_detail.html"
    return render(request, template, context)


@manager_required
@require_POST
def export_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_export_for(request.user, pk)
    return cancel_answer(request, export, back=reverse("evaluation:export-detail", args=[export.pk]))


def cancel_answer(request: HttpRequest, export, *, back: str) -> HttpResponse:
    """Cancels a branch or pooled export and goes back to its page, saying what happened."""
    try:
        services.export_cancel(export=export, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The export was cancelled.")
    return redirect(back)


@manager_required
def export_discard(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first; POST deletes the file and marks the export discarded."""
    export = get_export_for(request.user, pk)
    back = reverse("evaluation:export-detail", args=[export.pk])
    if request.method == "POST":
        try:
            services.export_discard(export=export, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The export is discarded: its file is deleted.")
        return redirect(back)
    if export.status != ExportStatus.DONE:
        messages.info(request, "Only a finished export can be discarded.")
        return redirect(back)
    lines = []
    if export.suppression_over_limit:
        lines.append(
            f"{export.suppressed_percent}% of rows were left out to protect identities, above this project's "
            f"limit of {export.project.max_suppressed_percent}%."
        )
    downloads = export.download_count
    lines += [
        "The file is deleted now and can no longer be downloaded, by anyone.",
        f"It was downloaded {downloads} time{'s' if downloads != 1 else ''}: copies already downloaded are not "
        "affected; ask whoever holds one to delete it.",
        "The export stays listed as discarded, and the audit log keeps who made, downloaded and discarded it.",
    ]
    confirmation = Confirmation(
        question=f"Discard export {export.pk} of {export.project.name}?",
        consequences=lines,
        action_url=reverse("evaluation:export-discard", args=[export.pk]),
        confirm_label="Yes, discard the export",
        back_url=back,
    )
    return confirm_page(request, confirmation)


@never_cache
@manager_required
def download(request: HttpRequest, token: str) -> HttpResponse:
    """Streams the file through an expiring signed link, audited each time."""
    return download_answer(request, token, find=get_export_for, file_name="evaluation-export")


def download_answer(
    request: HttpRequest,
    token: str,
    *,
    find: Callable,
    file_name: str,
    salt: str = services.DOWNLOAD_SALT,
    back_url: str = "",
) -> HttpResponse:
    """The file of the export a signed link names (``find`` is its access
    helper), counted and audited; 410 for a link expired, someone else's, or
    a file gone. Branch and pooled exports alike."""
    context = {"back_url": back_url}
    try:
        export_id = services.export_from_token(token=token, user=request.user, salt=salt)
    except services.LinkExpired:
        return render(request, "evaluation/link_expired.html", context, status=410)
    export = find(request.user, export_id)
    try:
        services.export_download(export=export, by=request.user)
    except services.LinkExpired:
        context["discarded"] = export.status == ExportStatus.DISCARDED
        return render(request, "evaluation/link_expired.html", context, status=410)
    return FileResponse(export.path.open("rb"), as_attachment=True, filename=f"{file_name}-{export.pk}.zip")
