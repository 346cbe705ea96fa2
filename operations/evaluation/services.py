"""Writes of the evaluation app: projects, export requests, the build run
by the task, cancelling, download links and deleting expired files."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.models import Organisation, Service, User
from operations.evaluation import anonymise
from operations.evaluation.build import Builder, Cancelled
from operations.evaluation.models import (
    ACTIVE_STATUSES,
    K_MAX,
    K_MIN,
    EvaluationExport,
    EvaluationProject,
    ExportStatus,
    PooledExport,
)
from operations.outcomes.models import MeasureCode

logger = logging.getLogger(__name__)

DOWNLOAD_SALT = "operations.evaluation.download"


def validate_project(
    *, k: int, quasi_identifiers: list[str], allowed: tuple[str, ...] = anonymise.QUASI_IDENTIFIERS
) -> None:
    """k in range and quasi-identifiers among ``allowed`` (a pooled project may choose the member too)."""
    errors = {}
    if not K_MIN <= k <= K_MAX:
        errors["k"] = [f"k must be between {K_MIN} and {K_MAX}."]
    unknown = set(quasi_identifiers) - set(allowed)
    if unknown or not quasi_identifiers:
        errors["quasi_identifiers"] = ["Choose at least one of: " + ", ".join(allowed) + "."]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def project_create(
    *,
    organisation: Organisation,
    by: User,
    name: str,
    description: str = "",
    k: int = 5,
    quasi_identifiers: list[str] | None = None,
    max_suppressed_percent: int = 5,
) -> EvaluationProject:
    project = project_new(
        EvaluationProject(organisation=organisation, created_by=by),
        owner={"organisation": organisation},
        name=name,
        description=description,
        k=k,
        quasi_identifiers=quasi_identifiers,
        max_suppressed_percent=max_suppressed_percent,
    )
    audit_log(action=AuditAction.CREATE, actor=by, obj=project, summary="Evaluation project created")
    return project


def project_new(
    project,
    *,
    owner: dict,
    name: str,
    description: str,
    k: int,
    quasi_identifiers: list[str] | None,
    max_suppressed_percent: int,
    allowed: tuple[str, ...] = anonymise.QUASI_IDENTIFIERS,
    taken: str = "Your organisation already has a project with this name.",
):
    """Checks and saves a new project (a branch's or a pooled one, made with
    its owner and author): k in range, known quasi-identifiers in export
    order, a name its owner (``owner``: the lookup) does not use yet."""
    quasi_identifiers = list(quasi_identifiers or anonymise.DEFAULT_QUASI_IDENTIFIERS)
    validate_project(k=k, quasi_identifiers=quasi_identifiers, allowed=allowed)
    if type(project).objects.filter(**owner, name=name).exists():
        raise ValidationError({"name": [taken]})
    project.name, project.description, project.k = name, description, k
    project.quasi_identifiers = [q for q in allowed if q in quasi_identifiers]
    project.max_suppressed_percent = max_suppressed_percent
    project.full_clean()
    project.save()
    return project


#: Settings that decide what an export reveals. Once a project has an export
#: they are fixed: two exports of one project built with different
#: generalisations could be laid side by side to single someone out.
PRIVACY_SETTINGS = ("k", "quasi_identifiers", "max_suppressed_percent")


def project_has_exports(project: EvaluationProject) -> bool:
    return EvaluationExport.objects.filter(project=project).exists()


def _field_words(name: str) -> str:
    """A project field as the form calls it ("minimum group size k"), never its name."""
    return str(EvaluationProject._meta.get_field(name).verbose_name)


@transaction.atomic
def project_update(*, project: EvaluationProject, by: User, **changes) -> EvaluationProject:
    """Renames or re-describes a project; its privacy settings change only
    while it has no export. Refused with field errors and nothing saved."""
    locked = EvaluationProject.objects.select_for_update().get(pk=project.pk)
    if "quasi_identifiers" in changes:
        chosen = list(changes["quasi_identifiers"] or [])
        changes["quasi_identifiers"] = [q for q in anonymise.QUASI_IDENTIFIERS if q in chosen] or chosen
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    errors: dict[str, list[str]] = {}
    fixed = [name for name in changed if name in PRIVACY_SETTINGS]
    if fixed and project_has_exports(locked):
        for name in fixed:
            errors[name] = [
                "This project has exports, so its privacy settings are fixed: exports built with different "
                "settings could be compared to single someone out. Start a new project for other settings."
            ]
    if "k" in changes or "quasi_identifiers" in changes:
        try:
            validate_project(
                k=changes.get("k", locked.k),
                quasi_identifiers=changes.get("quasi_identifiers", locked.quasi_identifiers),
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, messages)
    name = changes.get("name", locked.name)
    if (
        "name" in changed
        and EvaluationProject.objects.filter(organisation_id=locked.organisation_id, name=name)
        .exclude(pk=locked.pk)
        .exists()
    ):
        errors["name"] = ["Your organisation already has a project with this name."]
    if errors:
        raise ValidationError(errors)
    if not changed:
        return locked
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.full_clean()
    locked.save(update_fields=changed)
    audit_log(
        action=AuditAction.CHANGE,
        actor=by,
        obj=locked,
        summary=f"Evaluation project changed: {', '.join(_field_words(field) for field in changed)}",
    )
    return locked


def filter_errors(*, period_from, period_to, measures: list[str]) -> dict[str, list[str]]:
    """The filters every export takes (branch or pooled), checked: field errors, none when fine."""
    errors = {}
    if period_from and period_to and period_to < period_from:
        errors["period_to"] = ["The end of the period is before its start."]
    if set(measures) - set(MeasureCode.values):
        errors["measures"] = ["Choose measures from the list."]
    return errors


def request_fields(*, by: User, period_from, period_to, measures: list[str], format: str) -> dict:
    """A new export's request: who, its filters, and its retention date."""
    return {
        "requested_by": by,
        "period_from": period_from,
        "period_to": period_to,
        "measures": sorted(set(measures)),
        "format": format,
        "expires_at": timezone.now() + timedelta(days=settings.EXPORT_RETENTION_DAYS),
    }


