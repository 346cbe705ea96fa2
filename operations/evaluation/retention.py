"""Retention of evaluation exports: files and their records are deleted once
past their retention date (EXPORT_RETENTION_DAYS after they were built).

The daily beat task deletes them without waiting for a review (a file of
pseudonymised health data must not outlive its date); the rule is also in the
retention registry so the Retention page shows and applies the same thing.
The registry's period in months does not apply: each export carries its own
date."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from operations.core.retention import RetentionRule
from operations.evaluation.models import ACTIVE_STATUSES, EvaluationExport


def expired_exports_due(organisation_id: int, cutoff) -> QuerySet[EvaluationExport]:
    return EvaluationExport.objects.filter(organisation_id=organisation_id, expires_at__lte=timezone.now()).exclude(
        status__in=ACTIVE_STATUSES
    )


def delete_exports(exports: QuerySet[EvaluationExport]) -> int:
    from operations.evaluation.services import exports_delete

    return exports_delete(exports)


RULE = RetentionRule(
    key="evaluation_exports",
    label="Evaluation export files (past their retention date)",
    default_months=1,
    due=expired_exports_due,
    apply=delete_exports,
    # Each export carries its own date, fixed when it is built and shown on
    # its page: a period chosen here would not move it.
    period_set_by=(
        f"deleted {settings.EXPORT_RETENTION_DAYS} days after each export is built "
        "(the EXPORT_RETENTION_DAYS setting), also by a daily task"
    ),
)
