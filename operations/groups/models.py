"""Peer support groups, their sessions, bookings with crèche places, drop-in
head counts and private calendar tokens.

Visibility lives in each queryset's ``visible_to``: coordinators and managers
see their organisation's groups, sessions and bookings; a volunteer or PSO
sees only the groups they facilitate or help at in the crèche, and the
bookings of those sessions (the register), nothing else."""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from operations.core.dates import weekday_date
from operations.core.links import record_url
from operations.core.models import (
    CouncilArea,
    Organisation,
    OrganisationScopedQuerySet,
    Service,
)
from operations.core.validators import single_line
from operations.groups import creche, recurrence


class GroupSettings(models.Model):
    """Per-organisation crèche ratios and registration thresholds; until a
    manager sets them, ``selectors.settings_for`` reads the defaults unsaved."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="group_settings")
    children_per_adult_under_2 = models.PositiveSmallIntegerField(default=3)
    children_per_adult_2_to_3 = models.PositiveSmallIntegerField(default=5)
    children_per_adult_3_plus = models.PositiveSmallIntegerField(default=8)
    minimum_creche_adults = models.PositiveSmallIntegerField(default=2)
    registration_minutes_per_day = models.PositiveSmallIntegerField(
        default=120, help_text="A crèche running longer than this a day…"
    )
    registration_days_per_year = models.PositiveSmallIntegerField(
        default=6, help_text="…on this many days a year or more may need Care Inspectorate registration."
    )
    weeks_ahead = models.PositiveSmallIntegerField(default=12, help_text="Sessions are generated this far ahead.")

    class Meta:
        verbose_name_plural = "group settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(children_per_adult_under_2__gte=1)
                & Q(children_per_adult_2_to_3__gte=1)
                & Q(children_per_adult_3_plus__gte=1),
                name="group_settings_ratios_positive",
                violation_error_message="Each ratio needs at least one child per adult.",
            ),
            models.CheckConstraint(
                condition=Q(minimum_creche_adults__gte=2),
                name="group_settings_two_creche_adults",
                violation_error_message="A crèche never runs with fewer than 2 adults.",
            ),
            models.CheckConstraint(
                condition=Q(weeks_ahead__gte=1) & Q(weeks_ahead__lte=52),
                name="group_settings_weeks_ahead_range",
                violation_error_message="Generate between 1 and 52 weeks ahead.",
            ),
        ]

    def __str__(self) -> str:
        return f"Group settings of {self.organisation}"

    @property
    def ratios(self) -> creche.Ratios:
        return creche.Ratios(
            under_2=self.children_per_adult_under_2,
            two_to_3=self.children_per_adult_2_to_3,
            three_plus=self.children_per_adult_3_plus,
            minimum_adults=self.minimum_creche_adults,
        )

    @property
    def thresholds(self) -> creche.RegistrationThresholds:
        return creche.RegistrationThresholds(
            minutes_per_day=self.registration_minutes_per_day, days_per_year=self.registration_days_per_year
        )


class Audience(models.TextChoices):
    MOTHERS = "mothers", "Mothers only"
    PARENTS_AND_CARERS = "parents_carers", "Mothers, fathers and carers"
    FATHERS = "fathers", "Fathers"
    YOUNG_PARENTS = "young_parents", "Young parents"


#: The range a young parents' group's age limit may take (the review's
#: Young Parents Support Base takes school-age parents up to 19).
MIN_YOUNG_PARENT_AGE_LIMIT = 16
MAX_YOUNG_PARENT_AGE_LIMIT = 25
YOUNG_PARENT_AGE_LIMIT_MESSAGE = f"Give an age limit from {MIN_YOUNG_PARENT_AGE_LIMIT} to {MAX_YOUNG_PARENT_AGE_LIMIT}."


class Format(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    DROP_IN = "drop_in", "Drop-in (no booking)"


class Stage(models.TextChoices):
    ANTENATAL = "antenatal", "Antenatal"
    POSTNATAL = "postnatal", "Postnatal"
    BOTH = "both", "Antenatal and postnatal"


class Recurrence(models.TextChoices):
    WEEKLY = recurrence.WEEKLY, "Weekly"
    FORTNIGHTLY = recurrence.FORTNIGHTLY, "Fortnightly"
    MONTHLY = recurrence.MONTHLY, "Monthly"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, "First"
    SECOND = 2, "Second"
    THIRD = 3, "Third"
    FOURTH = 4, "Fourth"
    LAST = recurrence.LAST, "Last"


def _groups_helped_at(user):
    """Ids of the groups ``user`` facilitates or is on the usual crèche rota of."""
    facilitates = Group.facilitators.through.objects.filter(user_id=user.pk).values("group_id")
    on_rota = Group.creche_adults.through.objects.filter(user_id=user.pk).values("group_id")
    return facilitates.union(on_rota)


class GroupQuerySet(OrganisationScopedQuerySet):
    def visible_to_member(self, scoped, *, user, membership):
        return scoped.filter(pk__in=_groups_helped_at(user))


class Group(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="peer_groups")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="peer_groups")
    name = models.CharField(max_length=150, validators=[single_line])
    description = models.TextField(blank=True)
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.PARENTS_AND_CARERS)
    young_parent_age_limit = models.PositiveSmallIntegerField(
        "Young parents up to age",
        default=19,
        help_text="For a young parents' group: the oldest a parent may be on the session date.",
    )
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.IN_PERSON)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.BOTH)

    venue_name = models.CharField(max_length=150, blank=True, validators=[single_line])
    venue_address = models.CharField(max_length=300, blank=True)
    council_area = models.ForeignKey(CouncilArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    step_free_access = models.BooleanField(default=False)
    transport_offered = models.BooleanField(default=False)
    joining_link = models.URLField(blank=True, help_text="For online groups.")

    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_groups", help_text="Volunteers and PSOs."
    )
    professional_facilitators = models.CharField(
        max_length=300, blank=True, help_text="Professionals who co-facilitate (for example a health visitor)."
    )

    recurrence = models.CharField(max_length=20, choices=Recurrence.choices, default=Recurrence.WEEKLY)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    week_of_month = models.PositiveSmallIntegerField(
        choices=WeekOfMonth.choices, default=WeekOfMonth.FIRST, help_text="For monthly groups."
    )
    start_time = models.TimeField()
    end_time = models.TimeField()
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    adult_places = models.PositiveSmallIntegerField(default=12)
    creche_on = models.BooleanField("Crèche", default=False)
    creche_adults = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="creche_groups", help_text="The usual crèche rota."
    )
    creche_child_cap = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Optional cap on children.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="group_name_unique_in_organisation"),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="group_ends_after_it_starts",
                violation_error_message="A session must end after it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(format="online") | ~Q(joining_link=""),
                name="group_online_has_link",
                violation_error_message="An online group needs a joining link.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="group_ends_on_after_starts_on",
                violation_error_message="The last date cannot be before the first.",
            ),
            models.CheckConstraint(
                condition=Q(young_parent_age_limit__gte=MIN_YOUNG_PARENT_AGE_LIMIT)
                & Q(young_parent_age_limit__lte=MAX_YOUNG_PARENT_AGE_LIMIT),
                name="group_young_parent_age_limit_range",
                violation_error_message=YOUNG_PARENT_AGE_LIMIT_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def minutes(self) -> int:
        start = self.start_time.hour * 60 + self.start_time.minute
        return self.end_time.hour * 60 + self.end_time.minute - start

    @property
    def schedule_summary(self) -> str:
        day = Weekday(self.weekday).label
        if self.recurrence == Recurrence.MONTHLY:
            when = f"{WeekOfMonth(self.week_of_month).label.lower()} {day} of the month"
        elif self.recurrence == Recurrence.FORTNIGHTLY:
            when = f"every other {day}"
        else:
            when = f"every {day}"
        return f"{when}, {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class GroupSessionQuerySet(OrganisationScopedQuerySet):
    def visible_to_member(self, scoped, *, user, membership):
        # Subqueries, not joins: no duplicate rows and no DISTINCT to sort away.
        on_rota = GroupSession.creche_adults.through.objects.filter(user_id=user.pk).values("groupsession_id")
        return scoped.filter(Q(group_id__in=_groups_helped_at(user)) | Q(pk__in=on_rota))

    def upcoming(self, now=None) -> GroupSessionQuerySet:
        return self.filter(ends_at__gte=now or timezone.now())


class GroupSession(models.Model):
    """One meeting of a group. ``occurrence`` is the date the recurrence gave
    it; a moved session keeps it, so generating again never duplicates or
    undoes a single change."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sessions")
    occurrence = models.DateField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    changed = models.BooleanField(default=False, help_text="Moved or changed by hand: regeneration leaves it alone.")
    note = models.CharField(max_length=200, blank=True, help_text="For example why it was moved or cancelled.")
    adult_places = models.PositiveSmallIntegerField()
    creche_on = models.BooleanField("Crèche", default=False)
    creche_adults = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="creche_sessions")
    # Kept with the rota so the booking service reads capacity from the locked row alone.
    creche_adult_count = models.PositiveSmallIntegerField(default=0, editable=False)
    creche_child_cap = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = GroupSessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["organisation", "starts_at"])]
        constraints = [
            models.UniqueConstraint(fields=["group", "occurrence"], name="one_session_per_group_occurrence"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_it_starts",
                violation_error_message="A session must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(creche_on=False) | Q(creche_adult_count__gte=2),
                name="session_creche_has_two_adults",
                violation_error_message="A crèche needs at least 2 adults on the rota.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} on {weekday_date(timezone.localtime(self.starts_at).date())}"

    @property
    def date(self) -> date:
        return timezone.localtime(self.starts_at).date()

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    def capacity(self, *, fit_creche_adults: int | None = None) -> creche.Capacity:
        """What the session can hold. Only adults fit to work with children
        staff the crèche: callers pass how many on the rota are fit now
        (``selectors.loads_for``); the stored count is the rota's size."""
        return creche.Capacity(
            adult_places=self.adult_places,
            creche_on=self.creche_on,
            creche_adults=self.creche_adult_count if fit_creche_adults is None else fit_creche_adults,
            creche_child_cap=self.creche_child_cap,
        )


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    WAITING = "waiting", "Waiting list"
    CANCELLED = "cancelled", "Cancelled"
    ATTENDED = "attended", "Attended"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"


#: Statuses that hold a place (an adult place and the crèche places).
HOLDS_PLACE = (BookingStatus.BOOKED, BookingStatus.ATTENDED)


class BookingQuerySet(OrganisationScopedQuerySet):
    def visible_to_member(self, scoped, *, user, membership):
        # Facilitators see the register of their sessions, nothing more.
        return scoped.filter(session__in=GroupSession.objects.visible_to(user).values("pk"))

    def holding_place(self) -> BookingQuerySet:
        return self.filter(status__in=HOLDS_PLACE)


class Booking(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="bookings")
    # A known family, or a new attendee with minimal details and consent.
    parent = models.ForeignKey(
        "referrals.Parent", null=True, blank=True, on_delete=models.PROTECT, related_name="group_bookings"
    )
    attendee_name = models.CharField(max_length=150, blank=True)
    attendee_phone = models.CharField(max_length=20, blank=True)
    attendee_consent = models.BooleanField(
        "Consent to hold these details", default=False, help_text="The attendee agreed we keep their name and phone."
    )
    transport_needed = models.BooleanField(default=False)
    walk_in = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=BookingStatus.choices)
    waiting_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The parent said she is coming (answered YES to the session reminder).
    confirmed_at = models.DateTimeField("Confirmed by the parent", null=True, blank=True)
    # Set only when a coordinator booked a parent outside the group's audience.
    audience_override_reason = models.CharField(
        "Reason for booking outside the group's audience", max_length=300, blank=True
    )

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["session", "status"]),
            models.Index(
                fields=["session", "waiting_since"], name="booking_waiting_order", condition=Q(status="waiting")
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | (~Q(attendee_name="") & Q(attendee_consent=True)),
                name="booking_names_a_parent_or_consenting_attendee",
                violation_error_message="Choose a known parent, or give the attendee's name with their consent.",
            ),
            models.UniqueConstraint(
                fields=["session", "parent"],
                condition=~Q(status="cancelled"),
                name="one_live_booking_per_parent_and_session",
                violation_error_message="This parent is already booked on this session.",
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting") | Q(waiting_since__isnull=False),
                name="booking_waiting_has_since",
            ),
        ]

    def __str__(self) -> str:
        return f"Booking #{self.pk}"

    @property
    def display_name(self) -> str:
        if self.parent_id is not None:
            return self.parent.display_name
        return self.attendee_name

    @property
    def attendance_url(self) -> str:
        return record_url("groups:register-attendance", self.pk)


