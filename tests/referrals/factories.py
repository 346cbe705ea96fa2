"""Factories for the referrals app (fictional people only)."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from referrals.models import Child, Parent, Referral, Source


class ParentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Parent

    first_name = factory.Sequence(lambda n: f"Testparent{n}")
    last_name = "Example"
    date_of_birth = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365 * 28))
    postcode = "TD1 1AA"


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    parent = factory.SubFactory(ParentFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=10))


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    parent = factory.SubFactory(ParentFactory, organisation=factory.SelfAttribute("..organisation"))
    source = Source.MIDWIFE
    received_on = factory.LazyFunction(timezone.localdate)
