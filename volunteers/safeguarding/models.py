"""Concerns and safeguarding: a concern raised by a volunteer, a PSO or a
supervisor, worked through new -> acknowledged -> action planned -> closed,
with every step kept on its timeline; and each organisation's safeguarding
settings (its leads, what "danger now" tells people, when to escalate)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from operations.core.models import STAFF_ROLES, Organisation, OrganisationScopedQuerySet, Role
from referrals.models import Parent
from volunteers.matching.models import ContactLog, Match
from volunteers.models import SupervisionSession, SupervisorPairing, VolunteerProfile


class About(models.TextChoices):
    PARENT = "parent", "The parent"
    CHILD = "child", "The baby or child"
    HOUSEHOLD = "household", "Someone else in the home"
    VOLUNTEER = "volunteer", "The volunteer themself"


class Kind(models.TextChoices):
    MENTAL_HEALTH = "mental_health", "Mental health or risk to self"
    BABY_WELFARE = "baby_welfare", "The baby's welfare"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    PRACTICAL_CRISIS = "practical_crisis", "Practical crisis (housing, money, food)"
    OTHER = "other", "Something else"


class Urgency(models.TextChoices):
    DANGER_NOW = "danger_now", "Someone is in danger now"
    TODAY = "today", "Today"
    THIS_WEEK = "this_week", "This week"


#: Most urgent first: the worklist's order within a status.
URGENCY_RANK = {Urgency.DANGER_NOW: 0, Urgency.TODAY: 1, Urgency.THIS_WEEK: 2}


class ConcernStatus(models.TextChoices):
    NEW = "new", "New"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    PLANNED = "planned", "Action planned"
    CLOSED = "closed", "Closed"


OPEN_CONCERN_STATUSES = (ConcernStatus.NEW, ConcernStatus.ACKNOWLEDGED, ConcernStatus.PLANNED)


class Outcome(models.TextChoices):
    ADVICE = "advice", "Advice given"
    HEALTH = "health", "Referred to GP, midwife or health visitor"
    SOCIAL_WORK = "social_work", "Referred to social work"
    POLICE = "police", "Police informed"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class Source(models.TextChoices):
    FORM = "form", "Raised a concern"
    CONTACT_LOG = "contact_log", "Ticked in a contact log"
    SUPERVISION = "supervision", "Supervision: follow up"


def _minutes(default: int, low: int, high: int, verbose_name: str):
    return models.PositiveSmallIntegerField(
        verbose_name,
        default=default,
        validators=[MinValueValidator(low), MaxValueValidator(high)],
        help_text=f"Default {default}; between {low} and {high}.",
    )


class SafeguardingSettings(models.Model):
    """One per organisation, made with the defaults when it is created."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="safeguarding_settings")
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name="Designated safeguarding leads",
        help_text="Told of every concern at once; they see and work every concern.",
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Deputy safeguarding lead",
        help_text="Told when a concern is not acknowledged in time.",
    )
    emergency_number = models.CharField("Emergency number", max_length=20, default="999")
    emergency_instructions = models.TextField(
        "What to do first",
        max_length=1000,
        default="If anyone is in danger now, call 999 straight away. Stay on the line and follow what they tell you.",
    )
    on_call_phone = models.CharField(
        "On-call phone", max_length=40, blank=True, help_text="Gets an SMS for every urgent concern."
    )
    on_call_instructions = models.TextField(
        "Then",
        max_length=1000,
        default="When you are safe, call the on-call number and tell them what happened.",
    )
    danger_now_minutes = _minutes(30, 5, 240, "Danger now: minutes before escalating")
    today_working_hours = _minutes(4, 1, 16, "Today: working hours before escalating")
    this_week_working_days = _minutes(2, 1, 10, "This week: working days before escalating")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "safeguarding settings"

    def __str__(self) -> str:
        return f"Safeguarding settings of organisation {self.organisation_id}"


