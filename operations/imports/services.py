"""The import engine: upload, map, check (a dry run that writes nothing but
the batch's own problem list), apply (all or nothing, or the valid rows
only), cancel and undo. Pages, the ``import_data`` command and the worker's
tasks all call these.

Each row goes through its kind (``operations.imports.kinds``): ``check``
never writes; ``apply`` writes through the existing services. The engine
keeps the external ids (``ImportedRecord``) so the same file imported again
changes nothing, and a changed row updates its record (audited)."""

from __future__ import annotations

import logging
import math
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.models import Organisation, User
from operations.core.plans import planned_for_the_values
from operations.imports.blank_files import EXAMPLE_ID
from operations.imports.cells import fold
from operations.imports.kinds import KINDS
from operations.imports.kinds.base import Checked, ImportContext, ImportKind, Planned, Problem
from operations.imports.models import (
    RUNNING_STATUSES,
    ApplyMode,
    BatchStatus,
    ImportAction,
    ImportBatch,
    ImportedRecord,
    ImportProblem,
)
from operations.imports.reading import FileProblem, Table, open_table

logger = logging.getLogger(__name__)

#: At most this many problems are kept per batch (the first ones); the count is exact.
MAX_PROBLEMS_KEPT = 5000
_PROGRESS_KEY = "imports:progress:{}"
_CANCEL_KEY = "imports:cancel:{}"


class Cancelled(Exception):
    """A manager cancelled the run: everything it wrote is rolled back."""


class _RollBack(Exception):
    """All or nothing, and some row had a problem: undo the whole apply."""


def kind_for(key: str) -> ImportKind:
    try:
        return KINDS[key]
    except KeyError:
        raise ValidationError({"kind": "Choose what you are importing from the list."}) from None


def known_headers(kind: ImportKind) -> list[str]:
    return [name for column in kind.columns for name in (column.header, *column.aliases)]


def auto_mapping(kind: ImportKind, headers: list[str]) -> dict[str, str]:
    """File column (its position, as text) -> the kind's column header, or ""
    when unrecognised. A column is used once: the first file column wins."""
    by_fold: dict[str, str] = {}
    for column in kind.columns:
        for name in (column.header, *column.aliases):
            by_fold.setdefault(fold(name), column.header)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        target = by_fold.get(fold(header), "")
        if target in used:
            target = ""
        if target:
            used.add(target)
        mapping[str(index)] = target
    return mapping


def missing_required(kind: ImportKind, mapping: dict[str, str]) -> list[str]:
    mapped = set(mapping.values())
    return [column.header for column in kind.columns if column.required and column.header not in mapped]


# --- The stored upload ---------------------------------------------------------


def _path(batch: ImportBatch) -> Path | None:
    return settings.IMPORTS_DIR / batch.stored_file if batch.stored_file else None


def _store(source, file_name: str) -> tuple[str, int]:
    """Copies the upload (a Django UploadedFile, or a path) into IMPORTS_DIR."""
    settings.IMPORTS_DIR.mkdir(parents=True, exist_ok=True)
    suffix = Path(file_name).suffix.lower()[:8]
    stored = f"import-{secrets.token_hex(12)}{suffix}"
    target = settings.IMPORTS_DIR / stored
    size = 0
    with target.open("wb") as out:
        if isinstance(source, (str, Path)):
            with Path(source).open("rb") as handle:
                while chunk := handle.read(1024 * 1024):
                    out.write(chunk)
                    size += len(chunk)
        else:
            for chunk in source.chunks():
                out.write(chunk)
                size += len(chunk)
    return stored, size


def _delete_file(batch: ImportBatch) -> None:
    path = _path(batch)
    if path is not None:
        path.unlink(missing_ok=True)
    batch.stored_file = ""


def _table(batch: ImportBatch) -> Table:
    path = _path(batch)
    if path is None or not path.exists():
        raise ValidationError({"file": "The uploaded file is no longer kept: upload it again."})
    try:
        return open_table(path, batch.file_name, known_headers(kind_for(batch.kind)))
    except FileProblem as problem:
        raise ValidationError({"file": problem.message}) from None


# --- Upload and mapping ----------------------------------------------------------


