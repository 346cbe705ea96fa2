"""Assessments, safety alerts and questionnaires named in words on the audit
log (operations.core.record_names)."""

from __future__ import annotations

from operations.core.dates import short_date
from operations.core.links import record_url
from operations.core.record_names import Namer
from operations.outcomes.models import Assessment, Questionnaire, SafetyAlert

NAMES = {
    "outcomes.Assessment": Namer(
        records=lambda user: Assessment.objects.visible_to(user).select_related("parent"),
        words=lambda assessment: (
            f"{assessment.get_measure_display()} of {assessment.parent.display_name}, {short_date(assessment.taken_on)}"
        ),
        url=lambda assessment: record_url("outcomes:assessment-detail", assessment.pk),
    ),
    "outcomes.SafetyAlert": Namer(
        records=lambda user: SafetyAlert.objects.visible_to(user).select_related("parent"),
        words=lambda alert: f"Safety alert for {alert.parent.display_name}",
        url=lambda alert: record_url("outcomes:alert-detail", alert.pk),
    ),
    "outcomes.Questionnaire": Namer(
        records=lambda user: Questionnaire.objects.visible_to(user),
        words=lambda questionnaire: f"Questionnaire {questionnaire.name}",
    ),
}
