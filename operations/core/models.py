"""The lowest layer: users, organisations, memberships and roles, council
areas and services with their eligibility policies.

Every record above this layer belongs to exactly one organisation, and every
query for it goes through that model's ``visible_to(user)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from operations.core.dates import date_time

if TYPE_CHECKING:
    from collections.abc import Iterable


class Role(models.TextChoices):
    VOLUNTEER = "volunteer", "Volunteer"
    PSO = "pso", "Perinatal Support Officer"
    COORDINATOR = "coordinator", "Coordinator"
    MANAGER = "manager", "Manager"


#: Roles that run the service day to day and see everything operational.
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.MANAGER})


class User(AbstractUser):
    """A person who signs in. What they may do depends on their membership
    in the organisation they are working in (``active_organisation``)."""

    active_organisation = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organisation this person is working in now; chosen with the switcher.",
    )

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def active_memberships(self) -> list[Membership]:
        """Every organisation this person works in (for the switcher), with
        the organisation loaded. Cached: a request asks the database once."""
        return list(
            Membership.objects.select_related("organisation")
            .filter(user_id=self.pk, is_active=True)
            .order_by("organisation__name")
        )

    @cached_property
    def active_membership(self) -> Membership | None:
        """The membership in the organisation being worked in, or None."""
        if self.active_organisation_id is None:
            return None
        for membership in self.active_memberships:
            if membership.organisation_id == self.active_organisation_id:
                return membership
        return None

    @cached_property
    def organisation_services(self) -> list[Service]:
        """The services of the organisation being worked in. Cached on the
        user object: several panels of the home page (the coordinator's
        targets, the services summary) read it in one request."""
        if self.active_membership is None:
            return []
        return list(Service.objects.visible_to(self))

    @cached_property
    def federation_membership(self) -> FederationMembership | None:
        """The federation this person works for as its officer, or None
        (``operations.core.federations.federation_of`` reads it). Cached: a
        request asks the database once."""
        return (
            FederationMembership.objects.select_related("federation")
            .filter(user_id=self.pk, is_active=True)
            .order_by("federation__name")
            .first()
        )


class CouncilArea(models.Model):
    """One of Scotland's 32 council areas (loaded by a data migration)."""

    name = models.CharField(max_length=80, unique=True)
    gss_code = models.CharField("GSS code", max_length=9, unique=True)
    former_codes = models.CharField(max_length=80, blank=True)
    health_board = models.CharField(max_length=80)
    # Areas sharing a land boundary (data/council-area-neighbours.csv), for
    # the travel score of matching. Symmetrical: Angus neighbours Dundee City
    # exactly when Dundee City neighbours Angus.
    neighbours = models.ManyToManyField("self", symmetrical=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Federation(models.Model):
    """A federation of organisations (Home-Start Scotland and its 31
    branches). Its officers see the figures its members share, suppressed,
    and never a record (``operations.core.federations``)."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FederationMembership(models.Model):
    """The federation officer role: a person who works for a federation, not
    in any organisation. An officer has no ``Membership``, so every
    ``visible_to(user)`` gives them nothing; they see only the federation
    pages, and there only what sharing members share."""

    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="federation_memberships")
    federation = models.ForeignKey(Federation, on_delete=models.CASCADE, related_name="officers")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "federation"], name="one_federation_membership_per_federation"),
        ]
        ordering = ["federation__name"]
        verbose_name = "federation officer"

    def __str__(self) -> str:
        return f"{self.user} — federation officer at {self.federation}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.user_id and Membership.objects.filter(user_id=self.user_id, is_active=True).exists():
            raise ValidationError(
                {
                    "user": "This person works in an organisation. A federation officer must not: "
                    "make a separate account for the federation work."
                }
            )


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user) -> OrganisationQuerySet:
        """Organisations the user belongs to (for the switcher and the API)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(memberships__user_id=user.pk, memberships__is_active=True)


class Organisation(models.Model):
    """A charity, or one branch of a federation (Home-Start's branches)."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    member_of = models.ForeignKey(
        Federation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name="federation",
        help_text="The federation this organisation is a branch of, if any (e.g. Home-Start Scotland).",
    )
    # Set by the organisation's manager (operations.core.federations.sharing_set),
    # never by the federation: nothing of a member that does not share is
    # counted anywhere federation-wide.
    shares_with_federation = models.BooleanField(
        "shares figures with its federation",
        default=False,
        help_text="Counts only, suppressed; never a record. Switched by the organisation's manager.",
    )
    sharing_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sharing_changed_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    charity_number = models.CharField("Scottish charity number", max_length=20, blank=True)
    care_inspectorate_number = models.CharField(
        "Care Inspectorate registration number",
        max_length=40,
        blank=True,
        help_text="Needed when a crèche runs over 2 hours a day on 6 or more days a year.",
    )
    council_areas = models.ManyToManyField(CouncilArea, blank=True, related_name="organisations")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True)


class Membership(models.Model):
    """A user's role in one organisation. One role per organisation; a user
    may belong to several organisations."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_organisation"),
        ]
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