def batch_create(*, organisation: Organisation, actor: User | None, kind: str, source, file_name: str) -> ImportBatch:
    """Stores the upload and reads its headers; a file that cannot be read is
    refused with a ValidationError on "file" and nothing is kept."""
    import_kind = kind_for(kind)
    file_name = Path(file_name).name[:200] or "upload"
    stored, size = _store(source, file_name)
    try:
        table = open_table(settings.IMPORTS_DIR / stored, file_name, known_headers(import_kind))
        rows = table.count_rows()
    except FileProblem as problem:
        (settings.IMPORTS_DIR / stored).unlink(missing_ok=True)
        raise ValidationError({"file": problem.message}) from None
    except Exception:
        (settings.IMPORTS_DIR / stored).unlink(missing_ok=True)
        raise
    batch = ImportBatch.objects.create(
        organisation=organisation,
        kind=import_kind.key,
        file_name=file_name,
        uploaded_by=actor,
        headers=table.headers,
        mapping=auto_mapping(import_kind, table.headers),
        stored_file=stored,
        file_size=size,
        rows_total=rows,
        progress_total=rows,
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        obj=batch,
        organisation=organisation,
        summary=f"Import uploaded: {import_kind.key}, {rows} rows, {len(table.headers)} columns",
    )
    return batch


def batch_map(*, batch: ImportBatch, actor: User | None, mapping: dict[str, str]) -> ImportBatch:
    """The manager's choice of column for each file column ("" ignores it)."""
    kind = kind_for(batch.kind)
    valid = {column.header for column in kind.columns}
    errors: dict[str, str] = {}
    chosen: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for index in range(len(batch.headers)):
        target = mapping.get(str(index), "")
        if target and target not in valid:
            errors[str(index)] = "Choose one of the columns in the list, or ignore this one."
        elif target and target in chosen:
            errors[str(index)] = f"“{target}” is already chosen for “{batch.headers[int(chosen[target])]}”."
        elif target:
            chosen[target] = str(index)
        cleaned[str(index)] = target
    if batch.status not in (BatchStatus.DRAFT, BatchStatus.CHECKED, BatchStatus.FAILED):
        errors["__all__"] = "This import has already run: upload the file again to change the columns."
    if errors:
        raise ValidationError(errors)
    batch.mapping = cleaned
    batch.status = BatchStatus.DRAFT
    batch.save(update_fields=["mapping", "status"])
    return batch


# --- Rows ---------------------------------------------------------------------


def _mapped_rows(batch: ImportBatch, kind: ImportKind, table: Table) -> Iterator[tuple[int, dict[str, str]]]:
    targets = [(int(index), target) for index, target in batch.mapping.items() if target]
    blank = {column.header: "" for column in kind.columns}
    for line, cells in table.rows():
        row = dict(blank)
        for index, target in targets:
            if index < len(cells):
                row[target] = cells[index]
        yield line, row


def _problems_of(error: ValidationError) -> list[Problem]:
    """A service's refusal as row problems (its field names are not shown)."""
    if hasattr(error, "message_dict"):
        return [
            Problem("", message, "Correct the row and check the file again.")
            for messages in error.message_dict.values()
            for message in messages
        ]
    return [Problem("", message, "Correct the row and check the file again.") for message in error.messages]


@dataclass
class Outcome:
    rows: int = 0
    ok: int = 0
    with_problems: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0


