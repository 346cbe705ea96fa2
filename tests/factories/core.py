"""Factories of the base layer (operations.core): organisations set up as the
service does, people, memberships, services, council areas, audit and retention."""

from __future__ import annotations

import functools
import itertools

import factory
from django.conf import settings
from django.utils import timezone

from operations.core.audit import AuditAction, AuditEvent
from operations.core.council_areas import load_council_areas
from operations.core.models import (
    CouncilArea,
    Federation,
    FederationMembership,
    Membership,
    Organisation,
    Role,
    Service,
    ServiceKind,
    User,
    WorkerHeartbeat,
)
from operations.core.retention import RetentionRun, RetentionSetting
from operations.core.services import organisation_set_up


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test Peer Support {n}")
    slug = factory.Sequence(lambda n: f"test-peer-support-{n}")

    @factory.post_generation
    def areas(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.council_areas.set(extracted)

    @factory.post_generation
    def set_up(self, create: bool, extracted, **kwargs) -> None:
        # As the organisation_create service does: every app's settings, with defaults.
        if create:
            organisation_set_up(organisation=self)


class FederationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Federation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Test Federation {n}")
    slug = factory.Sequence(lambda n: f"test-federation-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", settings.DEMO_PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted, **kwargs) -> None:
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.VOLUNTEER


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Befriending {n}")
    kind = ServiceKind.BEFRIENDING
    end_child_age_months = 12


class FederationMembershipFactory(factory.django.DjangoModelFactory):
    """A federation officer: a person with no organisation membership."""

    class Meta:
        model = FederationMembership

    user = factory.SubFactory(UserFactory)
    federation = factory.SubFactory(FederationFactory)


def federation_officer(*, username: str, federation: Federation) -> User:
    """A user who is ``federation``'s officer and belongs to no organisation."""
    user = UserFactory(username=username)
    FederationMembershipFactory(user=user, federation=federation)
    return user


def federation_member(organisation: Organisation, federation: Federation, *, shares: bool = True) -> Organisation:
    """Makes ``organisation`` a member of ``federation``, sharing or not."""
    organisation.member_of = federation
    organisation.shares_with_federation = shares
    organisation.save(update_fields=["member_of", "shares_with_federation"])
    return organisation


def member(*, username: str, organisation: Organisation, role: str) -> User:
    """A user who belongs to ``organisation`` with ``role`` and works in it."""
    user = UserFactory(username=username, active_organisation=organisation)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


_people = itertools.count(1)


def member_of(organisation_path: str, role: str = Role.COORDINATOR):
    """A declaration giving who acted: a member with ``role`` of the
    organisation found at ``organisation_path`` (e.g. ``"referral.organisation"``),
    the first one it has, or a new one."""

    def make(made) -> User:
        organisation = functools.reduce(getattr, organisation_path.split("."), made)
        existing = (
            Membership.objects.filter(organisation=organisation, role=role, is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if existing is not None:
            return existing.user
        return member(username=f"{role}-{next(_people)}", organisation=organisation, role=role)

    return factory.LazyAttribute(make)


def council_area(gss_code: str) -> CouncilArea:
    if not CouncilArea.objects.exists():
        # Transactional tests flush every table, the migration's data included.
        load_council_areas(CouncilArea)
    return CouncilArea.objects.get(gss_code=gss_code)


class CouncilAreaFactory(factory.django.DjangoModelFactory):
    """A made-up area; the 32 real ones come with the migrations (``council_area``)."""

    class Meta:
        model = CouncilArea
        django_get_or_create = ("gss_code",)

    name = factory.Sequence(lambda n: f"Test Area {n}")
    gss_code = factory.Sequence(lambda n: f"T{n:08d}")
    health_board = "Test Health Board"


class WorkerHeartbeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkerHeartbeat
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"worker-{n}")
    seen_at = factory.LazyFunction(timezone.now)


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    action = AuditAction.VIEW
    actor = None
    organisation = factory.SubFactory(OrganisationFactory)
    summary = "Opened a record"


class RetentionSettingFactory(factory.django.DjangoModelFactory):
    """One rule's period for one organisation (the rule keys come from the
    apps' ``retention`` modules)."""

    class Meta:
        model = RetentionSetting
        django_get_or_create = ("organisation", "rule")

    organisation = factory.SubFactory(OrganisationFactory)
    rule = "audit"
    months = 72


class RetentionRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RetentionRun

    organisation = factory.SubFactory(OrganisationFactory)
    dry_run = True
    counts = factory.LazyFunction(lambda: {"audit": 0})
    by = member_of("organisation", Role.MANAGER)
