"""Matches between a parent and a volunteer or PSO, their reviews, planned
visits, contact logs and the signposting directory (concerns are
the safeguarding app's).

Visibility lives on each queryset's ``visible_to``: coordinators and managers
see their whole organisation; a volunteer or PSO sees only their own matches
and what hangs off them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone

from operations.core.models import (
    STAFF_ROLES,
    CouncilArea,
    Organisation,
    OrganisationScopedQuerySet,
    StaffOnlyQuerySet,
    active_membership,
)
from referrals.models import Parent, Referral
from referrals.validators import validate_uk_phone
from volunteers.models import Gender, LivedExperience, VolunteerProfile


class MatchRole(models.TextChoices):
    BEFRIENDER = "befriender", "Befriender"
    PSO = "pso", "Perinatal Support Officer"
    BIRTH_COMPANION = "birth_companion", "Birth companion"


class MatchStatus(models.TextChoices):
    # A match exists only once a coordinator confirmed it: the unsaved
    # whole-list suggestions are "proposals", never a match status.
    CONFIRMED = "confirmed", "Confirmed"
    INTRODUCED = "introduced", "Introduced"
    ACTIVE = "active", "Active"
    ENDING = "ending", "Ending"
    ENDED = "ended", "Ended"


#: Matches that count towards a caseload and accept contact logs.
OPEN_MATCH_STATUSES = (MatchStatus.CONFIRMED, MatchStatus.INTRODUCED, MatchStatus.ACTIVE, MatchStatus.ENDING)


class EndingType(models.TextChoices):
    PLANNED = "planned", "Planned ending"
    UNPLANNED = "unplanned", "Unplanned ending"
    ELIGIBILITY_ENDED = "eligibility_ended", "Eligibility ended"
    PARENT_MOVED = "parent_moved", "Parent moved away"
    VOLUNTEER_LEFT = "volunteer_left", "Volunteer left"


class ContactMode(models.TextChoices):
    HOME_VISIT = "home_visit", "Home visit"
    WALK = "walk", "Walk"
    CAFE = "cafe", "Café"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"
    TEXT = "text", "Text messages"


class Topic(models.TextChoices):
    EMOTIONAL = "emotional", "Emotional support"
    PRACTICAL = "practical", "Practical help"
    FEEDING = "feeding", "Infant feeding"
    HOUSING = "housing", "Housing"
    BENEFITS = "benefits", "Benefits and money"
    MENTAL_HEALTH = "mental_health", "Mental health"
    RELATIONSHIPS = "relationships", "Relationships"
    BABY_CARE = "baby_care", "Baby care and development"
    BIRTH = "birth", "Pregnancy and birth"
    ISOLATION = "isolation", "Isolation and getting out"
    OTHER = "other", "Other"


class VolunteerContactDetails(models.TextChoices):
    """What a matched volunteer sees of her family's contact details: many
    befriending services give her the mother's number, others keep every
    contact going through the coordinator (the default, as before)."""

    NONE = "none", "Nothing: contact goes through the coordinator"
    PHONE = "phone", "The phone number"
    PHONE_AND_ADDRESS = "phone_and_address", "The phone number and the address"


class MatchingSettings(models.Model):
    """Per-organisation weights of the soft scores (points out of 100 in
    total by default) and the review rhythm, created with the defaults on
    first use."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="matching_settings")
    weight_availability = models.PositiveSmallIntegerField(default=25)
    weight_travel = models.PositiveSmallIntegerField(default=20)
    weight_lived_experience = models.PositiveSmallIntegerField(default=20)
    weight_language = models.PositiveSmallIntegerField(default=10)
    weight_load = models.PositiveSmallIntegerField(default=15)
    weight_waiting = models.PositiveSmallIntegerField(default=10)
    review_interval_months = models.PositiveSmallIntegerField(default=3)
    on_call_days_before_due = models.PositiveSmallIntegerField(default=21)
    on_call_days_after_due = models.PositiveSmallIntegerField(default=14)
    volunteer_contact_details = models.CharField(
        "What volunteers see of a parent's contact details",
        max_length=20,
        choices=VolunteerContactDetails.choices,
        default=VolunteerContactDetails.NONE,
        help_text="Shown to the volunteer of an open match only, on the family's page; each view is audited.",
    )

    class Meta:
        verbose_name_plural = "matching settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_availability__lte=100)
                & Q(weight_travel__lte=100)
                & Q(weight_lived_experience__lte=100)
                & Q(weight_language__lte=100)
                & Q(weight_load__lte=100)
                & Q(weight_waiting__lte=100),
                name="matching_weights_at_most_100",
            ),
            models.CheckConstraint(
                condition=Q(review_interval_months__gte=1) & Q(review_interval_months__lte=12),
                name="matching_review_interval_sane",
            ),
        ]

    def __str__(self) -> str:
        return f"Matching settings of {self.organisation}"


