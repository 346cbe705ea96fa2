"""Volunteers and PSOs: profiles, checks (training, PVG, references),
supervisor pairings and supervision sessions, per-organisation settings.

Every query goes through a model's ``visible_to(user)``: coordinators and
managers see their whole organisation, a PSO sees their supervisees and
themselves, a volunteer sees only themselves."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from operations.core.dates import short_date
from operations.core.links import record_url
from operations.core.models import (
    STAFF_ROLES,
    CouncilArea,
    Organisation,
    OrganisationScopedQuerySet,
    Role,
    StaffOnlyQuerySet,
    active_membership,
)
from volunteers import fitness


class Kind(models.TextChoices):
    BEFRIENDER = "befriender", "Volunteer befriender"
    PSO = "pso", "Paid PSO"
    FACILITATOR = "facilitator", "Group facilitator"
    BIRTH_COMPANION = "birth_companion", "Birth companion"


class Status(models.TextChoices):
    APPLICANT = "applicant", "Applicant"
    IN_TRAINING = "in_training", "In training"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    LEFT = "left", "Left"


class Gender(models.TextChoices):
    NOT_RECORDED = "", "Not recorded"
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"


DEFAULT_COURSES = ["Core befriending training", "Safeguarding", "Perinatal mental health awareness"]
DEFAULT_LIVED_EXPERIENCE = [
    "Birth trauma",
    "Baby loss",
    "Neonatal care",
    "Postnatal depression",
    "Twins",
    "Young parent",
]


class VolunteerSettings(models.Model):
    """Per-organisation settings, made with the defaults when the organisation is created."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="volunteer_settings")
    supervision_interval_weeks = models.PositiveSmallIntegerField(default=6)
    supervision_grace_weeks = models.PositiveSmallIntegerField(default=2)
    max_caseload_limit = models.PositiveSmallIntegerField(
        default=10, help_text="The highest maximum caseload a volunteer or PSO may be given."
    )

    class Meta:
        verbose_name_plural = "volunteer settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(supervision_interval_weeks__gte=1),
                name="supervision_interval_positive",
                violation_error_message="The supervision interval must be at least one week.",
            ),
            models.CheckConstraint(
                condition=Q(max_caseload_limit__lte=100),
                name="max_caseload_limit_sane",
                violation_error_message="The caseload limit must be 100 or less.",
            ),
        ]

    def __str__(self) -> str:
        return f"Volunteer settings of {self.organisation}"


class LivedExperience(models.Model):
    """An organisation's editable vocabulary (birth trauma, baby loss, …)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="lived_experiences")
    name = models.CharField(max_length=80)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="lived_experience_unique")]

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="courses")
    name = models.CharField(max_length=120)
    is_required = models.BooleanField(default=True, help_text="Core training: needed before matching.")
    valid_for_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty: completion does not expire."
    )

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="course_unique_in_organisation")]

    def __str__(self) -> str:
        return self.name


class VolunteerProfileQuerySet(OrganisationScopedQuerySet):
    def visible_to_member(self, scoped, *, user, membership):
        if membership.role == Role.PSO:
            supervisees = SupervisorPairing.objects.filter(supervisor_id=user.pk, ended_on__isnull=True).values(
                "volunteer_id"
            )
            return scoped.filter(Q(user_id=user.pk) | Q(pk__in=supervisees))
        return scoped.filter(user_id=user.pk)


class VolunteerProfile(models.Model):
    """A person working with families (volunteer or paid PSO), linked to
    their user account, one per organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="volunteer_profiles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="volunteer_profiles")
    kinds = models.JSONField(default=list, blank=True, help_text="One or more of the kinds of role.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.APPLICANT)
    status_changed_on = models.DateField(default=timezone.localdate)
    active_since = models.DateField(null=True, blank=True, help_text="When the person last became active.")
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    council_areas = models.ManyToManyField(CouncilArea, blank=True, related_name="+")
    localities = models.CharField(max_length=300, blank=True, help_text="Towns and neighbourhoods, comma-separated.")
    languages = models.CharField(max_length=200, blank=True, help_text="Comma-separated, e.g. English, Polish.")
    availability = models.JSONField(default=list, blank=True, help_text="Cells such as mon_am, wed_eve.")
    lived_experience = models.ManyToManyField(LivedExperience, blank=True, related_name="profiles")
    gender = models.CharField(max_length=10, choices=Gender.choices, blank=True, default="")
    max_caseload = models.PositiveSmallIntegerField(default=2)
    # Her own break, set by her ("I'm unavailable until"): out of matching on
    # every day before this date, back on it. A past date means no break; no
    # job clears it, the fitness rule compares it with today.
    unavailable_until = models.DateField(null=True, blank=True)
    # Why, in her words: seen by coordinators and managers only.
    unavailable_reason = models.CharField(max_length=300, blank=True)
    # Restricted to coordinators and managers.
    preferences = models.TextField(blank=True)
    coordinator_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = VolunteerProfileQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_volunteer_profile_per_organisation"),
            models.CheckConstraint(condition=Q(max_caseload__lte=100), name="volunteer_max_caseload_sane"),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def detail_url(self) -> str:
        return record_url("volunteers:detail", self.pk)

    @property
    def kind_labels(self) -> list[str]:
        labels = dict(Kind.choices)
        return [labels.get(kind, kind) for kind in self.kinds]

    @property
    def on_break(self) -> bool:
        """On her own break today (the rule: ``fitness.on_break``)."""
        return fitness.on_break(today=timezone.localdate(), unavailable_until=self.unavailable_until)


class StatusChange(models.Model):
    profile = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    changed_on = models.DateField()
    reason = models.CharField(max_length=300, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-changed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()} on {short_date(self.changed_on)}"


class TrainingRecord(models.Model):
    profile = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="training_records")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-completed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("completed_on")),
                name="training_expires_after_completion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} on {short_date(self.completed_on)}"


