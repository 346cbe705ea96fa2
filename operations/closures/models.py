"""Closing a service well (issue 24): the plan, a decision for each open
referral, and the report kept for funders (counts only)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from operations.core.models import Organisation, Service, StaffOnlyQuerySet


class ClosureStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    COMPLETED = "completed", "Completed"


class Outcome(models.TextChoices):
    IN_HOUSE = "in_house", "Move to another of our services"
    OTHER_ORGANISATION = "other_organisation", "Transfer to another organisation"
    SIGNPOST = "signpost", "Signpost and close"
    PLANNED_END = "planned_end", "Planned ending before the last day"


class ServiceClosure(models.Model):
    """One closure per service: planned by a manager, completed once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    service = models.OneToOneField(Service, on_delete=models.PROTECT, related_name="closure")
    last_day = models.DateField()
    message = models.CharField(
        max_length=500,
        blank=True,
        help_text="Shown to families and referrers who look for the service, e.g. where to go instead.",
    )
    status = models.CharField(max_length=20, choices=ClosureStatus.choices, default=ClosureStatus.PLANNED)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    planned_at = models.DateTimeField(default=timezone.now)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    # The report: counts only, written when the closure completes.
    moved_in_house = models.PositiveIntegerField(default=0)
    transferred_out = models.PositiveIntegerField(default=0)
    signposted = models.PositiveIntegerField(default=0)
    ended_as_planned = models.PositiveIntegerField(default=0)
    sessions_cancelled = models.PositiveIntegerField(default=0)
    parents_told = models.PositiveIntegerField(default=0)
    referrers_told = models.PositiveIntegerField(default=0)
    volunteers_told = models.PositiveIntegerField(default=0)

    objects = StaffOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-planned_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="planned") | Q(completed_at__isnull=False), name="closure_completed_has_time"
            )
        ]

    def __str__(self) -> str:
        return f"Closure of {self.service}"

    @property
    def is_completed(self) -> bool:
        return self.status == ClosureStatus.COMPLETED


class ClosureDecision(models.Model):
    """What happens to one open referral of the closing service."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    closure = models.ForeignKey(ServiceClosure, on_delete=models.CASCADE, related_name="decisions")
    referral = models.ForeignKey("referrals.Referral", on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    new_service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    receiving_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    directory_entry = models.ForeignKey(
        "matching.DirectoryEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consent = models.BooleanField(default=False, help_text="The parent agreed to the transfer.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    objects = StaffOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["closure", "referral"], name="one_decision_per_referral_and_closure")
        ]

    def __str__(self) -> str:
        return f"Decision {self.pk} ({self.get_outcome_display()})"