class MatchingNeeds(models.Model):
    """What the coordinator recorded for matching one referral: a required
    preference, times that suit, lived experience wanted, interpreter."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="matching_needs")
    required_gender = models.CharField(
        "Required gender of the volunteer",
        max_length=10,
        choices=Gender.choices,
        blank=True,
        default="",
        help_text="Only when the parent made it a requirement (for example a female befriender).",
    )
    availability = models.JSONField(default=list, blank=True, help_text="Cells such as mon_am, wed_eve.")
    lived_experience = models.ManyToManyField(LivedExperience, blank=True, related_name="+")
    interpreter_arranged = models.BooleanField(default=False)

    objects = StaffOnlyQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Matching needs of referral {self.referral_id}"


class ConflictOfInterest(models.Model):
    """A volunteer who must never be matched with a parent (a relative, a
    neighbour, a colleague …)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(Parent, on_delete=models.CASCADE, related_name="+")
    volunteer = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=200, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = StaffOnlyQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["parent", "volunteer"], name="one_conflict_per_pair")]

    def __str__(self) -> str:
        return f"Conflict {self.pk}"


class MatchQuerySet(OrganisationScopedQuerySet):
    def visible_to_member(self, scoped, *, user, membership):
        # Volunteers and PSOs: their own matches only.
        return scoped.filter(volunteer__user_id=user.pk)

    def open(self) -> MatchQuerySet:
        return self.filter(status__in=OPEN_MATCH_STATUSES)


class Match(models.Model):
    """A parent supported by a volunteer or PSO in a role. A parent may have a
    PSO and a befriender at once, but one open match per role."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="matches")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="matches")
    parent = models.ForeignKey(Parent, on_delete=models.PROTECT, related_name="matches")
    volunteer = models.ForeignKey(VolunteerProfile, on_delete=models.PROTECT, related_name="matches")
    role = models.CharField(max_length=20, choices=MatchRole.choices, default=MatchRole.BEFRIENDER)
    status = models.CharField(max_length=20, choices=MatchStatus.choices, default=MatchStatus.CONFIRMED)
    score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    confirmed_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    introduced_on = models.DateField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True, help_text="The first logged contact.")
    ended_on = models.DateField(null=True, blank=True)
    ending_type = models.CharField(max_length=20, choices=EndingType.choices, blank=True)
    closing_note = models.TextField(blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    # Birth companions: the due date and an on-call window around it.
    due_date = models.DateField(null=True, blank=True)
    on_call_from = models.DateField(null=True, blank=True)
    on_call_to = models.DateField(null=True, blank=True)
    # Contact logs after the referral's eligibility end need an extension.
    extended_until = models.DateField(null=True, blank=True)
    extension_reason = models.CharField(max_length=300, blank=True)
    # Confirmed outside the referral's eligibility (before its start or past
    # its end) by ``confirmed_by`` at ``confirmed_at``: what was overridden and why.
    eligibility_override_note = models.CharField(max_length=120, blank=True)
    eligibility_override_reason = models.CharField(max_length=500, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["-confirmed_at", "-pk"]
        verbose_name_plural = "matches"
        indexes = [models.Index(fields=["organisation", "status", "next_review_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "role"],
                condition=Q(status__in=OPEN_MATCH_STATUSES),
                name="one_open_match_per_parent_and_role",
                violation_error_message="This parent already has an open match in this role.",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | (~Q(ending_type="") & Q(ended_on__isnull=False)),
                name="ended_match_has_type_and_date",
                violation_error_message="An ended match needs an ending type and date.",
            ),
            models.CheckConstraint(
                condition=Q(extended_until__isnull=True) | ~Q(extension_reason=""),
                name="match_extension_has_reason",
                violation_error_message="Give the reason for the extension.",
            ),
            models.CheckConstraint(
                condition=Q(eligibility_override_note="") | ~Q(eligibility_override_reason=""),
                name="match_eligibility_override_has_reason",
                violation_error_message="Give the reason for matching outside eligibility.",
            ),
            models.CheckConstraint(
                condition=Q(on_call_from__isnull=True) | Q(on_call_to__gte=models.F("on_call_from")),
                name="match_on_call_window_ordered",
            ),
            # Support cannot start before the match was confirmed. The database
            # compares with the UTC day of confirmation (never later than the
            # UK day); the services check the UK day itself.
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(started_on__gte=Cast("confirmed_at", output_field=models.DateField())),
                name="match_starts_after_confirmation",
                violation_error_message="A match cannot start before it was confirmed.",
            ),
        ]

    def __str__(self) -> str:
        return f"Match #{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("matching:match-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_MATCH_STATUSES

    def last_day_for_logs(self):
        """The last day a contact may be logged: the referral's eligibility
        end, or the recorded extension when later (None: no end known)."""
        end = self.referral.eligibility_end
        if self.extended_until and (end is None or self.extended_until > end):
            return self.extended_until
        return end


class MatchReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reviews are staff records: coordinators and managers see those of
        their organisation's matches; nobody else sees any."""
        membership = active_membership(user)
        if membership is None or membership.role not in STAFF_ROLES:
            return self.none()
        return self.filter(match__organisation_id=membership.organisation_id)


