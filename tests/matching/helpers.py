"""Builders for matching tests: waiting referrals and fit volunteers."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from operations.core.models import Organisation, Service, User
from referrals.models import Referral
from referrals.workflow import Status
from tests.factories import ChildFactory, ParentFactory, ReferralFactory
from tests.volunteers.helpers import make_profile
from volunteers.models import VolunteerProfile

_numbers = itertools.count(1)


def waiting_referral(
    *,
    organisation: Organisation,
    service: Service,
    area=None,
    urgency: int = 3,
    days_waiting: int = 10,
    due_in_days: int | None = 60,
    eligibility_end: dt.date | None = None,
    **parent_fields,
) -> Referral:
    today = timezone.localdate()
    number = next(_numbers)
    parent = ParentFactory(
        organisation=organisation,
        first_name=parent_fields.pop("first_name", f"Mum{number}"),
        last_name=f"Parent{number}",
        council_area=area,
        # Only what the caller gives: the candidates' scores read these.
        date_of_birth=parent_fields.pop("date_of_birth", None),
        postcode=parent_fields.pop("postcode", ""),
        **parent_fields,
    )
    if due_in_days is not None:
        ChildFactory(parent=parent, due_date=today + dt.timedelta(days=due_in_days))
    return ReferralFactory(
        organisation=organisation,
        parent=parent,
        service=service,
        source="midwife",
        urgency=urgency,
        received_on=today - dt.timedelta(days=days_waiting),
        status=Status.WAITING,
        eligibility_end=eligibility_end or today + dt.timedelta(days=300),
    )


def fit_volunteer(
    *, organisation: Organisation, areas=(), user: User | None = None, max_caseload: int = 2, **fields
) -> VolunteerProfile:
    profile = make_profile(
        organisation=organisation, user=user, today=timezone.localdate(), max_caseload=max_caseload, **fields
    )
    if areas:
        profile.council_areas.set(areas)
    return profile