class BookingChild(models.Model):
    """A child coming to the crèche with a booking."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="children")
    child = models.ForeignKey("referrals.Child", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    first_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    present = models.BooleanField(default=False)

    class Meta:
        ordering = ["booking_id", "pk"]
        verbose_name_plural = "booking children"

    def __str__(self) -> str:
        return f"Crèche child #{self.pk}"

    @property
    def present_url(self) -> str:
        return record_url("groups:register-child-present", self.pk)

    def band_on(self, day: date) -> str:
        return creche.age_band(self.date_of_birth, day)


class HeadCount(models.Model):
    """A drop-in session's attendance without names."""

    session = models.OneToOneField(GroupSession, on_delete=models.CASCADE, related_name="head_count")
    mothers = models.PositiveSmallIntegerField(default=0)
    fathers = models.PositiveSmallIntegerField(default=0)
    other_carers = models.PositiveSmallIntegerField(default=0)
    children = models.PositiveSmallIntegerField(default=0)
    needed_interpreter = models.PositiveSmallIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    needed_interpreter__lte=models.F("mothers") + models.F("fathers") + models.F("other_carers")
                ),
                name="head_count_interpreters_within_adults",
                violation_error_message="More adults needed an interpreter than came.",
            ),
        ]

    def __str__(self) -> str:
        return f"Head count #{self.pk}"

    @property
    def adults(self) -> int:
        return self.mothers + self.fathers + self.other_carers


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar feed in one organisation: the token in the
    URL is the only key, so resetting it cuts off every old subscription."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="one_calendar_feed_per_member")]

    def __str__(self) -> str:
        return f"Calendar feed #{self.pk}"


class SessionExpenseClaim(models.Model):
    """A volunteer's expense claim made for a group session she helped at.
    Kept here, pointing down at the claim, because volunteers/ never imports
    groups (``operations.groups.expense_targets`` offers the sessions to
    the claim form). A session deleted takes the link with it; the claim,
    a record of money, stays and reads "No longer on record"."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    claim = models.OneToOneField("expenses.ExpenseClaim", on_delete=models.CASCADE, related_name="group_session_link")
    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="expense_claims")

    def __str__(self) -> str:
        return f"Expense claim {self.claim_id} for session {self.session_id}"