class OrganisationScopedQuerySet(models.QuerySet):
    """Base for every model owned by an organisation.

    ``visible_to`` is the one place that decides which rows a user may see:
    nothing outside the organisation they are working in; inside it, staff
    (coordinators and managers) see every row, and anyone else (volunteers
    and PSOs) what ``visible_to_member`` keeps. Models whose rows members
    see only some of override ``visible_to_member``, not ``visible_to``.
    """

    organisation_field = "organisation"

    def in_active_organisation(self, user) -> OrganisationScopedQuerySet:
        membership = active_membership(user)
        if membership is None:
            return self.none()
        return self.filter(**{f"{self.organisation_field}_id": membership.organisation_id})

    def visible_to(self, user) -> OrganisationScopedQuerySet:
        scoped = self.in_active_organisation(user)
        membership = active_membership(user)
        if membership is None or membership.role in STAFF_ROLES:
            return scoped
        return self.visible_to_member(scoped, user=user, membership=membership)

    def visible_to_member(self, scoped, *, user, membership: Membership) -> OrganisationScopedQuerySet:
        """The rows of ``scoped`` (already the organisation's) a volunteer or
        PSO may see; all of them unless a model says otherwise."""
        return scoped

    def counted_for(self, organisation_ids) -> OrganisationScopedQuerySet:
        """The rows of these organisations, for COUNTS ONLY: the federation
        roll-up (``operations.dashboard.selectors.rollup_for``) counts its
        sharing members' rows with it and publishes the counts suppressed.
        Never a way to show a record: pages and the API use ``visible_to``."""
        return self.filter(**{f"{self.organisation_field}_id__in": list(organisation_ids)})


class StaffOnlyQuerySet(OrganisationScopedQuerySet):
    """Staff records: volunteers and PSOs see none."""

    def visible_to_member(self, scoped, *, user, membership: Membership) -> OrganisationScopedQuerySet:
        return scoped.none()


class ServiceKind(models.TextChoices):
    BEFRIENDING = "befriending", "Volunteer befriending"
    PSO_SUPPORT = "pso_support", "PSO one-to-one support"
    GROUP = "group", "Peer support group"
    BIRTH_COMPANION = "birth_companion", "Birth companion"
    ONLINE_DROP_IN = "online_drop_in", "Online or drop-in support"


class StartRule(models.TextChoices):
    ANY_TIME_IN_PREGNANCY = "pregnancy", "At any point in pregnancy"
    FROM_GESTATION_WEEK = "gestation_week", "From a given week of pregnancy"


class ServiceQuerySet(OrganisationScopedQuerySet):
    def active(self) -> ServiceQuerySet:
        return self.filter(is_active=True)


class Service(models.Model):
    """A service an organisation runs, with its eligibility policy.

    The policy fields state when support may start and when it must end
    (youngest child's age, a fixed length of support, or whichever comes
    first); the date arithmetic lives in ``referrals.eligibility``.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=30, choices=ServiceKind.choices)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    start_rule = models.CharField(max_length=20, choices=StartRule.choices, default=StartRule.ANY_TIME_IN_PREGNANCY)
    start_gestation_weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Support may start from this week of pregnancy (e.g. 32)."
    )
    end_child_age_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Support ends the day before the youngest child reaches this age (12 = first birthday).",
    )
    end_support_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Support ends this many months after it starts."
    )
    bereavement_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=12,
        help_text="After a baby loss, support may continue this many months after the loss. Empty: no continuation.",
    )
    waiting_target_working_days = models.PositiveSmallIntegerField(
        default=10, help_text="A referral should be contacted within this many working days."
    )

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="service_name_unique_in_organisation"),
            models.CheckConstraint(
                condition=Q(end_child_age_months__isnull=False) | Q(end_support_months__isnull=False),
                name="service_has_an_end_rule",
                violation_error_message="Set when support ends: a child's age, a length of support, or both.",
            ),
            models.CheckConstraint(
                condition=~Q(start_rule="gestation_week") | Q(start_gestation_weeks__isnull=False),
                name="service_gestation_start_has_week",
                violation_error_message="Give the week of pregnancy support starts from.",
            ),
            models.CheckConstraint(
                condition=Q(start_gestation_weeks__isnull=True) | Q(start_gestation_weeks__lte=42),
                name="service_gestation_week_in_range",
                violation_error_message="The starting week of pregnancy must be 42 or less.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def policy_summary(self) -> str:
        """The eligibility policy in one sentence a person can read."""
        if self.start_rule == StartRule.FROM_GESTATION_WEEK:
            start = f"from week {self.start_gestation_weeks} of pregnancy"
        else:
            start = "from pregnancy"
        ends: list[str] = []
        if self.end_child_age_months is not None:
            ends.append(f"until the youngest child turns {_describe_age(self.end_child_age_months)}")
        if self.end_support_months is not None:
            ends.append(f"for up to {self.end_support_months} months of support")
        end = " or ".join(ends) + (", whichever comes first" if len(ends) > 1 else "")
        bereavement = (
            f"; after a baby loss, support can continue for {self.bereavement_months} months"
            if self.bereavement_months
            else ""
        )
        return f"Support {start} {end}{bereavement}."


def _describe_age(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return "one" if years == 1 else str(years)
    return f"{months} months"


class WorkerHeartbeat(models.Model):
    """When beat last got a task through the broker to a worker.

    One row, updated every 30 seconds by a periodic task: proves the scheduler,
    the broker and a worker all work."""

    name = models.CharField(max_length=40, unique=True, default="worker")
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} seen at {date_time(timezone.localtime(self.seen_at))}"


def active_membership(user) -> Membership | None:
    """The membership that decides what ``user`` may see now (None: nothing)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return user.active_membership


def organisations_for(user) -> Iterable[Membership]:
    """A user's active memberships with their organisations, for the switcher."""
    return user.active_memberships


# The audit log lives in its own module; importing it here registers the
# model with this app and connects the sign-in signal receivers.
from operations.core.audit import AuditEvent  # noqa: E402, F401
from operations.core.retention import RetentionRun, RetentionSetting  # noqa: E402, F401