class MatchReview(models.Model):
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    going_well = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    next_review_on = models.DateField()

    objects = MatchReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Review {self.pk}"


class ByMatchQuerySet(OrganisationScopedQuerySet):
    """Rows hanging off a match: visible exactly when their match is."""

    def visible_to(self, user):
        return self.in_active_organisation(user).filter(match__in=Match.objects.visible_to(user))


class Visit(models.Model):
    """A planned visit or call."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="visits")
    planned_for = models.DateField()
    at_time = models.TimeField(null=True, blank=True)
    mode = models.CharField(max_length=20, choices=ContactMode.choices, default=ContactMode.HOME_VISIT)
    place = models.CharField(max_length=150, blank=True)
    cancelled = models.BooleanField(default=False)
    #: The parent said the visit suits her (a YES to her visit reminder).
    confirmed_at = models.DateTimeField("Confirmed by the parent", null=True, blank=True)
    #: Made on the phone before sending: the same visit sent twice (a lost
    #: reply, the offline queue retrying) is kept once (operations.core.sent_once).
    client_key = models.UUIDField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ByMatchQuerySet.as_manager()

    class Meta:
        ordering = ["planned_for", "at_time", "pk"]
        indexes = [models.Index(fields=["match", "planned_for"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "client_key"], condition=Q(client_key__isnull=False), name="visit_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"Visit {self.pk}"


class DirectoryEntry(models.Model):
    """A service families can be signposted to."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="directory_entries")
    name = models.CharField(max_length=150)
    description = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=30, blank=True, validators=[validate_uk_phone])
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)
    # Where the service is open to families; none means anywhere in Scotland.
    council_areas = models.ManyToManyField(
        CouncilArea,
        blank=True,
        related_name="+",
        verbose_name="council areas served",
        help_text="Leave empty for a national service.",
    )

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "directory entries"
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="directory_entry_unique")]

    def __str__(self) -> str:
        return self.name


class ContactLog(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="contact_logs")
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    contact_date = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField()
    mode = models.CharField(max_length=20, choices=ContactMode.choices)
    topics = models.JSONField(default=list, blank=True)
    signposted_to = models.ManyToManyField(DirectoryEntry, blank=True, related_name="+")
    note = models.CharField(max_length=1000, blank=True)
    has_concern = models.BooleanField(default=False)
    #: Made on the phone before sending: the same log sent twice (a lost
    #: reply, the offline queue retrying) is kept once (operations.core.sent_once).
    client_key = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ByMatchQuerySet.as_manager()

    class Meta:
        ordering = ["-contact_date", "-pk"]
        indexes = [
            models.Index(fields=["match", "contact_date"]),
            # The dashboard's contact hours for a period, read from the index
            # alone on PostgreSQL: the match is included because the logs are
            # scoped through their matches (9 ms -> 2.4 ms at 500,000 logs).
            models.Index(
                fields=["organisation", "contact_date"],
                include=["duration_minutes", "match"],
                name="contactlog_org_date_match_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1) & Q(duration_minutes__lte=720),
                name="contact_log_duration_sane",
                violation_error_message="The duration is between 1 minute and 12 hours.",
            ),
            models.UniqueConstraint(
                fields=["organisation", "client_key"],
                condition=Q(client_key__isnull=False),
                name="contact_log_sent_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Contact log {self.pk}"
