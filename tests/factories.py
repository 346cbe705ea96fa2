"""factory_boy factories for the base layer. Apps add theirs beside their tests."""

from __future__ import annotations

import factory
from django.conf import settings

from operations.core.council_areas import load_council_areas
from operations.core.models import CouncilArea, Membership, Organisation, Role, Service, ServiceKind, User


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


def member(*, username: str, organisation: Organisation, role: str) -> User:
    """A user who belongs to ``organisation`` with ``role`` and works in it."""
    user = UserFactory(username=username, active_organisation=organisation)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def council_area(gss_code: str) -> CouncilArea:
    if not CouncilArea.objects.exists():
        # Transactional tests flush every table, the migration's data included.
        load_council_areas(CouncilArea)
    return CouncilArea.objects.get(gss_code=gss_code)


def make_assessment_for_export(
    *,
    referral,
    measure: str = "epds",
    timepoint: str = "baseline",
    taken_on=None,
    positions: list[int | None] | None = None,
):
    """An assessment with its total, band and item scores computed by the
    real scoring module (for export tests; entry has its own factory)."""
    from django.utils import timezone

    from referrals.outcomes import measures
    from referrals.outcomes.models import Assessment

    rules = measures.MEASURES[measure]
    positions = positions if positions is not None else [1] * rules.items
    result = measures.score(rules, positions)
    return Assessment.objects.create(
        organisation_id=referral.organisation_id,
        parent_id=referral.parent_id,
        referral=referral,
        measure=measure,
        timepoint=timepoint,
        taken_on=taken_on or timezone.localdate(),
        responses=positions,
        item_scores=list(result.item_scores),
        total=result.total,
        band=result.band_code,
        alert_items=list(result.alert_items),
        scoring_version=result.scoring_version,
    )
