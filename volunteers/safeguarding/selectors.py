"""Reads of the safeguarding loop, scoped by ``Concern.objects.visible_to``."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from volunteers.safeguarding.models import URGENCY_RANK, Concern, ConcernStatus


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
        Concern.objects.visible_to(user).open().select_related("raised_by", "parent", "volunteer__user")
    )


def own_concerns(user) -> QuerySet[Concern]:
    """Concerns ``user`` raised, newest first (the volunteer's "My concerns")."""
    return (
        Concern.objects.in_active_organisation(user)
        .filter(raised_by_id=user.pk)
        .select_related("acknowledged_by", "parent")
        .order_by("-raised_at", "-pk")
    )
