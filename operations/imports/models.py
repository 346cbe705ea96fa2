"""Import batches (one uploaded file of one kind), their problems, and the
records they created (``ImportedRecord``: the external id -> the record).

Managers only: ``visible_to`` gives a manager their organisation's rows and
everyone else nothing. The uploaded file is kept privately under
``IMPORTS_DIR`` until the batch is applied, undone or old
(``IMPORT_RETENTION_DAYS``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from operations.core.models import Organisation

# Managers of the organisation only, as the evaluation exports (the same top layer).
from operations.evaluation.models import ManagersOnlyQuerySet


class BatchStatus(models.TextChoices):
    DRAFT = "draft", "Uploaded"
    CHECKING = "checking", "Checking"
    CHECKED = "checked", "Checked"
    APPLYING = "applying", "Importing"
    APPLIED = "applied", "Imported"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    UNDONE = "undone", "Undone"


#: A worker is on it: the page polls.
RUNNING_STATUSES = (BatchStatus.CHECKING, BatchStatus.APPLYING)


class ApplyMode(models.TextChoices):
    ALL_OR_NOTHING = "all", "All or nothing: import only when every row is right"
    VALID_ONLY = "valid", "Import the rows that are right and skip the others"


class ImportBatchQuerySet(ManagersOnlyQuerySet):
    def expired(self, now=None):
        """Batches whose file and problems are past the retention period."""
        cutoff = (now or timezone.now()) - timezone.timedelta(days=settings.IMPORT_RETENTION_DAYS)
        return self.filter(created_at__lte=cutoff)


class ImportBatch(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    file_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    status = models.CharField(max_length=10, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    mode = models.CharField(max_length=5, choices=ApplyMode.choices, default=ApplyMode.ALL_OR_NOTHING)
    # The file's headers as read, and the manager's mapping: header -> column ("" ignores it).
    headers = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    # Relative to settings.IMPORTS_DIR: never under static or media files.
    stored_file = models.CharField(max_length=100, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(default=0)
    # Counts of the last check or apply.
    rows_total = models.PositiveIntegerField(default=0)
    rows_ok = models.PositiveIntegerField(default=0)
    rows_with_problems = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    undone_count = models.PositiveIntegerField(default=0)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    # The running check or import: when it was asked for, and when a run
    # began on it (empty while it waits for the worker). A run that began
    # longer ago than the task's time limit has stopped: its worker died.
    claimed_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # A short reason without personal data (a file problem, "cancelled").
    error = models.CharField(max_length=300, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"Import {self.pk}"

    @property
    def running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def kind_label(self) -> str:
        from operations.imports.kinds import KINDS

        kind = KINDS.get(self.kind)
        return kind.label if kind else self.kind


class ImportProblem(models.Model):
    """One problem of one row (or of the whole file, line 0) found by the last check."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="problems")
    line = models.PositiveIntegerField()
    column = models.CharField(max_length=200, blank=True)
    problem = models.CharField(max_length=500)
    fix = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["line", "pk"]

    def __str__(self) -> str:
        return f"Line {self.line}: {self.problem}"


class ImportAction(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    UNCHANGED = "unchanged", "Unchanged"


class ImportedRecordQuerySet(ManagersOnlyQuerySet):
    def for_record(self, record):
        return self.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)


class ImportedRecord(models.Model):
    """The record an external id was imported as: kept so a second import of
    the same file updates (or leaves alone) instead of duplicating."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # The batch that created the record, and the last batch that changed it.
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    last_batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="+", null=True, blank=True)
    kind = models.CharField(max_length=40)
    external_id = models.CharField(max_length=100)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    line = models.PositiveIntegerField()
    action = models.CharField(max_length=10, choices=ImportAction.choices, default=ImportAction.CREATED)
    imported_at = models.DateTimeField(default=timezone.now)

    objects = ImportedRecordQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "line", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "external_id"], name="imported_record_unique_external_id"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.external_id}"

    @property
    def record(self):
        model = self.content_type.model_class()
        return model._base_manager.filter(pk=self.object_id).first() if model else None
