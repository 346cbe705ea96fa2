"""Factories of the expenses app. Claims a test means to check go through
``volunteers.expenses.services``; these make plain valid rows (a claim for
no contact, as if its log had been erased)."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories.core import OrganisationFactory, UserFactory
from tests.factories.volunteers import VolunteerProfileFactory
from volunteers.expenses.models import (
    ExpenseCategory,
    ExpenseClaim,
    ExpenseSettings,
    Kind,
    PayeeReference,
    PaymentBatch,
)


class ExpenseSettingsFactory(factory.django.DjangoModelFactory):
    """The organisation's settings, made with it (``volunteers.expenses.receivers``)."""

    class Meta:
        model = ExpenseSettings
        django_get_or_create = ("organisation",)

    organisation = factory.SubFactory(OrganisationFactory)


class ExpenseCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpenseCategory

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Taxi fare {n}")


class ExpenseClaimFactory(factory.django.DjangoModelFactory):
    """Five miles at 45p, waiting for a decision."""

    class Meta:
        model = ExpenseClaim

    organisation = factory.SubFactory(OrganisationFactory)
    volunteer = factory.SubFactory(VolunteerProfileFactory, organisation=factory.SelfAttribute("..organisation"))
    kind = Kind.MILEAGE
    miles = Decimal("5.0")
    pence_per_mile = 45
    amount_pence = 225
    spent_on = factory.LazyFunction(timezone.localdate)


class PaymentBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentBatch

    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory, active_organisation=factory.SelfAttribute("..organisation"))


class PayeeReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PayeeReference

    organisation = factory.SubFactory(OrganisationFactory)
    volunteer = factory.SubFactory(VolunteerProfileFactory, organisation=factory.SelfAttribute("..organisation"))
    reference = factory.Sequence(lambda n: f"SUP-{n:04d}")
