"""factory_boy factories for the base layer, and outcome assessments scored
by the real rules. Apps add theirs beside their tests."""

from __future__ import annotations

import factory
from django.conf import settings
from django.utils import timezone

from operations.core.council_areas import load_council_areas
from operations.core.models import CouncilArea, Membership, Organisation, Role, Service, ServiceKind, User
from operations.core.services import organisation_set_up
from referrals.outcomes import measures
from referrals.outcomes.models import Assessment


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


def positions_for_total(measure, total: int) -> list[int]:
    """Option positions that score ``total`` on ``measure`` (raw total; for
    CORE-10 with every item answered the score is the same number): items are
    filled from the first, reverse-scored ones through their reversed options."""
    top = measure.options - 1
    remaining = total - measure.items * measure.first_score
    if not 0 <= remaining <= measure.items * top:
        raise ValueError(f"{measure.name} cannot total {total}.")
    positions = []
    for number in measure.item_numbers:
        item = min(top, remaining)
        remaining -= item
        positions.append(top - item if number in measure.reverse_items else item)
    return positions


def _scored(assessment) -> measures.Score:
    return measures.score(measures.MEASURES[assessment.measure], assessment.responses)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An assessment scored by the real rules. Give ``referral`` (its parent
    and organisation follow) and ``score_total``, or ``responses`` directly."""

    class Meta:
        model = Assessment
        exclude = ("score_total",)

    score_total = 10
    referral = None
    parent = factory.SelfAttribute("referral.parent")
    organisation = factory.SelfAttribute("referral.organisation")
    measure = "epds"
    timepoint = "baseline"
    taken_on = factory.LazyFunction(timezone.localdate)
    responses = factory.LazyAttribute(lambda o: positions_for_total(measures.MEASURES[o.measure], o.score_total))
    item_scores = factory.LazyAttribute(lambda o: list(_scored(o).item_scores))
    total = factory.LazyAttribute(lambda o: _scored(o).total)
    band = factory.LazyAttribute(lambda o: _scored(o).band_code)
    alert_items = factory.LazyAttribute(lambda o: list(_scored(o).alert_items))
    scoring_version = factory.LazyAttribute(lambda o: _scored(o).scoring_version)


def make_assessment_for_export(
    *,
    referral,
    measure: str = "epds",
    timepoint: str = "baseline",
    taken_on=None,
    positions: list[int | None] | None = None,
):
    """An assessment for export tests: every item at option 1 unless
    ``positions`` are given, scored by the real rules (AssessmentFactory)."""
    rules = measures.MEASURES[measure]
    return AssessmentFactory(
        referral=referral,
        measure=measure,
        timepoint=timepoint,
        taken_on=taken_on or timezone.localdate(),
        responses=positions if positions is not None else [1] * rules.items,
    )