def is_lead(user, organisation_id: int) -> bool:
    """A designated safeguarding lead or the deputy of the organisation."""
    return SafeguardingSettings.objects.filter(
        Q(leads=user.pk) | Q(deputy_id=user.pk), organisation_id=organisation_id
    ).exists()


class ConcernQuerySet(OrganisationScopedQuerySet):
    """Staff and the safeguarding leads see the organisation's concerns; a
    PSO those they raised, those about their own families, and their
    supervisees' (families and wellbeing); a volunteer those they raised."""

    def visible_to_member(self, scoped, *, user, membership):
        if is_lead(user, membership.organisation_id):
            return scoped
        own = Q(raised_by_id=user.pk)
        if membership.role != Role.PSO:
            return scoped.filter(own)
        supervisees = SupervisorPairing.objects.filter(supervisor_id=user.pk, ended_on__isnull=True).values(
            "volunteer_id"
        )
        return scoped.filter(
            own | Q(volunteer__user_id=user.pk) | Q(volunteer_id__in=supervisees) | Q(owner_id=user.pk)
        )

    def open(self):
        return self.filter(status__in=OPEN_CONCERN_STATUSES)


class Concern(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    #: The family (empty for a concern about a volunteer's own wellbeing).
    parent = models.ForeignKey(Parent, null=True, blank=True, on_delete=models.CASCADE, related_name="concerns")
    match = models.ForeignKey(Match, null=True, blank=True, on_delete=models.CASCADE, related_name="concerns")
    #: The volunteer or PSO whose family it is, or who the concern is about.
    volunteer = models.ForeignKey(
        VolunteerProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="concerns"
    )
    about = models.CharField(max_length=20, choices=About.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    urgency = models.CharField(max_length=20, choices=Urgency.choices)
    details = models.TextField(max_length=2000)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.FORM)
    contact_log = models.OneToOneField(
        ContactLog, null=True, blank=True, on_delete=models.SET_NULL, related_name="concern"
    )
    supervision = models.ForeignKey(
        SupervisionSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Made by the page (or the app) before sending: the same concern sent
    #: twice on a poor connection is kept once.
    client_key = models.UUIDField(null=True, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.NEW)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    #: When it escalates if still new: fixed when raised, from the settings then.
    escalate_at = models.DateTimeField()
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status", "raised_at"]),
            # The escalation sweep (every minute) reads only what may be due.
            models.Index(
                fields=["escalate_at"],
                name="concern_to_escalate",
                condition=Q(status="new", escalated_at__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "client_key"],
                condition=Q(client_key__isnull=False),
                name="concern_sent_once",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="closed_concern_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status="new") | Q(acknowledged_at__isnull=False),
                name="worked_concern_was_acknowledged",
            ),
        ]

    def __str__(self) -> str:
        return f"Concern {self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("safeguarding:concern-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != ConcernStatus.CLOSED

    def notes_visible_to(self, user) -> bool:
        """Everyone who may see a concern sees its timeline's notes, except a
        volunteer who raised it: they see its status, never the notes."""
        membership = user.active_membership if getattr(user, "is_authenticated", False) else None
        if membership is None or membership.organisation_id != self.organisation_id:
            return False
        if membership.role in STAFF_ROLES or membership.role == Role.PSO:
            return True
        return is_lead(user, self.organisation_id)


class EventKind(models.TextChoices):
    RAISED = "raised", "Raised"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    PLANNED = "planned", "Action planned"
    ESCALATED = "escalated", "Escalated: not acknowledged in time"
    FOLLOW_UP_DUE = "follow_up_due", "Follow-up due"
    CLOSED = "closed", "Closed"


class ConcernEvent(models.Model):
    """One step of a concern's timeline: who, when, and what was decided."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True, max_length=2000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["concern", "at"])]

    def __str__(self) -> str:
        return f"Concern event {self.pk}"
