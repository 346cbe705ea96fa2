"""A PSO's caseload as the base layer asks for it (``operations.core.caseload``):
the outcome measures, in a lower layer, let a PSO see only these families."""

from __future__ import annotations

from django.db.models import QuerySet

from operations.core.models import active_membership
from volunteers.matching.models import OPEN_MATCH_STATUSES, Match


def parent_ids(user) -> QuerySet:
    """The parents of ``user``'s open matches, in any role."""
    membership = active_membership(user)
    if membership is None:
        return Match.objects.none().values_list("parent_id", flat=True)
    return Match.objects.filter(
        organisation_id=membership.organisation_id, volunteer__user_id=user.pk, status__in=OPEN_MATCH_STATUSES
    ).values_list("parent_id", flat=True)
