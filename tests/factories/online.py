"""Factories of the online referral forms (referrals/online)."""

from __future__ import annotations

import factory

from referrals.online.models import FormKind, OnlineReferralSettings, OnlineSubmission, Outcome
from tests.factories.core import OrganisationFactory


class OnlineReferralSettingsFactory(factory.django.DjangoModelFactory):
    """The organisation's settings row (made with the organisation: this finds it)."""

    class Meta:
        model = OnlineReferralSettings
        django_get_or_create = ("organisation",)

    organisation = factory.SubFactory(OrganisationFactory)


class OnlineSubmissionFactory(factory.django.DjangoModelFactory):
    """A self-referral form held apart as spam (the one outcome that needs no referral)."""

    class Meta:
        model = OnlineSubmission

    organisation = factory.SubFactory(OrganisationFactory)
    form = FormKind.SELF
    reference = factory.Sequence(lambda n: f"R-TEST{n:04d}")
    outcome = Outcome.SPAM
    answers = factory.LazyFunction(lambda: {"First name": "Bot"})
