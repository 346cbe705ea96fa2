"""Factories of the groups app. A group is made by ``group_create`` (which
checks the rota and generates its sessions); the other rows directly."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from operations.core.models import ServiceKind
from operations.groups import services
from operations.groups.models import (
    Booking,
    BookingChild,
    BookingStatus,
    CalendarFeed,
    Group,
    GroupSession,
    GroupSettings,
    HeadCount,
    SessionExpenseClaim,
)
from tests.factories.core import OrganisationFactory, ServiceFactory, UserFactory
from tests.factories.expenses import ExpenseClaimFactory


class GroupSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupSettings
        django_get_or_create = ("organisation",)

    organisation = factory.SubFactory(OrganisationFactory)


class GroupFactory(factory.django.DjangoModelFactory):
    """A weekly Friday morning group starting today, through ``group_create``.
    ``facilitators=[...]`` and ``creche_adults=[...]`` (two people fit to work
    with children, with ``creche_on=True``) are passed to the service."""

    class Meta:
        model = Group

    organisation = factory.SubFactory(OrganisationFactory)
    service = factory.SubFactory(
        ServiceFactory,
        organisation=factory.SelfAttribute("..organisation"),
        kind=ServiceKind.GROUP,
        end_child_age_months=24,
    )
    name = factory.Sequence(lambda n: f"Tea and Tots {n}")
    weekday = 4  # Friday
    start_time = dt.time(10, 0)
    end_time = dt.time(11, 30)
    starts_on = factory.LazyFunction(timezone.localdate)
    adult_places = 10
    creche_on = False
    venue_name = "Church hall"

    @classmethod
    def _create(cls, model_class, *args, organisation, facilitators=(), creche_adults=(), **data):
        return services.group_create(
            organisation=organisation,
            actor=None,
            data=data,
            facilitators=list(facilitators),
            creche_adults=list(creche_adults),
        )


def _extra_occurrence(session, number: int) -> dt.date:
    """A date the group's recurrence never gives (the day after its weekday),
    so the row never collides with a generated session."""
    group = session.group
    after_weekday = (group.weekday + 1) % 7
    first = group.starts_on + dt.timedelta(days=(after_weekday - group.starts_on.weekday()) % 7)
    return first + dt.timedelta(weeks=number)


class GroupSessionFactory(factory.django.DjangoModelFactory):
    """One more session of a group, on a day its recurrence does not give."""

    class Meta:
        model = GroupSession

    group = factory.SubFactory(GroupFactory)
    organisation = factory.SelfAttribute("group.organisation")
    occurrence = factory.LazyAttributeSequence(_extra_occurrence)
    starts_at = factory.LazyAttribute(
        lambda o: timezone.make_aware(dt.datetime.combine(o.occurrence, o.group.start_time))
    )
    ends_at = factory.LazyAttribute(lambda o: timezone.make_aware(dt.datetime.combine(o.occurrence, o.group.end_time)))
    adult_places = factory.SelfAttribute("group.adult_places")


class BookingFactory(factory.django.DjangoModelFactory):
    """A place booked for an attendee who agreed we keep their details."""

    class Meta:
        model = Booking

    session = factory.SubFactory(GroupSessionFactory)
    organisation = factory.SelfAttribute("session.organisation")
    attendee_name = factory.Sequence(lambda n: f"Attendee {n}")
    attendee_consent = True
    status = BookingStatus.BOOKED


class BookingChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BookingChild

    booking = factory.SubFactory(BookingFactory)
    first_name = factory.Sequence(lambda n: f"Wee one {n}")
    date_of_birth = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=2 * 365))


class HeadCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HeadCount
        django_get_or_create = ("session",)

    session = factory.SubFactory(GroupSessionFactory)
    mothers = 3
    fathers = 1
    children = 4


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarFeed
        django_get_or_create = ("organisation", "user")

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory, active_organisation=factory.SelfAttribute("..organisation"))


class SessionExpenseClaimFactory(factory.django.DjangoModelFactory):
    """A claim's link to a session of its organisation (the claim service makes
    real ones, checking the session is the claimant's)."""

    class Meta:
        model = SessionExpenseClaim

    session = factory.SubFactory(GroupSessionFactory)
    organisation = factory.SelfAttribute("session.organisation")
    claim = factory.SubFactory(ExpenseClaimFactory, organisation=factory.SelfAttribute("..organisation"))
