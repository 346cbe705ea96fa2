"""Reads of the safeguarding loop, scoped by ``Concern.objects.visible_to``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from operations.core.models import Membership, Role, User
from volunteers.safeguarding.models import URGENCY_RANK, Concern, ConcernEvent, ConcernStatus


def worklist_order(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    """Unacknowledged first, most urgent and oldest first within each."""
    return concerns.annotate(
        unacknowledged=Case(
            When(status=ConcernStatus.NEW, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        urgency_rank=Case(
            *(When(urgency=urgency, then=Value(rank)) for urgency, rank in URGENCY_RANK.items()),
            output_field=IntegerField(),
        ),
    ).order_by("unacknowledged", "urgency_rank", "raised_at", "pk")


def open_concerns(user) -> QuerySet[Concern]:
    """The open concerns ``user`` may see, in worklist order (the home panel)."""
    return worklist_order(
        Concern.objects.visible_to(user).open().select_related("raised_by", "parent", "volunteer__user", "owner")
    )


def own_concerns(user) -> QuerySet[Concern]:
    """Concerns ``user`` raised, newest first (the volunteer's "My concerns")."""
    return (
        Concern.objects.in_active_organisation(user)
        .filter(raised_by_id=user.pk)
        .select_related("acknowledged_by", "parent")
        .order_by("-raised_at", "-pk")
    )


# --- The worklist -------------------------------------------------------------

#: The worklist's status filter: the open ones unless asked otherwise.
STATUS_OPEN = "open"
STATUS_ALL = "all"

#: Age filters: (label, raised within these days, or raised before them).
AGES = {
    "7": ("Raised in the last 7 days", 7, True),
    "30": ("Raised in the last 30 days", 30, True),
    "older-7": ("Raised more than 7 days ago", 7, False),
    "older-30": ("Raised more than 30 days ago", 30, False),
}


@dataclass(frozen=True)
class WorklistFilters:
    status: str = STATUS_OPEN
    urgency: str = ""
    owner_id: int | None = None
    age: str = ""


def worklist(user, filters: WorklistFilters, *, now: dt.datetime | None = None) -> QuerySet[Concern]:
    """The concerns ``user`` may see, filtered, in worklist order, with what
    each row shows (family, volunteer, owner) loaded in the same query."""
    concerns = Concern.objects.visible_to(user).select_related(
        "parent", "match", "volunteer__user", "owner", "raised_by"
    )
    if filters.status == STATUS_OPEN:
        concerns = concerns.open()
    elif filters.status in ConcernStatus.values:
        concerns = concerns.filter(status=filters.status)
    if filters.urgency:
        concerns = concerns.filter(urgency=filters.urgency)
    if filters.owner_id:
        concerns = concerns.filter(owner_id=filters.owner_id)
    if filters.age in AGES:
        _, days, within = AGES[filters.age]
        since = (now or timezone.now()) - dt.timedelta(days=days)
        concerns = concerns.filter(raised_at__gte=since) if within else concerns.filter(raised_at__lt=since)
    return worklist_order(concerns)


def owners(user) -> QuerySet:
    """Everyone who owns a concern ``user`` may see (the worklist's owner filter)."""
    owned = Concern.objects.visible_to(user).filter(owner__isnull=False).values("owner_id")
    return User.objects.filter(pk__in=owned).order_by("first_name", "last_name", "username")


def workers(organisation_id: int) -> QuerySet:
    """The organisation's active coordinators, managers and PSOs: who may own
    a follow-up, be a safeguarding lead or the deputy (never a volunteer)."""
    members = (
        Membership.objects.filter(organisation_id=organisation_id, is_active=True)
        .exclude(role=Role.VOLUNTEER)
        .values("user_id")
    )
    return User.objects.filter(pk__in=members, is_active=True).order_by("first_name", "last_name", "username")


def timeline(concern: Concern) -> QuerySet[ConcernEvent]:
    """A concern's steps, oldest first, with who took each."""
    return concern.events.select_related("actor", "owner").order_by("at", "pk")