class _Run:
    """One pass over the file: check every row (and apply it, when applying)."""

    def __init__(self, batch: ImportBatch, *, apply: bool, actor: User | None) -> None:
        self.batch = batch
        self.kind = kind_for(batch.kind)
        self.apply = apply
        self.actor = actor
        self.context = ImportContext(
            batch.organisation, actor, today=timezone.localdate(), dry_run=not apply, file_name=batch.file_name
        )
        self.outcome = Outcome()
        self.problems: list[ImportProblem] = []
        self.problem_count = 0
        self.every = settings.IMPORT_PROGRESS_EVERY
        self.content_type = ContentType.objects.get_for_model(self.kind.model)

    def add_problems(self, line: int, problems: list[Problem]) -> None:
        self.problem_count += len(problems)
        for problem in problems:
            if len(self.problems) < MAX_PROBLEMS_KEPT:
                self.problems.append(
                    ImportProblem(
                        batch=self.batch,
                        line=line,
                        column=problem.column[:200],
                        problem=problem.problem[:500],
                        fix=problem.fix[:500],
                    )
                )

    def run(self, table: Table) -> Outcome:
        missing = missing_required(self.kind, self.batch.mapping)
        if missing:
            self.add_problems(
                0,
                [
                    Problem(
                        header,
                        f"No column of the file is used for “{header}”, which every row needs.",
                        f"Add a “{header}” column, or choose which column it is on the columns step.",
                    )
                    for header in missing
                ],
            )
        chunk: list[tuple[int, dict[str, str]]] = []
        for line, row in _mapped_rows(self.batch, self.kind, table):
            chunk.append((line, row))
            if len(chunk) >= self.every:
                self.chunk(chunk)
                chunk = []
                self.tick(self.outcome.rows)
        self.chunk(chunk)
        self.tick(self.outcome.rows)
        return self.outcome

    def tick(self, done: int) -> None:
        progress_write(self.batch.pk, done)
        if cancel_requested(self.batch.pk):
            raise Cancelled

    def chunk(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        """Checks a chunk of rows (their earlier imports read in one query),
        then, when applying, writes its valid rows together."""
        if not rows:
            return
        self.context.prefetch(self.kind.key, [row.get("External ID", "")[:100] for _, row in rows])
        self.kind.prepare_chunk([row for _, row in rows], self.context)
        pending: list[Checked] = []
        for line, row in rows:
            checked = self.row(line, row)
            if checked is not None:
                pending.append(checked)
        if pending:
            self.apply_chunk(pending)

    def row(self, line: int, row: dict[str, str]) -> Checked | None:
        """Checks one row; returns it when it is to be applied (with its chunk)."""
        if row.get("External ID", "").strip().upper() == EXAMPLE_ID:
            return None  # the template's example row
        self.outcome.rows += 1
        checked = self.kind.check(row, line, self.context)
        problems = list(checked.problems)
        if checked.external_id and self.context.handled(self.kind.key, checked.external_id):
            problems.append(
                Problem(
                    "External ID",
                    f"The External ID “{checked.external_id}” is on an earlier row of this file too.",
                    "Give every row its own External ID, or remove the repeated row.",
                )
            )
        if not problems:
            found = self.context.existing(self.kind.key, checked.external_id)
            self.context.remember(
                self.kind.key, checked.external_id, found or Planned(self.kind.key, checked.external_id, line)
            )
            if self.apply:
                return checked
            self.outcome.ok += 1
            return None
        self.outcome.with_problems += 1
        self.add_problems(line, problems)
        return None

    def apply_chunk(self, pending: list[Checked]) -> None:
        """The chunk's valid rows in one savepoint through the kind's
        ``apply_many``; when that refuses, row by row (each in its own
        savepoint) so every refused row gets its problem."""
        ids = [checked.external_id for checked in pending]
        self.context.forget(self.kind.key, ids)
        try:
            with transaction.atomic():
                applied = self.kind.apply_many(pending, self.context)
                self.keep_many(pending, applied)
        except (ValidationError, DatabaseError) as error:
            logger.info("import %s: a chunk falls back to row by row (%s)", self.batch.pk, type(error).__name__)
            self.context.forget(self.kind.key, ids)
            for checked in pending:
                problems = self.apply_row(checked)
                if problems:
                    self.outcome.with_problems += 1
                    self.add_problems(checked.line, problems)
                else:
                    self.outcome.ok += 1
            return
        for checked, one in zip(pending, applied, strict=True):
            self.context.remember(self.kind.key, checked.external_id, one.record)
            setattr(self.outcome, one.action, getattr(self.outcome, one.action) + 1)
            self.outcome.ok += 1

    def apply_row(self, checked: Checked) -> list[Problem]:
        try:
            with transaction.atomic():  # a savepoint: a refused row leaves nothing behind
                applied = self.kind.apply(checked, self.context)
                self.keep(checked, applied.record, applied.action)
        except ValidationError as error:
            return _problems_of(error)
        except DatabaseError as error:
            logger.warning("import %s line %s not saved: %s", self.batch.pk, checked.line, type(error).__name__)
            return [Problem("", "This row could not be saved.", "Check the row's values and try again.")]
        self.context.remember(self.kind.key, checked.external_id, applied.record)
        setattr(self.outcome, applied.action, getattr(self.outcome, applied.action) + 1)
        return []

    def keep_many(self, pending: list[Checked], applied: list) -> None:
        """``keep`` for a chunk: the created rows' external ids in one query."""
        created = [(c, a) for c, a in zip(pending, applied, strict=True) if a.action == ImportAction.CREATED]
        for checked, one in zip(pending, applied, strict=True):
            if one.action == ImportAction.UPDATED:
                self.keep(checked, one.record, one.action)
        if not created:
            return
        now = timezone.now()
        stale = [c.external_id for c, _ in created if self.context.imported_before(self.kind.key, c.external_id)]
        if stale:  # an id imported before whose record was deleted since
            ImportedRecord.objects.filter(
                organisation=self.batch.organisation, kind=self.kind.key, external_id__in=stale
            ).delete()
        ImportedRecord.objects.bulk_create(
            [
                ImportedRecord(
                    organisation=self.batch.organisation,
                    kind=self.kind.key,
                    external_id=checked.external_id,
                    batch=self.batch,
                    last_batch=self.batch,
                    content_type=self.content_type,
                    object_id=one.record.pk,
                    line=checked.line,
                    action=ImportAction.CREATED,
                    imported_at=now,
                )
                for checked, one in created
            ]
        )

    def keep(self, checked: Checked, record, action: str) -> None:
        """The external id -> record row; an update is audited."""
        if action == ImportAction.UNCHANGED:
            return
        now = timezone.now()
        if action == ImportAction.CREATED:
            ImportedRecord.objects.update_or_create(
                organisation=self.batch.organisation,
                kind=self.kind.key,
                external_id=checked.external_id,
                defaults={
                    "batch": self.batch,
                    "last_batch": self.batch,
                    "content_type": self.content_type,
                    "object_id": record.pk,
                    "line": checked.line,
                    "action": ImportAction.CREATED,
                    "imported_at": now,
                },
            )
            return
        ImportedRecord.objects.filter(
            organisation=self.batch.organisation, kind=self.kind.key, external_id=checked.external_id
        ).update(last_batch=self.batch, action=ImportAction.UPDATED, imported_at=now)
        audit_log(
            action=AuditAction.CHANGE,
            actor=self.actor,
            obj=record,
            organisation=self.batch.organisation,
            summary=f"Changed by import {self.batch.pk} (line {checked.line})",
        )


# --- Progress and cancelling ---------------------------------------------------------


def progress_write(batch_id: int, done: int) -> None:
    """Written to the cache: an apply runs in one transaction, which the page cannot see into."""
    cache.set(_PROGRESS_KEY.format(batch_id), done, timeout=6 * 3600)


def progress_of(batch: ImportBatch) -> int:
    """Percent done of the running check or apply."""
    if not batch.progress_total:
        return 0
    done = cache.get(_PROGRESS_KEY.format(batch.pk))
    if done is None:
        done = batch.progress_done
    return min(100, round(100 * done / batch.progress_total))


def cancel_requested(batch_id: int) -> bool:
    if cache.get(_CANCEL_KEY.format(batch_id)):
        return True
    return ImportBatch.objects.filter(pk=batch_id, cancel_requested=True).exists()


def batch_cancel(*, batch: ImportBatch, actor: User | None) -> ImportBatch:
    """Asks the running check or import to stop; it stops at the next chunk
    and an import rolls back everything it wrote. One that no run holds
    (still waiting for the worker, or its worker died) stops at once."""
    if batch.status not in RUNNING_STATUSES:
        raise ValidationError({"status": "This import is not running: there is nothing to cancel."})
    cache.set(_CANCEL_KEY.format(batch.pk), True, timeout=6 * 3600)
    ImportBatch.objects.filter(pk=batch.pk).update(cancel_requested=True)
    stopped = _cancel_unheld(batch.pk, timezone.now())
    summary = "Import cancelled (no run was on it)" if stopped else "Import cancel requested"
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=batch, summary=summary)
    batch.refresh_from_db()
    return batch


