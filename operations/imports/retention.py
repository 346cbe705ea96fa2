"""Retention of import files and problem lists: deleted IMPORT_RETENTION_DAYS
after the upload by a daily task (and at once when a batch is applied or
undone). The batch's history row and its external ids stay: they are what
makes a second import of the same file change nothing."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet

from operations.core.retention import RetentionRule
from operations.imports.models import ImportBatch


def expired_imports_due(organisation_id: int, cutoff) -> QuerySet[ImportBatch]:
    return (
        ImportBatch.objects.expired()
        .filter(organisation_id=organisation_id)
        .filter(Q(problems__isnull=False) | ~Q(stored_file=""))
        .distinct()
    )


def delete_files(batches: QuerySet[ImportBatch]) -> int:
    from operations.imports.services import batches_for_retention

    return batches_for_retention(batches)


RULE = RetentionRule(
    key="import_files",
    label="Uploaded import files and their problem lists",
    default_months=1,
    due=expired_imports_due,
    apply=delete_files,
    period_set_by=(
        f"deleted {settings.IMPORT_RETENTION_DAYS} days after each upload "
        "(the IMPORT_RETENTION_DAYS setting), also by a daily task"
    ),
)
