"""The outcomes app's entries on a parent's timeline (found by
``operations.core.timeline``): her assessments with their score and band,
and safety alerts, raised and actioned. Two queries at most, whatever the
length of her history."""

from __future__ import annotations

from django.db.models.functions import Coalesce
from django.urls import reverse

from operations.core.timeline import Entry, at, on
from operations.outcomes.models import Assessment, MeasureCode, SafetyAlert, Timepoint

KINDS = {
    "assessment": "Outcome measures",
    "alert": "Safety alerts",
}


def entries(parent, *, user, kinds: frozenset[str], limit: int) -> list[Entry]:
    found: list[Entry] = []
    if "assessment" in kinds:
        found += _assessments(parent, user=user, limit=limit)
    if "alert" in kinds:
        found += _alerts(parent, user=user, limit=limit)
    return found


def _score(total) -> str:
    # 14.00 reads "14", 10.50 reads "10.5".
    return f"{total.normalize():f}" if total is not None else "—"


def _assessments(parent, *, user, limit: int) -> list[Entry]:
    assessments = (
        Assessment.objects.visible_to(user)
        .filter(parent=parent)
        .select_related("questionnaire")
        .order_by("-taken_on", "-pk")[:limit]
    )
    measures = dict(MeasureCode.choices)
    timepoints = dict(Timepoint.choices)
    found = []
    for assessment in assessments:
        name = assessment.questionnaire.name if assessment.questionnaire else measures.get(assessment.measure, "")
        band = f" ({assessment.band_label.lower()})" if assessment.band else ""
        timepoint = timepoints.get(assessment.timepoint, "").lower()
        found.append(
            on(
                assessment.taken_on,
                kind="assessment",
                label=f"{name}, {timepoint}: score {_score(assessment.total)}{band}",
                link=reverse("outcomes:assessment-detail", args=[assessment.pk]),
            )
        )
    return found


def _alerts(parent, *, user, limit: int) -> list[Entry]:
    # An alert gives two entries (raised, actioned): ordered by the newer, the newest ``limit`` alerts hold them.
    alerts = (
        SafetyAlert.objects.visible_to(user)
        .filter(parent=parent)
        .select_related("assessment", "actioned_by")
        .annotate(newest=Coalesce("actioned_at", "raised_at"))
        .order_by("-newest", "-pk")[:limit]
    )
    measures = dict(MeasureCode.choices)
    found = []
    for alert in alerts:
        link = reverse("outcomes:alert-detail", args=[alert.pk])
        measure = measures.get(alert.assessment.measure, "")
        found.append(
            at(
                alert.raised_at,
                kind="alert",
                label=f"Safety alert: {measure} question {alert.item_number} scored {alert.item_score}",
                link=link,
            )
        )
        if alert.actioned_at:
            found.append(
                at(
                    alert.actioned_at,
                    kind="alert",
                    label="Safety alert actioned",
                    link=link,
                    detail=alert.action_taken,
                    by=f"by {alert.actioned_by}" if alert.actioned_by else "",
                )
            )
    return found