# --- Runs that stopped (the worker died) ------------------------------------------------

#: What the manager reads when a check or import stopped without finishing.
STOPPED = "The import stopped before it finished: nothing was imported. Check the file again."

#: How a cancelled run ends: a check goes back to uploaded, an import is cancelled.
_CANCELLED = {
    BatchStatus.CHECKING: (BatchStatus.DRAFT, "Cancelled"),
    BatchStatus.APPLYING: (BatchStatus.CANCELLED, "Cancelled: nothing was imported."),
}


def _run_limit() -> timedelta:
    """A run that began longer ago than this has stopped: the task's hard time
    limit (soft + 60 s) ends every live run before then (the exports' rule)."""
    return timedelta(seconds=settings.IMPORT_TASK_SOFT_TIME_LIMIT + 120)


def _unheld(now: datetime) -> Q:
    """Running batches no live run holds: none has begun yet, or it began before the limit."""
    return Q(started_at__isnull=True) | Q(started_at__lt=now - _run_limit())


def _cancel_unheld(batch_id: int, now: datetime) -> bool:
    """Ends a cancelled check or import at once when no run holds it (a live
    run reads the request itself at its next chunk)."""
    ended = 0
    for running, (status, reason) in _CANCELLED.items():
        ended += ImportBatch.objects.filter(_unheld(now), pk=batch_id, status=running, cancel_requested=True).update(
            status=status, error=reason
        )
    return bool(ended)


