"""Factories of the matching sub-app: a match is confirmed before it starts,
and its visits and contact logs belong to its organisation."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from referrals.workflow import Status as ReferralStatus
from tests.factories.core import OrganisationFactory, member_of
from tests.factories.referrals import ParentFactory, ReferralFactory
from tests.factories.volunteers import VolunteerProfileFactory
from volunteers.matching.models import (
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
    """A volunteer who must not support a parent (of the parent's organisation)."""

    class Meta:
        model = ConflictOfInterest

    parent = factory.SubFactory(ParentFactory)
    organisation = factory.SelfAttribute("parent.organisation")
    volunteer = factory.SubFactory(VolunteerProfileFactory, organisation=factory.SelfAttribute("..organisation"))
    note = "Neighbours"


_STARTED = (MatchStatus.ACTIVE, MatchStatus.ENDING, MatchStatus.ENDED)


def _confirmed_at(match) -> dt.datetime:
    """Confirmed before it starts: three days before the introduction, or a
    week ago for a match not introduced yet."""
    day = match.introduced_on - dt.timedelta(days=3) if match.introduced_on else timezone.localdate() - dt.timedelta(7)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


class MatchFactory(factory.django.DjangoModelFactory):
    """An active befriending match of an active referral, with its parent
    and organisation. Confirmed before it starts: confirmed, introduced four
    days before ``started_on`` (its first contact), which is 23 days ago
    unless given; a proposed or introduced match has not started."""

    class Meta:
        model = Match

    referral = factory.SubFactory(ReferralFactory, status=ReferralStatus.ACTIVE)
    organisation = factory.SelfAttribute("referral.organisation")
    parent = factory.SelfAttribute("referral.parent")
    volunteer = factory.SubFactory(VolunteerProfileFactory, organisation=factory.SelfAttribute("..organisation"))
    status = MatchStatus.ACTIVE
    started_on = factory.LazyAttribute(
        lambda o: timezone.localdate() - dt.timedelta(days=23) if o.status in _STARTED else None
    )
    introduced_on = factory.LazyAttribute(
        lambda o: (
            o.started_on - dt.timedelta(days=4)
            if o.started_on
            else (timezone.localdate() - dt.timedelta(days=2) if o.status == MatchStatus.INTRODUCED else None)
        )
    )
    confirmed_by = member_of("organisation")
    confirmed_at = factory.LazyAttribute(_confirmed_at)
    status_changed_at = factory.SelfAttribute("confirmed_at")
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
