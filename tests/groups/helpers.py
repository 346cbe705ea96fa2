"""Builders for groups tests (fictional people only)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from operations.core.models import Organisation, Role, ServiceKind, User
from operations.groups.models import Format, Group, GroupSession, Recurrence
from tests.factories import GroupFactory, ParentFactory, ServiceFactory, member
from tests.volunteers.helpers import make_profile

_counter = itertools.count(1)


def rota(organisation: Organisation, size: int = 2, **profile) -> list[User]:
    """People fit to work with children (active, PVG for children, core
    training current) unless ``profile`` says otherwise (``make_profile``)."""
    return [creche_adult(organisation, **profile) for _ in range(size)]


def creche_adult(organisation: Organisation, *, user: User | None = None, **profile) -> User:
    if user is None:
        user = member(
            username=f"creche-{organisation.slug}-{next(_counter)}", organisation=organisation, role=Role.VOLUNTEER
        )
    make_profile(organisation=organisation, user=user, today=timezone.localdate(), **profile)
    return user


def make_group(organisation: Organisation, *, creche_adults=(), facilitators=(), **overrides) -> Group:
    """A weekly Friday group from 1 Nov 2026, through ``group_create`` (GroupFactory)."""
    service = overrides.pop("service", None) or ServiceFactory(
        organisation=organisation, name=f"Groups {next(_counter)}", kind=ServiceKind.GROUP, end_child_age_months=24
    )
    data = {
        "name": f"Tea and Tots {next(_counter)}",
        "format": Format.IN_PERSON,
        "recurrence": Recurrence.WEEKLY,
        "weekday": 4,  # Friday
        "start_time": dt.time(10, 0),
        "end_time": dt.time(11, 30),
        "starts_on": dt.date(2026, 11, 1),
        "adult_places": 10,
        "creche_on": bool(creche_adults),
        "venue_name": "Church hall",
        **overrides,
    }
    return GroupFactory(
        organisation=organisation,
        service=service,
        facilitators=list(facilitators),
        creche_adults=list(creche_adults),
        **data,
    )


def first_session(group: Group) -> GroupSession:
    return group.sessions.order_by("starts_at").first()


def parent(organisation: Organisation, **kwargs):
    return ParentFactory(organisation=organisation, **kwargs)


def born(years: int = 0, months: int = 0, on: dt.date = dt.date(2026, 11, 27)) -> dt.date:
    """A date of birth making a child this old on ``on`` (the first session)."""
    total = years * 12 + months
    year, month = on.year - total // 12, on.month - total % 12
    if month <= 0:
        year, month = year - 1, month + 12
    return dt.date(year, month, min(on.day, 28))
