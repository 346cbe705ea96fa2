"""A PSO's caseload: the parents they support, which the outcome measures
(a layer above) let them see and assess."""

from __future__ import annotations

from operations.core.models import active_membership
from volunteers.matching.models import OPEN_MATCH_STATUSES, Match


def parent_ids(user) -> list[int]:
    """The parents of ``user``'s open matches, in any role."""
    membership = active_membership(user)
    if membership is None:
        return []
    return sorted(
        set(
            Match.objects.filter(
                organisation_id=membership.organisation_id, volunteer__user_id=user.pk, status__in=OPEN_MATCH_STATUSES
            ).values_list("parent_id", flat=True)
        )
    )