@transaction.atomic
def export_request(
    *,
    project: EvaluationProject,
    by: User,
    period_from=None,
    period_to=None,
    services: list[Service] | None = None,
    measures: list[str] | None = None,
    format: str = "csv",
) -> EvaluationExport:
    """Records the request, audits it with its filters, and queues the build
    once the request commits."""
    services = list(services or [])
    measures = list(measures or [])
    errors = filter_errors(period_from=period_from, period_to=period_to, measures=measures)
    if any(service.organisation_id != project.organisation_id for service in services):
        errors["services"] = ["Choose services of your organisation."]
    if errors:
        raise ValidationError(errors)
    export = EvaluationExport.objects.create(
        organisation_id=project.organisation_id,
        project=project,
        **request_fields(by=by, period_from=period_from, period_to=period_to, measures=measures, format=format),
    )
    export.services.set(services)
    filters = (
        f"period {period_from or 'any'} to {period_to or 'any'}; "
        f"services {','.join(str(s.pk) for s in services) or 'all'}; "
        f"measures {','.join(export.measures) or 'all'}; format {format}"
    )
    audit_log(
        action=AuditAction.EXPORT,
        actor=by,
        obj=export,
        summary=f"Export requested for project {project.pk}: {filters}",
    )
    transaction.on_commit(lambda: enqueue_build(export.pk))
    return export


def enqueue_build(export_id: int) -> None:
    from operations.evaluation.tasks import build_export

    build_export.delay(export_id)