def _begin(batch_id: int, status: str) -> bool:
    """The run's own claim, once: a batch waiting for its run, or one whose run
    stopped (acks_late delivers the task again after its worker died). An
    import that stopped was rolled back whole (it is one transaction), so it
    starts over."""
    now = timezone.now()
    before = ImportBatch.objects.filter(pk=batch_id).values_list("started_at", flat=True).first()
    begun = ImportBatch.objects.filter(_unheld(now), pk=batch_id, status=status, cancel_requested=False).update(
        started_at=now, progress_done=0
    )
    if not begun:
        _cancel_unheld(batch_id, now)  # cancelled while its worker was dead
        return False
    cache.delete(_PROGRESS_KEY.format(batch_id))  # a dead run's progress is not this one's
    if before is not None:
        logger.info("import %s: a run that stopped is started again", batch_id)
        batch = ImportBatch.objects.get(pk=batch_id)
        audit_log(
            action=AuditAction.CHANGE,
            obj=batch,
            summary=f"Import started again: the run begun on {_when(before)} stopped",
        )
    return True


def seconds_until_unheld(batch_id: int) -> int | None:
    """For a task delivered while its batch's run still looks alive: the
    seconds until that run is past its limit. None when the batch no longer runs."""
    started = (
        ImportBatch.objects.filter(pk=batch_id, status__in=RUNNING_STATUSES, started_at__isnull=False)
        .values_list("started_at", flat=True)
        .first()
    )
    if started is None:
        return None
    return max(1, math.ceil((started + _run_limit() - timezone.now()).total_seconds()) + 1)


def _when(moment: datetime) -> str:
    """A moment as the charity reads it: 14 Feb 2028 at 09:30 (its own time)."""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b %Y} at {local:%H:%M}"


def stopped_runs_fail(*, now: datetime | None = None) -> int:
    """The periodic sweep. A cancelled run that stopped ends as cancelled; a
    run still "running" long after it stopped (the limit, and the broker's
    wait before it delivers the task again, have both passed) is marked
    failed, so the manager can check the file again. Returns how many failed."""
    now = now or timezone.now()
    for batch_id in ImportBatch.objects.filter(status__in=RUNNING_STATUSES, cancel_requested=True).values_list(
        "pk", flat=True
    ):
        _cancel_unheld(batch_id, now)
    redelivery = timedelta(seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 0))
    long_ago = now - _run_limit() - redelivery
    never_begun = Q(started_at__isnull=True) & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=long_ago))
    failed = 0
    for batch in ImportBatch.objects.filter(Q(started_at__lt=long_ago) | never_begun, status__in=RUNNING_STATUSES):
        # Only if nothing began it meanwhile.
        if ImportBatch.objects.filter(pk=batch.pk, status=batch.status, started_at=batch.started_at).update(
            status=BatchStatus.FAILED, error=STOPPED
        ):
            began = f"begun on {_when(batch.started_at)}" if batch.started_at else "never begun"
            audit_log(
                action=AuditAction.CHANGE,
                obj=batch,
                summary=f"Import marked failed: its run ({began}) stopped before it finished",
            )
            failed += 1
    return failed


