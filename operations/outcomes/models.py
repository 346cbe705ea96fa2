"""Outcome assessments, their safety alerts, and what an organisation adds to
the measures (its own questionnaires, and item wording it holds permission
to show).

Assessments are seen by coordinators and managers of the organisation, and
by a PSO for the parents on their own open caseload (``CaseloadQuerySet``). The computed total, band and
alerts are stored with the scoring version that produced them
(``operations.outcomes.measures``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from operations.core.models import Organisation, OrganisationScopedQuerySet, Role, StaffOnlyQuerySet
from operations.outcomes.measures import MEASURES
from referrals.models import Parent, Referral
from volunteers.matching import caseload


class MeasureCode(models.TextChoices):
    EPDS = "epds", "EPDS"
    WEMWBS = "wemwbs", "WEMWBS"
    SWEMWBS = "swemwbs", "SWEMWBS"
    PHQ9 = "phq9", "PHQ-9"
    GAD7 = "gad7", "GAD-7"
    CORE10 = "core10", "CORE-10"
    CUSTOM = "custom", "Organisation questionnaire"


class Timepoint(models.TextChoices):
    BASELINE = "baseline", "Baseline (start of support)"
    REVIEW = "review", "3-monthly review"
    ENDING = "ending", "Ending"
    OTHER = "other", "Other"


class Questionnaire(models.Model):
    """An organisation's own Likert questionnaire; its items are its own words."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="questionnaires")
    name = models.CharField(max_length=120)
    scale_min = models.PositiveSmallIntegerField(default=1)
    scale_max = models.PositiveSmallIntegerField(default=5)
    higher_is_better = models.BooleanField(default=True)
    active = models.BooleanField(default=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="questionnaire_unique_name"),
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")) & Q(scale_max__lte=10),
                name="questionnaire_scale_valid",
                violation_error_message="The scale must run upwards and have at most 10 points.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class QuestionnaireItem(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    reverse_scored = models.BooleanField(default=False)

    class Meta:
        ordering = ["questionnaire", "number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="questionnaire_item_unique_number")
        ]

    def __str__(self) -> str:
        return f"Item {self.number}"


class MeasureWording(models.Model):
    """Item wording an organisation holds permission to show (e.g. the EPDS
    with the Royal College's written permission). Without a row, forms show
    item numbers only."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="measure_wordings")
    measure = models.CharField(max_length=10, choices=MeasureCode.choices)
    item_number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=400)
    permission_note = models.CharField(max_length=300, help_text="Who granted permission, and when.")

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "item_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "measure", "item_number"], name="measure_wording_unique_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} item {self.item_number}"


class CaseloadQuerySet(StaffOnlyQuerySet):
    """Coordinators and managers see the organisation's rows; a PSO sees the
    rows of the parents on their own open caseload; volunteers see none."""

    def visible_to_member(self, scoped, *, user, membership):
        if membership.role == Role.PSO:
            return scoped.filter(parent_id__in=caseload.parent_ids(user))
        return scoped.none()


class AssessmentQuerySet(CaseloadQuerySet):
    def for_evaluation(self) -> AssessmentQuerySet:
        """Only parents whose evaluation consent stands, and whose processing
        is not restricted (UK GDPR Art. 18), may enter an export."""
        return self.filter(
            parent__evaluation_consent_given_on__isnull=False,
            parent__evaluation_consent_withdrawn_on__isnull=True,
            parent__erased_at__isnull=True,
            parent__processing_restricted=False,
        )


class Assessment(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="assessments")
    parent = models.ForeignKey(Parent, on_delete=models.CASCADE, related_name="assessments")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="assessments")
    measure = models.CharField(max_length=10, choices=MeasureCode.choices)
    questionnaire = models.ForeignKey(
        Questionnaire, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    timepoint = models.CharField(max_length=10, choices=Timepoint.choices)
    taken_on = models.DateField()

    # The option position chosen for each item (0 = first listed; None = unanswered).
    responses = models.JSONField()
    # Computed by operations.outcomes.measures; never entered.
    item_scores = models.JSONField(editable=False)
    total = models.DecimalField(max_digits=6, decimal_places=2, editable=False)
    band = models.CharField(max_length=20, blank=True, editable=False)
    alert_items = models.JSONField(default=list, editable=False)
    scoring_version = models.CharField(max_length=20, editable=False)

    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    entered_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_on", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "measure", "taken_on"]),
            models.Index(fields=["parent", "measure", "taken_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(measure="custom", questionnaire__isnull=False)
                | (~Q(measure="custom") & Q(questionnaire__isnull=True)),
                name="assessment_questionnaire_only_for_custom",
                violation_error_message="Only an organisation questionnaire names a questionnaire.",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment #{self.pk}"

    @property
    def band_label(self) -> str:
        """The band's words ("Possible depression"), from the scoring rules."""
        rules = MEASURES.get(self.measure)
        labels = {band.code: band.label for band in rules.bands} if rules else {}
        return labels.get(self.band, self.band)


class SafetyAlertQuerySet(CaseloadQuerySet):
    def open(self) -> SafetyAlertQuerySet:
        return self.filter(actioned_at__isnull=True)


class SafetyAlert(models.Model):
    """An alert item scored above 0 (thoughts of self-harm). It stays open
    until someone records the action taken."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="safety_alerts")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="safety_alerts")
    parent = models.ForeignKey(Parent, on_delete=models.CASCADE, related_name="safety_alerts")
    item_number = models.PositiveSmallIntegerField()
    item_score = models.PositiveSmallIntegerField()
    raised_at = models.DateTimeField(default=timezone.now)
    action_taken = models.TextField(blank=True)
    actioned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actioned_at = models.DateTimeField(null=True, blank=True)

    objects = SafetyAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "actioned_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(actioned_at__isnull=True) | ~Q(action_taken=""),
                name="safety_alert_action_recorded_when_closed",
                violation_error_message="Record the action taken before closing the alert.",
            )
        ]

    def __str__(self) -> str:
        return f"Safety alert #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.actioned_at is None