@transaction.atomic
def export_cancel(*, export, by: User) -> bool:
    """Cancels a queued or running export; the builder notices between
    chunks and deletes its partial file. False when it had already ended."""
    cancelled = (
        type(export)
        .objects.filter(pk=export.pk, status__in=ACTIVE_STATUSES)
        .update(status=ExportStatus.CANCELLED, finished_at=timezone.now())
    )
    if not cancelled:
        raise ValidationError({"status": ["This export has already finished and cannot be cancelled."]})
    audit_log(action=AuditAction.CHANGE, actor=by, obj=export, summary="Export cancelled")
    export.refresh_from_db()
    return True


def export_discard(*, export: EvaluationExport, by: User) -> EvaluationExport:
    """Discards a finished export: its file is deleted at once and it can no
    longer be downloaded; the row stays, marked discarded, with who did it,
    and the audit log keeps who made and downloaded it. Refused for an export
    still being built (cancel it) or already discarded, and nothing changes."""
    with transaction.atomic():
        locked = EvaluationExport.objects.select_for_update().get(pk=export.pk)
        if locked.status == ExportStatus.DISCARDED:
            raise ValidationError({"status": ["This export is already discarded."]})
        if locked.status != ExportStatus.DONE:
            raise ValidationError(
                {"status": ["Only a finished export can be discarded; cancel one that is still being built."]}
            )
        path = locked.path
        locked.status = ExportStatus.DISCARDED
        locked.discarded_at = timezone.now()
        locked.discarded_by = by
        locked.file_name = ""
        locked.file_size = 0
        locked.save(update_fields=["status", "discarded_at", "discarded_by", "file_name", "file_size"])
        audit_log(action=AuditAction.DELETE, actor=by, obj=locked, summary="Export discarded")
        # Last: should anything above fail, the export is still whole.
        if path is not None:
            path.unlink(missing_ok=True)
    export.refresh_from_db()
    return locked


def _claim(model, export_id: int, now: datetime) -> bool:
    """queued -> running, once. A build left "running" by a worker that died
    (older than the time limit) may be claimed again: acks_late redelivers it."""
    stale = now - timedelta(seconds=settings.EXPORT_TASK_SOFT_TIME_LIMIT + 120)
    return bool(
        model.objects.filter(
            Q(status=ExportStatus.QUEUED) | Q(status=ExportStatus.RUNNING, started_at__lt=stale), pk=export_id
        ).update(status=ExportStatus.RUNNING, started_at=now, progress=0)
    )


def mark_done(export, fields: dict) -> bool:
    """running -> done with the file and its counts; False if it was cancelled meanwhile."""
    return bool(
        type(export)
        .objects.filter(pk=export.pk, status=ExportStatus.RUNNING)
        .update(status=ExportStatus.DONE, progress=100, **fields)
    )


def _branch_done(export: EvaluationExport, builder: Builder, fields: dict) -> bool:
    done = mark_done(export, fields)
    if done:
        _notify_ready(export)
    return done


def export_build(*, export_id: int) -> str:
    """Builds the export's file (called by the task). Returns the final status."""
    return run_build(model=EvaluationExport, export_id=export_id, builder=Builder, finish=_branch_done)


def run_build(*, model, export_id: int, builder: Callable, finish: Callable, prefix: str = "export") -> str:
    """Claims the export of ``model``, builds its file with ``builder(export)``
    and hands it to ``finish(export, builder, fields)``, which marks it done
    (and whatever goes with that) and says whether it was still running.
    Branch and pooled exports alike; returns the final status."""
    now = timezone.now()
    if not _claim(model, export_id, now):
        return "not-claimed"
    export = model.objects.select_related("project").get(pk=export_id)
    settings.EXPORTS_DIR.mkdir(parents=True, exist_ok=True)
    file_name = f"{prefix}-{export.pk}-{secrets.token_hex(8)}.zip"
    partial = settings.EXPORTS_DIR / f"{file_name}.part"
    try:
        made = builder(export)
        counts = made.build(partial)
    except Cancelled:
        partial.unlink(missing_ok=True)
        return ExportStatus.CANCELLED
    except Exception as exc:
        # Time limits and errors alike: no partial file is left behind, and
        # the reason recorded is the error's type only (never a value).
        partial.unlink(missing_ok=True)
        model.objects.filter(pk=export.pk, status=ExportStatus.RUNNING).update(
            status=ExportStatus.FAILED, error=type(exc).__name__[:200], finished_at=timezone.now()
        )
        logger.warning("export %s failed: %s", export.pk, type(exc).__name__)
        raise
    final = settings.EXPORTS_DIR / file_name
    partial.rename(final)
    finished = timezone.now()
    fields = {
        "file_name": file_name,
        "file_size": final.stat().st_size,
        "finished_at": finished,
        "expires_at": finished + timedelta(days=settings.EXPORT_RETENTION_DAYS),
        **counts,
    }
    if not finish(export, made, fields):  # cancelled after the last chunk: the file goes too
        final.unlink(missing_ok=True)
        return ExportStatus.CANCELLED
    return ExportStatus.DONE


