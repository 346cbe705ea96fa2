"""Builders for volunteer records: a person fit to match unless told otherwise."""

from __future__ import annotations

import datetime as dt
import itertools

from operations.core.models import Membership, Organisation, Role, User
from volunteers.models import (
    Course,
    Kind,
    PvgRecord,
    Status,
    SupervisionSession,
    SupervisorPairing,
    TrainingRecord,
    VolunteerProfile,
)
from volunteers.selectors import settings_for

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
    settings_for(organisation.pk)
    if user is None:
        # No password: hashing one per generated person makes the tests slow.
        user = User.objects.create(
            username=f"vol{next(_numbers)}",
            first_name="Nia",
            last_name=f"Tester{next(_numbers)}",
            active_organisation=organisation,
        )
        Membership.objects.create(user=user, organisation=organisation, role=Role.VOLUNTEER)
    profile = VolunteerProfile.objects.create(
        organisation=organisation,
        user=user,
        kinds=fields.pop("kinds", [Kind.BEFRIENDER]),
        status=status,
        status_changed_on=today - dt.timedelta(days=100),
        active_since=today - dt.timedelta(days=100) if status == Status.ACTIVE else None,
        **fields,
    )
    if trained:
        for course in Course.objects.filter(organisation=organisation, is_required=True):
            TrainingRecord.objects.create(profile=profile, course=course, completed_on=today - dt.timedelta(days=200))
    if pvg:
        PvgRecord.objects.create(
            profile=profile,
            membership_number=f"1234{next(_numbers):012d}",
            scheme="both",
            issued_on=today - dt.timedelta(days=300),
            renewal_due=today + dt.timedelta(days=1000),
        )
    if supervisor is not None:
        SupervisorPairing.objects.create(
            organisation=organisation, volunteer=profile, supervisor=supervisor, started_on=today - dt.timedelta(60)
        )
    if supervised_days_ago is not None and supervisor is not None:
        session = SupervisionSession.objects.create(
            organisation=organisation,
            supervisor=supervisor,
            held_on=today - dt.timedelta(days=supervised_days_ago),
            notes="SECRET-NOTES",
        )
        session.volunteers.set([profile])
    elif supervised_days_ago is not None:
        profile.active_since = today - dt.timedelta(days=supervised_days_ago)
        profile.save(update_fields=["active_since"])
    return profile
