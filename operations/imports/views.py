"""The import pages (/import/): managers of the organisation only.

Choose what to import and download its template; upload; say which column
is which; read the dry run's report; import (all or nothing, or the valid
rows only) and watch its progress; the history, with undo."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from operations.core import downloads
from operations.core.access import manager_required, require_membership
from operations.core.confirm import Confirmation, confirm_page
from operations.core.forms import apply_service_errors
from operations.core.models import Role
from operations.imports import services
from operations.imports.access import get_batch_for
from operations.imports.blank_files import template_csv, template_xlsx
from operations.imports.forms import ApplyForm, MappingForm, UploadForm
from operations.imports.kinds import KINDS, kinds_in_order
from operations.imports.models import ApplyMode, BatchStatus, ImportBatch, ImportedRecord

#: Problems shown on the page; the rest are in the downloadable report.
PROBLEMS_SHOWN = 50
HISTORY_ROWS = 30


@manager_required
def index(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.batch_create(
                organisation=membership.organisation,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                source=upload,
                file_name=upload.name,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("imports:columns", batch.pk)
    batches = ImportBatch.objects.visible_to(request.user).select_related("uploaded_by")[:HISTORY_ROWS]
    return render(
        request,
        "imports/index.html",
        {"form": form, "kinds": kinds_in_order(), "batches": batches},
        status=400 if request.method == "POST" and form.errors else 200,
    )


@manager_required
def template_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    import_kind = KINDS.get(kind)
    if import_kind is None or fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "csv":
        response = HttpResponse(template_csv(import_kind), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            template_xlsx(import_kind),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{import_kind.key}-template.{fmt}"'
    return response


@manager_required
def batch_columns(request: HttpRequest, pk: int) -> HttpResponse:
    """The columns step: each column of the file -> a column of the kind, or
    ignored; saving checks the file (the dry run)."""
    batch = get_batch_for(request.user, pk)
    if batch.status not in (BatchStatus.DRAFT, BatchStatus.CHECKED, BatchStatus.FAILED):
        return redirect("imports:detail", batch.pk)
    kind = services.kind_for(batch.kind)
    form = MappingForm(request.POST if request.method == "POST" else None, batch=batch, kind=kind)
    if form.is_bound and form.is_valid():
        try:
            services.batch_map(batch=batch, actor=request.user, mapping=form.mapping())
            services.batch_check(batch=batch, actor=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("imports:detail", batch.pk)
    unrecognised = [header for index, header in enumerate(batch.headers) if not batch.mapping.get(str(index))]
    return render(
        request,
        "imports/columns.html",
        {
            "batch": batch,
            "kind": kind,
            "form": form,
            "unrecognised": unrecognised,
            "missing": services.missing_required(kind, batch.mapping),
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


@never_cache
@manager_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report, the import choice, progress and the result; htmx asks for
    the status part every 2 seconds while a check or import runs."""
    batch = get_batch_for(request.user, pk)
    context = {
        "batch": batch,
        "progress": services.progress_of(batch),
        "problems": batch.problems.all()[:PROBLEMS_SHOWN],
        "problem_count": batch.problems.count(),
        "apply_form": ApplyForm(
            initial={"mode": ApplyMode.VALID_ONLY if batch.rows_with_problems else ApplyMode.ALL_OR_NOTHING}
        ),
        "records": _result_links(batch),
    }
    template = "imports/_status.html" if request.htmx else "imports/detail.html"
    return render(request, template, context)


def _result_links(batch: ImportBatch, limit: int = 20) -> list[tuple[str, str]]:
    """(line and external id, the record's page) of the first records the batch created."""
    if batch.status != BatchStatus.APPLIED:
        return []
    links = []
    for item in ImportedRecord.objects.filter(last_batch=batch).select_related("content_type")[:limit]:
        record = item.record
        url = getattr(record, "detail_url", "") if record is not None else ""
        name = f": {record}" if record is not None else " (since deleted)"
        links.append((f"Line {item.line} ({item.external_id}){name}", url))
    return links


@manager_required
@require_POST
def batch_apply(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_for(request.user, pk)
    form = ApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how to import.")
        return redirect("imports:detail", batch.pk)
    try:
        batch = services.batch_apply(batch=batch, actor=request.user, mode=form.cleaned_data["mode"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if batch.status == BatchStatus.APPLIED:
            messages.success(request, _result_words(batch))
        elif batch.status == BatchStatus.CHECKED:
            messages.error(request, batch.error or "Nothing was imported.")
    return redirect("imports:detail", batch.pk)


def _result_words(batch: ImportBatch) -> str:
    parts = [f"{batch.created_count} created", f"{batch.updated_count} updated", f"{batch.unchanged_count} unchanged"]
    if batch.skipped_count:
        parts.append(f"{batch.skipped_count} skipped")
    return "Imported: " + ", ".join(parts) + "."


@manager_required
@require_POST
def batch_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_for(request.user, pk)
    try:
        batch = services.batch_cancel(batch=batch, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        words = "Cancelling: nothing of this import will be kept." if batch.running else "Cancelled."
        messages.success(request, words)
    return redirect("imports:detail", batch.pk)


@manager_required
def batch_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first; POST deletes what the batch created (refused once any of it was used)."""
    batch = get_batch_for(request.user, pk)
    back = reverse("imports:detail", args=[batch.pk])
    if request.method == "POST":
        try:
            batch = services.batch_undo(batch=batch, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Import undone: {batch.undone_count} records deleted.")
        return redirect(back)
    if batch.status != BatchStatus.APPLIED:
        messages.info(request, "Only an import that was applied can be undone.")
        return redirect(back)
    confirmation = Confirmation(
        question=f"Undo the import of {batch.file_name}?",
        consequences=[
            f"The {batch.created_count} records it created are deleted, with everything the import added to them.",
            "Records it only updated keep their new values.",
            "If any record has been used since (a change, a match, a sign-in…), nothing is undone and you are told "
            "which.",
        ],
        action_url=reverse("imports:undo", args=[batch.pk]),
        confirm_label="Yes, undo the import",
        back_url=back,
    )
    return confirm_page(request, confirmation)


PROBLEM_COLUMNS = [
    downloads.Column("Line", lambda row: row[0]),
    downloads.Column("Column", lambda row: row[1]),
    downloads.Column("Problem", lambda row: row[2]),
    downloads.Column("How to fix it", lambda row: row[3]),
]


@manager_required
def problems_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The dry run's report as CSV (spreadsheet-safe, audited)."""
    batch = get_batch_for(request.user, pk)
    rows = services.problem_rows(batch)
    next(rows)  # the headings: the download writes its own
    return downloads.download(
        request,
        fmt="csv",
        title=f"Import {batch.pk} problems",
        filename=f"import-{batch.pk}-problems",
        columns=PROBLEM_COLUMNS,
        rows=rows,
        roles=(Role.MANAGER,),
    )