# --- Check and apply ------------------------------------------------------------------


def _worker_wanted(batch: ImportBatch) -> bool:
    return batch.rows_total > settings.IMPORT_WORKER_ROWS


def _claim(batch_id: int, *, from_statuses: tuple[str, ...], to_status: str, mode: str | None = None) -> bool:
    """The request's claim: the run itself begins later (``_begin``), at once or on the worker."""
    fields = {
        "status": to_status,
        "progress_done": 0,
        "cancel_requested": False,
        "error": "",
        "claimed_at": timezone.now(),
        "started_at": None,
    }
    if mode:
        fields["mode"] = mode
    claimed = bool(ImportBatch.objects.filter(pk=batch_id, status__in=from_statuses).update(**fields))
    if claimed:
        cache.delete_many([_PROGRESS_KEY.format(batch_id), _CANCEL_KEY.format(batch_id)])
    return claimed


def batch_check(*, batch: ImportBatch, actor: User | None, inline: bool | None = None) -> ImportBatch:
    """The dry run: every row checked, nothing written but the problem list.
    A large file goes to the worker (the page shows its progress)."""
    again = (BatchStatus.DRAFT, BatchStatus.CHECKED, BatchStatus.FAILED)  # failed: e.g. its run stopped
    if not _claim(batch.pk, from_statuses=again, to_status=BatchStatus.CHECKING):
        raise ValidationError({"status": "This import is already running or has run."})
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=batch, summary="Import checked (dry run)")
    return _run_or_send(batch, actor, inline, run=run_check, task_name="check_batch")


def batch_apply(*, batch: ImportBatch, actor: User | None, mode: str, inline: bool | None = None) -> ImportBatch:
    """Imports the checked file: all or nothing (the default), or the valid rows only."""
    if mode not in ApplyMode.values:
        raise ValidationError({"mode": "Choose how to import."})
    if batch.status != BatchStatus.CHECKED:
        raise ValidationError({"status": "Check the file before importing it."})
    if mode == ApplyMode.ALL_OR_NOTHING and batch.rows_with_problems:
        raise ValidationError(
            {"mode": "Some rows have problems: fix them and upload the file again, or import the valid rows only."}
        )
    if not _claim(batch.pk, from_statuses=(BatchStatus.CHECKED,), to_status=BatchStatus.APPLYING, mode=mode):
        raise ValidationError({"status": "This import is already running or has run."})
    return _run_or_send(batch, actor, inline, run=run_apply, task_name="apply_batch")


def _run_or_send(batch: ImportBatch, actor: User | None, inline: bool | None, *, run, task_name: str) -> ImportBatch:
    """Runs a claimed check or apply now (a small file), or sends its ids to the worker."""
    actor_id = actor.pk if actor else None
    if inline is None:
        inline = not _worker_wanted(batch)
    if inline:
        run(batch.pk, actor_id=actor_id)
    else:
        transaction.on_commit(lambda: _enqueue(task_name, batch.pk, actor_id))
    batch.refresh_from_db()
    return batch


def _enqueue(task_name: str, batch_id: int, actor_id: int | None) -> None:
    from operations.imports import tasks

    getattr(tasks, task_name).delay(batch_id, actor_id)


def _save_problems(batch: ImportBatch, run: _Run) -> None:
    ImportProblem.objects.filter(batch=batch).delete()
    for start in range(0, len(run.problems), 1000):
        ImportProblem.objects.bulk_create(run.problems[start : start + 1000])


def _fail(batch_id: int, reason: str, status: str = BatchStatus.FAILED) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(status=status, error=reason[:300])


