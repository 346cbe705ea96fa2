"""Factories of word back to the referrer (operations.referrer_updates)."""

from __future__ import annotations

import factory

from operations.referrer_updates.models import ReferrerUpdate, ReferrerUpdateSettings
from operations.referrer_updates.wording import Event
from tests.factories.core import OrganisationFactory
from tests.factories.referrals import ReferralFactory, ReferrerFactory


class ReferrerUpdateSettingsFactory(factory.django.DjangoModelFactory):
    """The organisation's settings row (made with the organisation: this finds it)."""

    class Meta:
        model = ReferrerUpdateSettings
        django_get_or_create = ("organisation",)

    organisation = factory.SubFactory(OrganisationFactory)


class ReferrerUpdateFactory(factory.django.DjangoModelFactory):
    """A log row of an update told (the row; the services write it with its outbox message)."""

    class Meta:
        model = ReferrerUpdate

    referral = factory.SubFactory(ReferralFactory)
    organisation = factory.SelfAttribute("referral.organisation")
    event = Event.RECEIVED
    referrer = factory.SubFactory(ReferrerFactory, organisation=factory.SelfAttribute("..referral.organisation"))
