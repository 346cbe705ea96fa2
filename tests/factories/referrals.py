"""Factories of the referrals app (fictional people only)."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from referrals.models import (
    Child,
    Parent,
    ProcessingRestriction,
    Referral,
    ReferralTransition,
    Referrer,
    ReferrerKind,
    ReferringOrganisation,
    Source,
    Transfer,
    parent_search_text,
)
from tests.factories.core import OrganisationFactory, ServiceFactory, member_of


class ParentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Parent

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Sequence(lambda n: f"Testparent{n}")
    last_name = "Example"
    date_of_birth = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365 * 28))
    postcode = "TD1 1AA"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The app's services write the search text; a factory writes the row itself.
        parent = model_class(*args, **kwargs)
        parent.search_text = parent_search_text(parent)
        parent.save()
        return parent


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    parent = factory.SubFactory(ParentFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=10))


class ReferralFactory(factory.django.DjangoModelFactory):
    """A new referral; its parent and service belong to its organisation."""

    class Meta:
        model = Referral

    organisation = factory.SubFactory(OrganisationFactory)
    parent = factory.SubFactory(ParentFactory, organisation=factory.SelfAttribute("..organisation"))
    service = factory.SubFactory(ServiceFactory, organisation=factory.SelfAttribute("..organisation"))
    source = Source.MIDWIFE
    received_on = factory.LazyFunction(timezone.localdate)


class ReferralTransitionFactory(factory.django.DjangoModelFactory):
    """A move in the referral's history (the row; ``referral_transition``
    moves a referral by the workflow's rules)."""

    class Meta:
        model = ReferralTransition

    referral = factory.SubFactory(ReferralFactory)
    from_status = ""
    to_status = factory.SelfAttribute("referral.status")
    by = member_of("referral.organisation")
    reason = "Received"


class ProcessingRestrictionFactory(factory.django.DjangoModelFactory):
    """A standing restriction of processing, asked for today."""

    class Meta:
        model = ProcessingRestriction

    parent = factory.SubFactory(ParentFactory)
    requested_on = factory.LazyFunction(timezone.localdate)
    reason = "Contests the accuracy of the record"


class ReferringOrganisationFactory(factory.django.DjangoModelFactory):
    """A team of an organisation's referrer directory."""

    class Meta:
        model = ReferringOrganisation

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Test health visiting team {n}")
    kind = ReferrerKind.HEALTH_VISITING


class ReferrerFactory(factory.django.DjangoModelFactory):
    """A person of an organisation's referrer directory, in a team of the same organisation."""

    class Meta:
        model = Referrer

    organisation = factory.SubFactory(OrganisationFactory)
    referring_organisation = factory.SubFactory(
        ReferringOrganisationFactory, organisation=factory.SelfAttribute("..organisation")
    )
    name = factory.Sequence(lambda n: f"Testreferrer{n} Example")
    role = "Health visitor"
    email = factory.Sequence(lambda n: f"referrer{n}@example.org")


class TransferFactory(factory.django.DjangoModelFactory):
    """A proposal, waiting for an answer, to transfer a referral's family to
    another organisation (``referrals.transfers.transfer_propose`` applies the rules)."""

    class Meta:
        model = Transfer

    referral = factory.SubFactory(ReferralFactory)
    sending_organisation = factory.SelfAttribute("referral.organisation")
    receiving_organisation = factory.SubFactory(OrganisationFactory)
    stage = "due in March 2027"
    service_kind = factory.SelfAttribute("referral.service.kind")
    reason = "Moving to be near family"
    consent_recorded_by = member_of("referral.organisation")
    consent_recorded_at = factory.LazyFunction(timezone.now)
    proposed_by = factory.SelfAttribute("consent_recorded_by")
