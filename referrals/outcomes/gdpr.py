"""What the outcomes sub-app holds about a parent, and how it is erased.

Erasure DELETES the parent's assessments and their safety alerts (item
responses are health data, and an alert's action note is free text about the
person). The dashboard's anonymous statistics therefore no longer count
them; exports already leave out erased parents."""

from __future__ import annotations

from operations.core.gdpr import Section
from referrals.models import Parent
from referrals.outcomes.models import Assessment, SafetyAlert

HOLDS = [Assessment, SafetyAlert]

ASSESSMENT_FIELDS = (
    "id", "measure", "questionnaire__name", "timepoint", "taken_on", "responses", "item_scores", "total", "band",
    "alert_items", "scoring_version", "entered_at",
)  # fmt: skip
ALERT_FIELDS = ("id", "assessment_id", "item_number", "item_score", "raised_at", "action_taken", "actioned_at")


def subject_access(parent: Parent) -> list[Section]:
    assessments = Assessment.objects.filter(parent=parent).order_by("taken_on", "pk").values(*ASSESSMENT_FIELDS)
    alerts = SafetyAlert.objects.filter(parent=parent).order_by("raised_at", "pk").values(*ALERT_FIELDS)
    return [Section("Outcome assessments", list(assessments)), Section("Safety alerts", list(alerts))]


def erase(parent: Parent) -> None:
    SafetyAlert.objects.filter(parent=parent).delete()
    Assessment.objects.filter(parent=parent).delete()
