"""What the outcomes sub-app holds about a parent, and how it is erased.

Erasure DELETES the parent's assessments and their safety alerts (item
responses are health data, and an alert's action note is free text about the
person). The dashboard's anonymous statistics therefore no longer count
them; exports already leave out erased parents."""

from __future__ import annotations

from operations.core.gdpr import Section, readable
from operations.outcomes.models import Assessment, SafetyAlert
from referrals.models import Parent

HOLDS = [Assessment, SafetyAlert]

#: What a restriction of processing (Article 18) refuses (see referrals.gdpr).
RESTRICTION_REFUSES = ("assessment_create",)
RESTRICTION_ALLOWS = {
    "safety_alert_close": "Recording the action taken on a safety alert is safeguarding, which a restriction "
    "does not stop.",
}

#: Clearer labels than the fields' verbose names, for the subject access report.
LABELS = {
    "measure": "Questionnaire kind",
    "timepoint": "When in the support",
    "taken_on": "Taken",
    "responses": "Answers (item: option chosen)",
    "item_scores": "Scores (item: score)",
    "total": "Total score",
    "band": "What the total suggests",
    "alert_items": "Items that raised a safety alert",
    "entered_by": "Entered by",
    "entered_at": "Entered",
    "assessment": "From assessment",
    "item_number": "Item",
    "item_score": "Score on the item",
    "raised_at": "Raised",
    "actioned_by": "Action recorded by",
    "actioned_at": "Action recorded",
}


def _by_item(answers: list) -> str:
    """``[2, None]`` as "1: 2; 2: not answered" (items are numbered from 1)."""
    return "; ".join(
        f"{number}: {'not answered' if answer is None else answer}" for number, answer in enumerate(answers, 1)
    )


def subject_access(parent: Parent) -> list[Section]:
    assessments = Assessment.objects.filter(parent=parent).select_related("referral", "questionnaire", "entered_by")
    alerts = SafetyAlert.objects.filter(parent=parent).select_related("assessment", "actioned_by")
    return [
        Section(
            "Outcome assessments",
            [
                readable(
                    assessment,
                    exclude=["organisation", "parent"],
                    labels=LABELS,
                    values={
                        # Options are shown counted from 1, as the questionnaire lists them.
                        "responses": _by_item([None if r is None else r + 1 for r in assessment.responses]),
                        "item_scores": _by_item(list(assessment.item_scores)),
                        "band": assessment.band_label,
                    },
                )
                for assessment in assessments.order_by("taken_on", "pk")
            ],
            source="outcomes.Assessment",
        ),
        Section(
            "Safety alerts",
            [
                readable(alert, exclude=["organisation", "parent"], labels=LABELS)
                for alert in alerts.order_by("raised_at", "pk")
            ],
            source="outcomes.SafetyAlert",
        ),
    ]


def erase(parent: Parent) -> None:
    SafetyAlert.objects.filter(parent=parent).delete()
    Assessment.objects.filter(parent=parent).delete()
