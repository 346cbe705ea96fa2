"""One access helper for a concern: scoped through ``visible_to``, 404 when
out of reach, with what the concern page shows loaded at once."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from volunteers.safeguarding.models import Concern


def get_concern_for(user, pk: int) -> Concern:
    """Staff and the safeguarding leads: any concern of their organisation; a
    PSO: their own, their families' and their supervisees'; a volunteer:
    those they raised (the pages show them its status only)."""
    return get_object_or_404(
        Concern.objects.visible_to(user).select_related(
            "parent", "match", "volunteer__user", "raised_by", "acknowledged_by", "owner", "closed_by"
        ),
        pk=pk,
    )
