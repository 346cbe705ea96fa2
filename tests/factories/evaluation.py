"""Factories of the evaluation app: a project and a queued export."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from operations.core.models import Role
from operations.evaluation.models import EvaluationExport, EvaluationProject
from tests.factories.core import OrganisationFactory, member_of


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
