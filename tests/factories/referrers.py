"""Factories of the referrer directory and the partner API (fictional
teams and people only). The directory's own pages are another module's;
these make the rows the word-back and partner tests need."""

from __future__ import annotations

import secrets

import factory

from referrals.models import Referrer, ReferrerKind, ReferringOrganisation
from referrals.partners import services as partner_services
from referrals.partners.models import PartnerCredential
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


class PartnerCredentialFactory(factory.django.DjangoModelFactory):
    """A credential; its token (not stored) is on ``credential.token``."""

    class Meta:
        model = PartnerCredential

    organisation = factory.SubFactory(OrganisationFactory)
    referring_organisation = factory.SubFactory(
        ReferringOrganisationFactory, organisation=factory.SelfAttribute("..organisation")
    )
    referrer = None
    name = "Health visiting records system"

    @classmethod
    def _create(cls, model_class, *args, token: str | None = None, **kwargs):
        token = token or partner_services.TOKEN_PREFIX + secrets.token_urlsafe(32)
        credential = model_class(*args, token_prefix=token[:9], token_hash=partner_services.token_hash(token), **kwargs)
        credential.save()
        credential.token = token
        return credential
