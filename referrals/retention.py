"""Retention of closed cases: a family whose every referral has been closed
for longer than the period is erased (anonymised) everywhere, unless a
safeguarding hold stands or processing is restricted (a restriction is
often asked for to keep the record, e.g. as evidence)."""

from __future__ import annotations

from django.db.models import Exists, Max, OuterRef, QuerySet

from operations.core import gdpr
from operations.core.retention import RetentionRule
from referrals.models import Parent, Referral
from referrals.workflow import OPEN_STATUSES


def closed_cases_due(organisation_id: int, cutoff) -> QuerySet[Parent]:
    open_referral = Referral.objects.filter(parent_id=OuterRef("pk"), status__in=OPEN_STATUSES)
    return (
        Parent.objects.filter(organisation_id=organisation_id, erased_at__isnull=True)
        .filter(safeguarding_hold=False, processing_restricted=False)
        .exclude(Exists(open_referral))
        .annotate(last_change=Max("referrals__status_changed_at"))
        .filter(last_change__lt=cutoff)
    )


def erase_closed_cases(parents: QuerySet[Parent]) -> int:
    count = 0
    for parent in parents.order_by("pk"):
        gdpr.erase_everywhere(parent)
        count += 1
    return count


RULE = RetentionRule(
    key="closed_cases",
    label="Closed cases (parents' records, anonymised)",
    default_months=36,
    due=closed_cases_due,
    apply=erase_closed_cases,
)
