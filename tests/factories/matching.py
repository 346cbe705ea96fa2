"""Factories of the matching sub-app: a match is confirmed before it starts,
and its visits, contact logs and concerns belong to its organisation."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from referrals.workflow import Status as ReferralStatus
from tests.factories.core import OrganisationFactory, member_of
from tests.factories.referrals import ParentFactory, ReferralFactory
from tests.factories.volunteers import VolunteerProfileFactory
from volunteers.matching.models import (
    Concern,
    ConflictOfInterest,
    ContactLog,
    DirectoryEntry,
    Match,
    MatchingNeeds,
    MatchingSettings,
    MatchReview,
    MatchStatus,
    Visit,
)


class MatchingSettingsFactory(factory.django.DjangoModelFactory):
    """The organisation's settings row (made with the organisation: this finds it)."""

    class Meta:
        model = MatchingSettings
        django_get_or_create = ("organisation",)

    organisation = factory.SubFactory(OrganisationFactory)


class MatchingNeedsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchingNeeds
        django_get_or_create = ("referral",)

    referral = factory.SubFactory(ReferralFactory, status=ReferralStatus.WAITING)
    organisation = factory.SelfAttribute("referral.organisation")
    availability = factory.LazyFunction(lambda: ["mon_am"])


class ConflictOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictOfInterest

    organisation = factory.SubFactory(OrganisationFactory)
    parent = factory.SubFactory(ParentFactory, organisation=factory.SelfAttribute("..organisation"))
    volunteer = factory.SubFactory(VolunteerProfileFactory, organisation=factory.SelfAttribute("..organisation"))
    note = "Neighbours"


class MatchFactory(factory.django.DjangoModelFactory):
    """An active befriending match, confirmed a month ago and started (its
    first contact) a week after; the parent is the referral's. Pass
    ``referral`` to match an existing one (its status is left as it is)."""

    class Meta:
        model = Match

    organisation = factory.SubFactory(OrganisationFactory)
    referral = factory.SubFactory(
        ReferralFactory, organisation=factory.SelfAttribute("..organisation"), status=ReferralStatus.ACTIVE
    )
    parent = factory.SelfAttribute("referral.parent")
    volunteer = factory.SubFactory(VolunteerProfileFactory, organisation=factory.SelfAttribute("..organisation"))
    status = MatchStatus.ACTIVE
    confirmed_by = member_of("organisation")
    confirmed_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))
    introduced_on = factory.LazyAttribute(lambda o: timezone.localtime(o.confirmed_at).date() + dt.timedelta(days=3))
    started_on = factory.LazyAttribute(lambda o: o.introduced_on + dt.timedelta(days=4))
    status_changed_at = factory.LazyAttribute(lambda o: o.confirmed_at)
    ended_on = factory.LazyAttribute(lambda o: timezone.localdate() if o.status == MatchStatus.ENDED else None)
    ending_type = factory.LazyAttribute(lambda o: "planned" if o.status == MatchStatus.ENDED else "")


class MatchReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchReview

    match = factory.SubFactory(MatchFactory)
    held_on = factory.LazyFunction(timezone.localdate)
    next_review_on = factory.LazyAttribute(lambda o: o.held_on + dt.timedelta(days=90))
    by = member_of("match.organisation")
    notes = "Going well"


class VisitFactory(factory.django.DjangoModelFactory):
    """A visit planned in three days."""

    class Meta:
        model = Visit

    match = factory.SubFactory(MatchFactory)
    organisation = factory.SelfAttribute("match.organisation")
    planned_for = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=3))
    created_by = factory.SelfAttribute("match.volunteer.user")


class DirectoryEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DirectoryEntry
        django_get_or_create = ("organisation", "name")

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Borders Baby Bank {n}")


class ContactLogFactory(factory.django.DjangoModelFactory):
    """A half-hour phone call today, logged by the match's volunteer."""

    class Meta:
        model = ContactLog

    match = factory.SubFactory(MatchFactory)
    organisation = factory.SelfAttribute("match.organisation")
    logged_by = factory.SelfAttribute("match.volunteer.user")
    contact_date = factory.LazyFunction(timezone.localdate)
    duration_minutes = 30
    mode = "phone"


class ConcernFactory(factory.django.DjangoModelFactory):
    """An open concern raised by the match's volunteer."""

    class Meta:
        model = Concern

    match = factory.SubFactory(MatchFactory)
    organisation = factory.SelfAttribute("match.organisation")
    raised_by = factory.SelfAttribute("match.volunteer.user")
    details = "Seemed low on the phone"
