"""Factories of the safeguarding app: a concern about a match's family,
raised by its volunteer, new, escalating two days on; its settings row is
made with the organisation."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from tests.factories.core import OrganisationFactory
from tests.factories.matching import MatchFactory
from volunteers.safeguarding.models import (
    About,
    Concern,
    ConcernEvent,
    EventKind,
    Kind,
    SafeguardingSettings,
    Urgency,
)


class SafeguardingSettingsFactory(factory.django.DjangoModelFactory):
    """The organisation's settings row (made with the organisation: this finds it)."""

    class Meta:
        model = SafeguardingSettings
        django_get_or_create = ("organisation",)

    organisation = factory.SubFactory(OrganisationFactory)


class ConcernFactory(factory.django.DjangoModelFactory):
    """A new concern about the parent of a match, raised by its volunteer."""

    class Meta:
        model = Concern

    match = factory.SubFactory(MatchFactory)
    organisation = factory.SelfAttribute("match.organisation")
    parent = factory.SelfAttribute("match.parent")
    volunteer = factory.SelfAttribute("match.volunteer")
    raised_by = factory.SelfAttribute("match.volunteer.user")
    about = About.PARENT
    kind = Kind.MENTAL_HEALTH
    urgency = Urgency.THIS_WEEK
    details = "Seemed low on the phone"
    escalate_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=2))


class ConcernEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConcernEvent

    concern = factory.SubFactory(ConcernFactory)
    kind = EventKind.RAISED
    actor = factory.SelfAttribute("concern.raised_by")
