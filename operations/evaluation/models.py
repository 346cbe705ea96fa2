"""Evaluation projects (each holds the secret its pseudonyms are made with)
and the anonymised exports built for them.

Managers only: ``visible_to`` gives a manager their organisation's rows and
everyone else nothing. The secret is never shown, serialised or exported.

Pooled evaluation (issue 24): a federation's officers run a ``PooledProject``
over the members whose managers opted in to it (``PooledOptIn``); its
exports (``PooledExport``) are built like a branch export from every
opted-in member's rows, and each member's inclusion is kept
(``PooledInclusion``) so its manager sees when its data was included."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from operations.core.federations import federation_of
from operations.core.models import (
    Federation,
    Organisation,
    OrganisationScopedQuerySet,
    Role,
    Service,
    active_membership,
)
from operations.evaluation.anonymise import DEFAULT_QUASI_IDENTIFIERS, MEMBER

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


class ProjectSettings(models.Model):
    """What every evaluation project holds, a branch's or a federation's."""

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

    class Meta:
        abstract = True
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:  # the secret must never reach a log or a traceback
        return f"<{type(self).__name__} {self.pk}>"


def _project_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(condition=Q(k__gte=K_MIN) & Q(k__lte=K_MAX), name=f"{prefix}_k_in_range"),
        models.CheckConstraint(
            condition=Q(max_suppressed_percent__lte=MAX_SUPPRESSED_PERCENT_MAX), name=f"{prefix}_suppression_in_range"
        ),
    ]


class EvaluationProject(ProjectSettings):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="evaluation_projects")

    objects = ManagersOnlyQuerySet.as_manager()

    class Meta(ProjectSettings.Meta):
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="evaluation_project_unique_name"),
            *_project_constraints("evaluation_project"),
        ]


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


class ExportFile(models.Model):
    """What every export holds, a branch's or a pooled one: its filters, its
    build's status and progress, counts, and the file."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Filters: referrals received in the period, assessments of these
    # measures (none: all); a branch export chooses services too.
    period_from = models.DateField(null=True, blank=True)
    period_to = models.DateField(null=True, blank=True)
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

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

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


def _export_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(condition=Q(progress__lte=100), name=f"{prefix}_progress_percent"),
        models.CheckConstraint(
            condition=Q(suppressed_share__isnull=True) | Q(suppressed_share__gte=0, suppressed_share__lte=1),
            name=f"{prefix}_suppressed_share_0_to_1",
        ),
        models.CheckConstraint(
            condition=Q(period_from__isnull=True)
            | Q(period_to__isnull=True)
            | Q(period_to__gte=models.F("period_from")),
            name=f"{prefix}_period_ordered",
        ),
    ]


class EvaluationExport(ExportFile):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(EvaluationProject, on_delete=models.PROTECT, related_name="exports")
    services = models.ManyToManyField(Service, blank=True, related_name="+")
    discarded_at = models.DateTimeField(null=True, blank=True)
    discarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = EvaluationExportQuerySet.as_manager()

    class Meta(ExportFile.Meta):
        indexes = [models.Index(fields=["organisation", "-created_at"]), models.Index(fields=["expires_at"])]
        constraints = _export_constraints("evaluation_export")


# --- Pooled evaluation across a federation ----------------------------------


class FederationScopedQuerySet(models.QuerySet):
    """Pooled evaluation rows. A federation's officers see their
    federation's (``federation_lookup`` reaches it); a member's manager sees
    what ``manager_sees`` says: "federation" (the rows of the federation
    their organisation is a member of), "organisation" (their own
    organisation's rows) or nothing. Everyone else: nothing."""

    federation_lookup = "federation"
    manager_sees = ""

    def visible_to(self, user):
        membership = active_membership(user)
        if membership is None:
            federation = federation_of(user)
            return self.none() if federation is None else self.filter(**{self.federation_lookup: federation})
        if membership.role != Role.MANAGER:
            return self.none()
        if self.manager_sees == "organisation":
            return self.filter(organisation_id=membership.organisation_id)
        member_of = membership.organisation.member_of_id
        if self.manager_sees == "federation" and member_of is not None:
            return self.filter(**{f"{self.federation_lookup}_id": member_of})
        return self.none()


class PooledProjectQuerySet(FederationScopedQuerySet):
    manager_sees = "federation"  # to opt in, a member's manager reads what the project is


class PooledProject(ProjectSettings):
    """A federation's evaluation project: one secret for every member's rows.
    Its quasi-identifiers may include ``member`` (the member organisation);
    only then is the member a column of its exports."""

    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="pooled_projects")

    objects = PooledProjectQuerySet.as_manager()

    class Meta(ProjectSettings.Meta):
        verbose_name = "pooled evaluation project"
        constraints = [
            models.UniqueConstraint(fields=["federation", "name"], name="pooled_project_unique_name"),
            *_project_constraints("pooled_project"),
        ]

    @property
    def shows_member(self) -> bool:
        return MEMBER in self.quasi_identifiers


class MembersOwnQuerySet(FederationScopedQuerySet):
    federation_lookup = "project__federation"
    manager_sees = "organisation"


class PooledOptIn(models.Model):
    """A member's answer to a pooled project, set by its manager (audited):
    its rows are pooled only while ``opted_in``. Separate from sharing
    figures with the federation."""

    project = models.ForeignKey(PooledProject, on_delete=models.CASCADE, related_name="opt_ins")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    opted_in = models.BooleanField(default=True)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MembersOwnQuerySet.as_manager()

    class Meta:
        verbose_name = "answer to a pooled evaluation project"
        ordering = ["organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"], name="pooled_opt_in_once_per_member"),
        ]

    def __str__(self) -> str:
        return f"{'Opted in' if self.opted_in else 'Opted out'} of pooled project {self.project_id}"


class PooledExportQuerySet(FederationScopedQuerySet):
    # The federation's officers only: a member's manager sees its inclusions.
    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())


class PooledExport(ExportFile):
    federation = models.ForeignKey(Federation, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(PooledProject, on_delete=models.PROTECT, related_name="exports")

    objects = PooledExportQuerySet.as_manager()

    class Meta(ExportFile.Meta):
        verbose_name = "pooled export"
        indexes = [models.Index(fields=["federation", "-created_at"]), models.Index(fields=["expires_at"])]
        constraints = _export_constraints("pooled_export")

    def __str__(self) -> str:
        return f"Pooled export #{self.pk}"


class PooledInclusion(models.Model):
    """A member's rows were in a pooled export built at ``included_at``.
    Kept after the export's file and record are deleted: the member's
    manager still sees that, and when, its data was included."""

    project = models.ForeignKey(PooledProject, on_delete=models.PROTECT, related_name="inclusions")
    export = models.ForeignKey(PooledExport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    included_at = models.DateTimeField(default=timezone.now)
    participant_rows = models.PositiveIntegerField(default=0)

    objects = MembersOwnQuerySet.as_manager()

    class Meta:
        verbose_name = "inclusion in a pooled export"
        ordering = ["-included_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["export", "organisation"], name="pooled_inclusion_once_per_export"),
        ]

    def __str__(self) -> str:
        return f"Included in pooled export {self.export_id}"