def _notify_ready(export: EvaluationExport) -> None:
    """Tells the requester in the app and by email; no personal data, no link token."""
    if export.requested_by_id is None:
        return
    from operations.notifications.due import Due, reminders_write

    with transaction.atomic():
        reminders_write(
            [
                Due(
                    key=f"export-ready:{export.pk}",
                    kind="export_ready",
                    organisation_id=export.organisation_id,
                    subject="Your evaluation export is ready",
                    body=f"Export {export.pk} of evaluation project {export.project_id} is ready to download "
                    f"for {settings.EXPORT_RETENTION_DAYS} days.",
                    link=reverse("evaluation:export-detail", args=[export.pk]),
                    user_ids=(export.requested_by_id,),
                    about=export,
                )
            ],
            enqueue=True,
        )


# --- Downloads ---------------------------------------------------------------


def download_token(*, export, user: User, salt: str = DOWNLOAD_SALT) -> str:
    """A signed token naming the export and the person it was shown to
    (pooled exports sign with their own salt: a branch token opens none)."""
    return signing.dumps({"export": export.pk, "user": user.pk}, salt=salt)


def download_url(*, export: EvaluationExport, user: User) -> str:
    return reverse("evaluation:download", args=[download_token(export=export, user=user)])


class LinkExpired(Exception):
    pass


def export_from_token(*, token: str, user: User, salt: str = DOWNLOAD_SALT) -> int:
    """The export id a token names, if it is this user's and still fresh."""
    try:
        payload = signing.loads(token, salt=salt, max_age=settings.EXPORT_LINK_MAX_AGE_SECONDS)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkExpired from exc
    if payload.get("user") != user.pk:
        raise LinkExpired
    return int(payload["export"])


def export_download(*, export, by: User) -> None:
    """Counts and audits one download of a branch or pooled export (the view streams the file)."""
    if not export.is_downloadable or not export.path.exists():
        raise LinkExpired
    type(export).objects.filter(pk=export.pk).update(download_count=F("download_count") + 1)
    audit_log(action=AuditAction.DOWNLOAD, actor=by, obj=export, summary="Export downloaded")


# --- Retention -----------------------------------------------------------------


def exports_delete(exports) -> int:
    """Deletes the files, then the rows, of ``exports``; returns how many."""
    count = 0
    for export in exports.order_by("pk"):
        if export.path is not None:
            export.path.unlink(missing_ok=True)
        if isinstance(export, EvaluationExport):
            export.services.clear()
        type(export).objects.filter(pk=export.pk).delete()
        count += 1
    return count


def expired_exports_purge(*, now: datetime | None = None) -> int:
    """Daily: deletes every export past its retention date, with its file,
    pooled exports too (their members' inclusions stay)."""
    expired = EvaluationExport.objects.expired(now).exclude(status__in=ACTIVE_STATUSES)
    pooled = PooledExport.objects.expired(now).exclude(status__in=ACTIVE_STATUSES)
    return exports_delete(expired) + exports_delete(pooled)
