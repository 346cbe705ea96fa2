"""Factories of the closures room (closing a service well)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from operations.closures.models import ClosureDecision, Outcome, ServiceClosure
from tests.factories.core import OrganisationFactory, ServiceFactory
from tests.factories.referrals import ReferralFactory


class ServiceClosureFactory(factory.django.DjangoModelFactory):
    """A planned closure of a service, its last day four weeks from today
    (``operations.closures.services.closure_plan`` applies the rules)."""

    class Meta:
        model = ServiceClosure

    organisation = factory.SubFactory(OrganisationFactory)
    service = factory.SubFactory(ServiceFactory, organisation=factory.SelfAttribute("..organisation"))
    last_day = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(weeks=4))


class ClosureDecisionFactory(factory.django.DjangoModelFactory):
    """A planned ending decided for an open referral of the closing service."""

    class Meta:
        model = ClosureDecision

    closure = factory.SubFactory(ServiceClosureFactory)
    organisation = factory.SelfAttribute("closure.organisation")
    referral = factory.SubFactory(
        ReferralFactory,
        organisation=factory.SelfAttribute("..closure.organisation"),
        service=factory.SelfAttribute("..closure.service"),
    )
    outcome = Outcome.PLANNED_END