class PvgScheme(models.TextChoices):
    CHILDREN = "children", "Children"
    ADULTS = "adults", "Protected adults"
    BOTH = "both", "Children and protected adults"


class PvgRecord(models.Model):
    """The person's PVG scheme membership. The membership number is shown
    only to coordinators and managers."""

    profile = models.OneToOneField(VolunteerProfile, on_delete=models.CASCADE, related_name="pvg")
    membership_number = models.CharField(max_length=40)
    scheme = models.CharField(max_length=10, choices=PvgScheme.choices)
    issued_on = models.DateField()
    renewal_due = models.DateField(
        null=True,
        blank=True,
        help_text="Five years from issue for memberships from 1 Apr 2026; enter it for older records.",
    )

    class Meta:
        verbose_name = "PVG record"
        constraints = [
            models.CheckConstraint(
                condition=Q(renewal_due__isnull=True) | Q(renewal_due__gt=models.F("issued_on")),
                name="pvg_renewal_after_issue",
            )
        ]

    def __str__(self) -> str:
        return f"PVG record {self.pk}"


class Reference(models.Model):
    profile = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="references")
    name = models.CharField(max_length=150)
    relationship = models.CharField(max_length=100)
    received_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Reference {self.pk}"


class DisclosureTaskQuerySet(StaffOnlyQuerySet):
    def open(self) -> DisclosureTaskQuerySet:
        return self.filter(completed_on__isnull=True)


class DisclosureTask(models.Model):
    """Tell Disclosure Scotland that a person left a regulated role."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="disclosure_tasks")
    profile = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="disclosure_tasks")
    created_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DisclosureTaskQuerySet.as_manager()

    class Meta:
        ordering = ["created_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile"], condition=Q(completed_on__isnull=True), name="one_open_disclosure_task"
            )
        ]

    def __str__(self) -> str:
        return f"Disclosure Scotland task {self.pk}"


class SupervisorPairing(models.Model):
    """Who supervises a volunteer, from when to when (history kept)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    volunteer = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="pairings")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisees")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer"], condition=Q(ended_on__isnull=True), name="one_open_pairing_per_volunteer"
            )
        ]

    def __str__(self) -> str:
        return f"Pairing {self.pk}"


class SupervisionMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone"


class Wellbeing(models.TextChoices):
    GOOD = "good", "Doing well"
    SOME_STRAIN = "some_strain", "Some strain"
    CONCERN = "concern", "Concern: follow up"


class SupervisionSessionQuerySet(OrganisationScopedQuerySet):
    def visible_to_member(self, scoped, *, user, membership):
        own = VolunteerProfile.objects.filter(user_id=user.pk).values("pk")
        if membership.role == Role.PSO:
            supervisees = SupervisorPairing.objects.filter(supervisor_id=user.pk, ended_on__isnull=True).values(
                "volunteer_id"
            )
            return scoped.filter(
                Q(supervisor_id=user.pk)
                | Q(
                    pk__in=SupervisionSession.volunteers.through.objects.filter(
                        Q(volunteerprofile_id__in=supervisees) | Q(volunteerprofile_id__in=own)
                    ).values("supervisionsession_id")
                )
            )
        return scoped.filter(
            pk__in=SupervisionSession.volunteers.through.objects.filter(volunteerprofile_id__in=own).values(
                "supervisionsession_id"
            )
        )


class SupervisionSession(models.Model):
    """One supervision session: one volunteer, or several (group supervision)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    volunteers = models.ManyToManyField(VolunteerProfile, related_name="supervision_sessions")
    held_on = models.DateField()
    mode = models.CharField(max_length=20, choices=SupervisionMode.choices, default=SupervisionMode.IN_PERSON)
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    # Seen by the supervisor, coordinators and managers only.
    notes = models.TextField(blank=True)
    wellbeing = models.CharField(max_length=20, choices=Wellbeing.choices, default=Wellbeing.GOOD)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SupervisionSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=480), name="supervision_duration_sane"
            )
        ]

    def __str__(self) -> str:
        return f"Supervision session {self.pk}"

    @property
    def is_group(self) -> bool:
        return len(self.volunteers.all()) > 1

    def notes_visible_to(self, user) -> bool:
        membership = active_membership(user)
        return membership is not None and (membership.role in STAFF_ROLES or self.supervisor_id == user.pk)


class SupervisionAction(models.Model):
    session = models.ForeignKey(SupervisionSession, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_actions")
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"Supervision action {self.pk}"