def run_check(batch_id: int, *, actor_id: int | None = None) -> str:
    """The dry run itself (inline or in the worker). Returns the final status."""
    if not _begin(batch_id, BatchStatus.CHECKING):
        return "not-claimed"
    batch = ImportBatch.objects.select_related("organisation").get(pk=batch_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    run = _Run(batch, apply=False, actor=actor)
    try:
        table = _table(batch)
        outcome = run.run(table)
    except Cancelled:
        status, reason = _CANCELLED[BatchStatus.CHECKING]
        _fail(batch_id, reason, status)
        return BatchStatus.CANCELLED
    except ValidationError as error:
        _fail(batch_id, " ".join(error.messages))
        return BatchStatus.FAILED
    except FileProblem as problem:
        _fail(batch_id, problem.message)
        return BatchStatus.FAILED
    except Exception as error:  # the time limit, a lost database: not left "Checking"
        _fail(batch_id, f"The check failed ({type(error).__name__}): nothing was imported. Check the file again.")
        logger.warning("import %s check failed: %s", batch_id, type(error).__name__)
        raise
    with transaction.atomic():
        _save_problems(batch, run)
        ImportBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.CHECKED,
            checked_at=timezone.now(),
            rows_total=outcome.rows,
            progress_total=outcome.rows,
            progress_done=outcome.rows,
            rows_ok=outcome.ok,
            rows_with_problems=outcome.with_problems + (1 if run.problems and run.problems[0].line == 0 else 0),
        )
    return BatchStatus.CHECKED


