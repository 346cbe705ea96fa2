"""The public online referral forms: each organisation's switches and
wording, and a record of every submission.

The public address is the organisation's own slug (``/refer/<slug>/``), so
it never changes when a manager switches a form off and on again.

A submission row is written for every form that was sent and kept: it
carries the reference the submitter was given, which form it was, and what
became of it (on the board as a referral, held for a coordinator, or held
apart as spam). What she typed is kept on the row only while a person must
still read it (a held submission) and never for one that became a referral
(the referral holds it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from operations.core.models import Organisation, StaffOnlyQuerySet
from referrals.models import Referral


class FormKind(models.TextChoices):
    SELF = "self", "Self-referral form"
    PROFESSIONAL = "professional", "Professional referral form"


class OnlineReferralSettings(models.Model):
    """Per organisation: which forms are open, and the words above them.
    Made (both forms closed) when the organisation is created."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="online_referral_settings")
    self_form_open = models.BooleanField(
        "Self-referral form is open", default=False, help_text="Parents can refer themselves online."
    )
    professional_form_open = models.BooleanField(
        "Professional referral form is open",
        default=False,
        help_text="Midwives, health visitors, GPs and others can refer online.",
    )
    intro = models.TextField(
        "Words at the top of both forms",
        max_length=1000,
        blank=True,
        help_text="For example: who you are, the areas you cover, how soon you usually reply. Plain text.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "online referral settings"
        verbose_name_plural = "online referral settings"

    def __str__(self) -> str:
        return f"Online referral settings of organisation {self.organisation_id}"

    def is_open(self, kind: str) -> bool:
        return self.self_form_open if kind == FormKind.SELF else self.professional_form_open


class Outcome(models.TextChoices):
    REFERRED = "referred", "On the triage board"
    #: Could not go on the board as a new referral (an open referral for the
    #: same person and service, or a record that may not take new work): a
    #: coordinator reads it. The submitter is never told.
    HELD = "held", "Held for a coordinator to check"
    SPAM = "spam", "Held apart as spam"


class HeldReason(models.TextChoices):
    DUPLICATE = "duplicate", "May be someone with an open referral for this service"
    PAST_END = "past_end", "Past the service's end date, by the dates given"
    NOT_ADDED = "not_added", "Could not be added as a new referral"


class OnlineSubmissionQuerySet(StaffOnlyQuerySet):
    def to_check(self) -> OnlineSubmissionQuerySet:
        """Held submissions a coordinator has not dealt with yet."""
        return self.filter(outcome=Outcome.HELD, dealt_with_at__isnull=True)


class OnlineSubmission(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="online_submissions")
    form = models.CharField(max_length=20, choices=FormKind.choices)
    #: What the submitter was told ("R-7KQ4M9PX"): finds the submission when she phones.
    reference = models.CharField(max_length=12, unique=True)
    #: The service she asked for (none for spam: nothing it says is trusted).
    service = models.ForeignKey(
        "core.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="online_submissions"
    )
    received_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    held_reason = models.CharField(max_length=20, choices=HeldReason.choices, blank=True)
    #: The referral it became (referred), or the open one it may repeat (held as a duplicate).
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="online_submissions"
    )
    #: What was typed, as the form's labels and values, kept only while a
    #: person must read it: held and spam rows. Spam rows are deleted after
    #: 30 days; a held row's answers are cleared when it is dealt with.
    answers = models.JSONField(default=dict, blank=True)
    dealt_with_at = models.DateTimeField(null=True, blank=True)
    dealt_with_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OnlineSubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            # The coordinators' "to check" list and the spam purge.
            models.Index(fields=["organisation", "outcome", "received_at"], name="online_submission_outcome_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="held", held_reason__in=["duplicate", "past_end", "not_added"])
                | (~Q(outcome="held") & Q(held_reason="")),
                name="online_submission_held_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="referred") | Q(answers={}),
                name="online_submission_referred_keeps_no_answers",
            ),
        ]

    def __str__(self) -> str:
        return f"Online submission {self.reference}"
