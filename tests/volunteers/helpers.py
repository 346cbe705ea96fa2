"""Builders for volunteer records: a person fit to match unless told otherwise."""

from __future__ import annotations

import datetime as dt
import itertools

from operations.core.models import Organisation, Role, User
from tests.factories import (
    MembershipFactory,
    PvgRecordFactory,
    SupervisionSessionFactory,
    SupervisorPairingFactory,
    TrainingRecordFactory,
    UserFactory,
    VolunteerProfileFactory,
)
from volunteers.models import Course, Kind, Status, VolunteerProfile

_numbers = itertools.count(1)


def make_profile(
    *,
    organisation: Organisation,
    user: User | None = None,
    today: dt.date,
    status: str = Status.ACTIVE,
    trained: bool = True,
    pvg: bool = True,
    supervised_days_ago: int | None = 7,
    supervisor: User | None = None,
    **fields,
) -> VolunteerProfile:
    if user is None:
        number = next(_numbers)
        user = UserFactory(
            username=f"vol{number}",
            first_name="Nia",
            last_name=f"Tester{number}",
            email="",  # reminders reach them in the app only
            active_organisation=organisation,
        )
        MembershipFactory(user=user, organisation=organisation, role=Role.VOLUNTEER)
    profile = VolunteerProfileFactory(
        organisation=organisation,
        user=user,
        membership=False,
        kinds=fields.pop("kinds", [Kind.BEFRIENDER]),
        status=status,
        status_changed_on=today - dt.timedelta(days=100),
        active_since=today - dt.timedelta(days=100) if status == Status.ACTIVE else None,
        **fields,
    )
    if trained:
        for course in Course.objects.filter(organisation=organisation, is_required=True):
            TrainingRecordFactory(profile=profile, course=course, completed_on=today - dt.timedelta(days=200))
    if pvg:
        PvgRecordFactory(
            profile=profile,
            scheme="both",
            issued_on=today - dt.timedelta(days=300),
            renewal_due=today + dt.timedelta(days=1000),
        )
    if supervisor is not None:
        SupervisorPairingFactory(
            organisation=organisation, volunteer=profile, supervisor=supervisor, started_on=today - dt.timedelta(60)
        )
    if supervised_days_ago is not None and supervisor is not None:
        SupervisionSessionFactory(
            organisation=organisation,
            supervisor=supervisor,
            held_on=today - dt.timedelta(days=supervised_days_ago),
            notes="SECRET-NOTES",
            volunteers=[profile],
        )
    elif supervised_days_ago is not None:
        profile.active_since = today - dt.timedelta(days=supervised_days_ago)
        profile.save(update_fields=["active_since"])
    return profile
