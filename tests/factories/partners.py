"""Factories of the partner API (referrals.partners)."""

from __future__ import annotations

import secrets

import factory

from referrals.partners import services as partner_services
from referrals.partners.models import PartnerCredential, PartnerReferral
from tests.factories.core import OrganisationFactory
from tests.factories.referrals import ReferralFactory, ReferringOrganisationFactory


class PartnerCredentialFactory(factory.django.DjangoModelFactory):
    """A credential of a team; its token (never stored) is on ``credential.token``."""

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
        credential = model_class(
            *args,
            token_prefix=token[: len(partner_services.TOKEN_PREFIX) + 4],
            token_hash=partner_services.token_hash(token),
            **kwargs,
        )
        credential.save()
        credential.token = token
        return credential


class PartnerReferralFactory(factory.django.DjangoModelFactory):
    """A referral a partner system made (the row; the API makes it by the rules)."""

    class Meta:
        model = PartnerReferral

    credential = factory.SubFactory(PartnerCredentialFactory)
    key = factory.Sequence(lambda n: f"partner-key-{n}")
    request_hash = "0" * 64
    referral = factory.SubFactory(
        ReferralFactory, organisation=factory.SelfAttribute("..credential.organisation"), channel="partner_api"
    )
