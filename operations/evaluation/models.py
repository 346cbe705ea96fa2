"""Evaluation projects (each holds the secret its pseudonyms are made with)
and the anonymised exports built for them.

Managers only: ``visible_to`` gives a manager their organisation's rows and
everyone else nothing. The secret is never shown, serialised or exported."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from operations.core.models import Organisation, OrganisationScopedQuerySet, Role, Service, active_membership
from operations.evaluation.anonymise import DEFAULT_QUASI_IDENTIFIERS

K_MIN, K_MAX = 2, 50
MAX_SUPPRESSED_PERCENT_MAX = 20


def new_secret() -> bytes:
    return secrets.token_bytes(32)


def default_quasi_identifiers() -> list[str]:
    return list(DEFAULT_QUASI_IDENTIFIERS)


class ManagersOnlyQuerySet(OrganisationScopedQuerySet):
    def visible_to(self, user):
        membership = active_membership(user)
        if membership is None or membership.role != Role.MANAGER:
            return self.none()
        return self.in_active_organisation(user)


class EvaluationProject(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="evaluation_projects")
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    # Never shown, serialised or exported: the pseudonyms are only as safe as it.
    secret = models.BinaryField(max_length=32, default=new_secret, editable=False)
    k = models.PositiveSmallIntegerField(
        "k (smallest group size)",
        default=5,
        validators=[MinValueValidator(K_MIN), MaxValueValidator(K_MAX)],
        help_text="Every combination of the quasi-identifiers must describe at least k people.",
    )
    quasi_identifiers = models.JSONField(default=default_quasi_identifiers)
    max_suppressed_percent = models.PositiveSmallIntegerField(
        "Suppress at most this share of rows before generalising further (%)",
        default=5,
        validators=[MaxValueValidator(MAX_SUPPRESSED_PERCENT_MAX)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ManagersOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="evaluation_project_unique_name"),
            models.CheckConstraint(condition=Q(k__gte=K_MIN) & Q(k__lte=K_MAX), name="evaluation_project_k_in_range"),
            models.CheckConstraint(
                condition=Q(max_suppressed_percent__lte=MAX_SUPPRESSED_PERCENT_MAX),
                name="evaluation_project_suppression_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:  # the secret must never reach a log or a traceback
        return f"<EvaluationProject {self.pk}>"


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV files"
    XLSX = "xlsx", "CSV files and an Excel workbook"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    DISCARDED = "discarded", "Discarded"


ACTIVE_STATUSES = (ExportStatus.QUEUED, ExportStatus.RUNNING)


class EvaluationExportQuerySet(ManagersOnlyQuerySet):
    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())


class EvaluationExport(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(EvaluationProject, on_delete=models.PROTECT, related_name="exports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Filters: referrals received in the period, for these services (none: all),
    # assessments of these measures (none: all).
    period_from = models.DateField(null=True, blank=True)
    period_to = models.DateField(null=True, blank=True)
    services = models.ManyToManyField(Service, blank=True, related_name="+")
    measures = models.JSONField(default=list, blank=True)
    format = models.CharField(max_length=5, choices=ExportFormat.choices, default=ExportFormat.CSV)

    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    participant_rows = models.PositiveIntegerField(default=0)
    assessment_rows = models.PositiveIntegerField(default=0)
    suppressed_rows = models.PositiveIntegerField(default=0)
    k_achieved = models.PositiveIntegerField(null=True, blank=True)
    # Of all participant rows, the share suppressed (0 to 1; null until built),
    # and whether it went over the project's max_suppressed_percent: shown on
    # the status page, where a manager decides to share it or discard it.
    suppressed_share = models.FloatField(null=True, blank=True)
    suppression_over_limit = models.BooleanField(default=False)
    # Relative to settings.EXPORTS_DIR: never under static or media files.
    file_name = models.CharField(max_length=100, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(default=0)
    # A short reason without personal data (an exception's type, "time limit").
    error = models.CharField(max_length=200, blank=True)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    download_count = models.PositiveIntegerField(default=0)
    discarded_at = models.DateTimeField(null=True, blank=True)
    discarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = EvaluationExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"]), models.Index(fields=["expires_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="evaluation_export_progress_percent"),
            models.CheckConstraint(
                condition=Q(suppressed_share__isnull=True) | Q(suppressed_share__gte=0, suppressed_share__lte=1),
                name="evaluation_export_suppressed_share_0_to_1",
            ),
            models.CheckConstraint(
                condition=Q(period_from__isnull=True)
                | Q(period_to__isnull=True)
                | Q(period_to__gte=models.F("period_from")),
                name="evaluation_export_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Export #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_downloadable(self) -> bool:
        return self.status == ExportStatus.DONE and bool(self.file_name) and self.expires_at > timezone.now()

    @property
    def suppressed_percent(self) -> int:
        """The suppressed share as a whole percentage, as a page says it."""
        return round((self.suppressed_share or 0) * 100)

    @property
    def path(self):
        return settings.EXPORTS_DIR / self.file_name if self.file_name else None
