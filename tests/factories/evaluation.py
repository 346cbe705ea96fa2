"""Factories of the evaluation app: a project and a queued export; a
federation's pooled project, a member's opt-in, a pooled export and an inclusion."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from operations.core.models import Role
from operations.evaluation.models import (
    EvaluationExport,
    EvaluationProject,
    PooledExport,
    PooledInclusion,
    PooledOptIn,
    PooledProject,
)
from tests.factories.core import FederationFactory, OrganisationFactory, federation_officer, member_of


class EvaluationProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationProject

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Study {n}")


class EvaluationExportFactory(factory.django.DjangoModelFactory):
    """A queued export of the project, kept for 30 days."""

    class Meta:
        model = EvaluationExport

    project = factory.SubFactory(EvaluationProjectFactory)
    organisation = factory.SelfAttribute("project.organisation")
    requested_by = member_of("organisation", Role.MANAGER)
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))


class PooledProjectFactory(factory.django.DjangoModelFactory):
    """A federation's pooled evaluation project."""

    class Meta:
        model = PooledProject

    federation = factory.SubFactory(FederationFactory)
    name = factory.Sequence(lambda n: f"Pooled study {n}")


class PooledOptInFactory(factory.django.DjangoModelFactory):
    """A member organisation opted in to the project (by its manager)."""

    class Meta:
        model = PooledOptIn

    project = factory.SubFactory(PooledProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory, member_of=factory.SelfAttribute("..project.federation"))
    changed_by = member_of("organisation", Role.MANAGER)


class PooledExportFactory(factory.django.DjangoModelFactory):
    """A queued pooled export of the project, kept for 30 days."""

    class Meta:
        model = PooledExport

    project = factory.SubFactory(PooledProjectFactory)
    federation = factory.SelfAttribute("project.federation")
    requested_by = factory.LazyAttributeSequence(
        lambda export, n: federation_officer(username=f"pooled-officer-{n}", federation=export.federation)
    )
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))


class PooledInclusionFactory(factory.django.DjangoModelFactory):
    """A member's rows were in a pooled export."""

    class Meta:
        model = PooledInclusion

    export = factory.SubFactory(PooledExportFactory)
    project = factory.SelfAttribute("export.project")
    organisation = factory.SubFactory(
        OrganisationFactory, member_of=factory.SelfAttribute("..export.project.federation")
    )