def run_apply(batch_id: int, *, actor_id: int | None = None) -> str:
    """The import itself, in one transaction (inline or in the worker)."""
    if not _begin(batch_id, BatchStatus.APPLYING):
        return "not-claimed"
    batch = ImportBatch.objects.select_related("organisation").get(pk=batch_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    run = _Run(batch, apply=True, actor=actor)
    all_or_nothing = batch.mode == ApplyMode.ALL_OR_NOTHING
    try:
        table = _table(batch)
        # Planned for the values: the tables grow by thousands of rows within
        # this one transaction, and a plan PostgreSQL settled on for the first
        # chunks would go on scanning them whole (50,000 rows: 193 s, not 70).
        with transaction.atomic(), planned_for_the_values():
            outcome = run.run(table)
            if all_or_nothing and run.problem_count:
                raise _RollBack
            if missing_required(run.kind, batch.mapping):
                raise _RollBack
            outcome.skipped = outcome.with_problems
            ImportBatch.objects.filter(pk=batch_id).update(
                status=BatchStatus.APPLIED,
                applied_at=timezone.now(),
                applied_by=actor,
                rows_total=outcome.rows,
                progress_done=outcome.rows,
                rows_ok=outcome.ok,
                rows_with_problems=outcome.with_problems,
                created_count=outcome.created,
                updated_count=outcome.updated,
                unchanged_count=outcome.unchanged,
                skipped_count=outcome.skipped,
            )
            _save_problems(batch, run)
            audit_log(
                action=AuditAction.CREATE,
                actor=actor,
                obj=batch,
                organisation=batch.organisation,
                summary=(
                    f"Import applied: {outcome.created} created, {outcome.updated} updated, "
                    f"{outcome.unchanged} unchanged, {outcome.skipped} skipped"
                ),
            )
    except Cancelled:
        status, reason = _CANCELLED[BatchStatus.APPLYING]
        _fail(batch_id, reason, status)
        return BatchStatus.CANCELLED
    except _RollBack:
        # Nothing of the apply is kept: back to checked, with what went wrong.
        with transaction.atomic():
            _save_problems(batch, run)
            ImportBatch.objects.filter(pk=batch_id).update(
                status=BatchStatus.CHECKED,
                rows_with_problems=max(run.outcome.with_problems, 1),
                rows_ok=run.outcome.ok,
                error="Nothing was imported: some rows have problems.",
            )
        return BatchStatus.CHECKED
    except ValidationError as error:
        _fail(batch_id, " ".join(error.messages))
        return BatchStatus.FAILED
    except FileProblem as problem:
        _fail(batch_id, problem.message)
        return BatchStatus.FAILED
    except Exception as error:
        _fail(batch_id, f"The import failed ({type(error).__name__}): nothing was imported.")
        logger.warning("import %s failed: %s", batch_id, type(error).__name__)
        raise
    batch.refresh_from_db()
    _delete_file(batch)
    batch.save(update_fields=["stored_file"])
    return BatchStatus.APPLIED


# --- Undo ---------------------------------------------------------------------------


def batch_undo(*, batch: ImportBatch, actor: User | None) -> ImportBatch:
    """Deletes what the batch created, while none of it has been used since.
    Refused, with the records that were used, otherwise: nothing is deleted.
    Records the batch only updated keep their new values."""
    kind = kind_for(batch.kind)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != BatchStatus.APPLIED:
            raise ValidationError({"status": "Only an import that was applied can be undone."})
        imported = list(
            ImportedRecord.objects.filter(batch=locked).select_related("content_type").order_by("-line", "-pk")
        )
        pairs = [(item, item.record) for item in imported]
        used = [
            item
            for item, record in pairs
            if record is not None and not kind.untouched(record, item.imported_at) or item.last_batch_id != locked.pk
        ]
        if used:
            listed = ", ".join(f"line {item.line} ({item.external_id})" for item in sorted(used, key=lambda i: i.line))
            raise ValidationError(
                {
                    "status": (
                        f"This import cannot be undone: {len(used)} of its records have been used or changed since "
                        f"({listed[:1500]}). Change or remove those records by hand."
                    )
                }
            )
        for item, record in pairs:
            if record is not None:
                kind.undo(record)
            item.delete()
        locked.status = BatchStatus.UNDONE
        locked.undone_at = timezone.now()
        locked.undone_count = len(pairs)
        _delete_file(locked)
        locked.save(update_fields=["status", "undone_at", "undone_count", "stored_file"])
        audit_log(
            action=AuditAction.DELETE,
            actor=actor,
            obj=locked,
            organisation=locked.organisation,
            summary=f"Import undone: {len(pairs)} records deleted",
        )
    batch.refresh_from_db()
    return batch


# --- Reports, retention --------------------------------------------------------------


def problem_rows(batch: ImportBatch) -> Iterator[list[str]]:
    """The report as rows for a CSV: line, column, problem, fix."""
    yield ["Line", "Column", "Problem", "How to fix it"]
    for problem in batch.problems.order_by("line", "pk").iterator(chunk_size=1000):
        yield [str(problem.line) if problem.line else "Whole file", problem.column, problem.problem, problem.fix]


def expired_batches_purge(*, now=None) -> int:
    """Deletes the files and problem lists of batches past IMPORT_RETENTION_DAYS
    (the batch's history row and its external ids stay). Returns how many."""
    expired = ImportBatch.objects.expired(now)
    return batches_for_retention(expired.filter(Q(problems__isnull=False) | ~Q(stored_file="")).distinct())


def batches_for_retention(batches) -> int:
    """Deletes these batches' stored files and problem lists (not while they run)."""
    count = 0
    for batch in batches.exclude(status__in=RUNNING_STATUSES).iterator():
        _delete_file(batch)
        batch.save(update_fields=["stored_file"])
        batch.problems.all().delete()
        count += 1
    return count


# --- Data protection -------------------------------------------------------------------


def imported_records_of_parent(parent_id: int):
    """The ImportedRecord rows of a parent's records: her own, and any record
    with a ``parent`` foreign key to her (children, pregnancies, referrals…)."""
    from django.db.models import Q

    from referrals.models import Parent

    wanted = Q(content_type=ContentType.objects.get_for_model(Parent), object_id=parent_id)
    for content_type_id in ImportedRecord.objects.values_list("content_type_id", flat=True).distinct():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or model is Parent:
            continue
        field = next((f for f in model._meta.concrete_fields if f.is_relation and f.related_model is Parent), None)
        if field is not None:
            ids = model._base_manager.filter(**{field.name: parent_id}).values("pk")
            wanted |= Q(content_type_id=content_type_id, object_id__in=ids)
    return ImportedRecord.objects.filter(wanted)


def imported_records_forget_parent(*, parent_id: int) -> int:
    """Erasure: the external ids of her records go (the records themselves are erased by their apps)."""
    deleted, _ = imported_records_of_parent(parent_id).delete()
    return deleted
