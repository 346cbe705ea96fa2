"""Factories of the volunteers app. ``tests.volunteers.helpers.make_profile``
builds a volunteer fit to match (trained, PVG, supervised) from these."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from operations.core.models import Membership, Role
from tests.factories.core import OrganisationFactory, UserFactory, member_of
from volunteers.models import (
    Course,
    DisclosureTask,
    Kind,
    LivedExperience,
    PvgRecord,
    Reference,
    Status,
    StatusChange,
    SupervisionAction,
    SupervisionSession,
    SupervisorPairing,
    TrainingRecord,
    VolunteerProfile,
    VolunteerSettings,
)


def _days_ago(days: int):
    return lambda *_: timezone.localdate() - dt.timedelta(days=days)


class VolunteerSettingsFactory(factory.django.DjangoModelFactory):
    """The organisation's settings row (made with the organisation: this finds it)."""

    class Meta:
        model = VolunteerSettings
        django_get_or_create = ("organisation",)

    organisation = factory.SubFactory(OrganisationFactory)


class LivedExperienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LivedExperience
        django_get_or_create = ("organisation", "name")

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Lived experience {n}")


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        django_get_or_create = ("organisation", "name")

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Course {n}")
    is_required = False


class VolunteerProfileFactory(factory.django.DjangoModelFactory):
    """An active befriender who is a volunteer member of the organisation
    (not yet trained or checked: ``make_profile`` builds one fit to match)."""

    class Meta:
        model = VolunteerProfile
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory, active_organisation=factory.SelfAttribute("..organisation"))
    kinds = factory.LazyFunction(lambda: [Kind.BEFRIENDER])
    status = Status.ACTIVE
    status_changed_on = factory.LazyFunction(_days_ago(100))
    active_since = factory.LazyAttribute(lambda o: o.status_changed_on if o.status == Status.ACTIVE else None)

    @factory.post_generation
    def membership(self, create: bool, extracted, **kwargs) -> None:
        # ``membership=False``: the person's memberships are the caller's business.
        if create and extracted is not False:
            Membership.objects.get_or_create(
                user=self.user, organisation=self.organisation, defaults={"role": Role.VOLUNTEER}
            )


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusChange

    profile = factory.SubFactory(VolunteerProfileFactory)
    from_status = Status.APPLICANT
    to_status = factory.SelfAttribute("profile.status")
    changed_on = factory.SelfAttribute("profile.status_changed_on")
    changed_by = member_of("profile.organisation")


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    profile = factory.SubFactory(VolunteerProfileFactory)
    course = factory.SubFactory(CourseFactory, organisation=factory.SelfAttribute("..profile.organisation"))
    completed_on = factory.LazyFunction(_days_ago(200))


class PvgRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PvgRecord

    profile = factory.SubFactory(VolunteerProfileFactory)
    membership_number = factory.Sequence(lambda n: f"1234{n:012d}")
    scheme = "both"
    issued_on = factory.LazyFunction(_days_ago(300))
    renewal_due = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=1000))


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reference

    profile = factory.SubFactory(VolunteerProfileFactory)
    name = "Morag Referee"
    relationship = "Former employer"


class DisclosureTaskFactory(factory.django.DjangoModelFactory):
    """An open task: a disclosure to look at for this volunteer."""

    class Meta:
        model = DisclosureTask

    profile = factory.SubFactory(VolunteerProfileFactory)
    organisation = factory.SelfAttribute("profile.organisation")
    created_on = factory.LazyFunction(timezone.localdate)


class SupervisorPairingFactory(factory.django.DjangoModelFactory):
    """An open pairing with a PSO of the volunteer's organisation."""

    class Meta:
        model = SupervisorPairing

    volunteer = factory.SubFactory(VolunteerProfileFactory)
    organisation = factory.SelfAttribute("volunteer.organisation")
    supervisor = member_of("organisation", Role.PSO)
    started_on = factory.LazyFunction(_days_ago(60))


class SupervisionSessionFactory(factory.django.DjangoModelFactory):
    """A session a PSO held last week; ``volunteers=[...]`` says who came."""

    class Meta:
        model = SupervisionSession
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    supervisor = member_of("organisation", Role.PSO)
    held_on = factory.LazyFunction(_days_ago(7))

    @factory.post_generation
    def volunteers(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.volunteers.set(extracted)


class SupervisionActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionAction

    session = factory.SubFactory(SupervisionSessionFactory)
    owner = factory.SelfAttribute("session.supervisor")
    description = "Read the lone-working policy"
