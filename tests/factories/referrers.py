"""Factories of the referrer directory (referrals.ReferringOrganisation and
referrals.Referrer; fictional teams and people only, at example addresses)."""

from __future__ import annotations

import factory

from referrals.models import Referrer, ReferrerKind, ReferringOrganisation
from tests.factories.core import OrganisationFactory


class ReferringOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferringOrganisation

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Borders Health Visiting Team {n}")
    kind = ReferrerKind.HEALTH_VISITING
    email = "hv-team@nhs.example"


class ReferrerFactory(factory.django.DjangoModelFactory):
    """A health visitor with a work email, in a team of the same organisation."""

    class Meta:
        model = Referrer

    organisation = factory.SubFactory(OrganisationFactory)
    referring_organisation = factory.SubFactory(
        ReferringOrganisationFactory, organisation=factory.SelfAttribute("..organisation")
    )
    name = factory.Sequence(lambda n: f"Morag Referrer{n}")
    role = "Health visitor"
    email = factory.Sequence(lambda n: f"morag.referrer{n}@nhs.example")
