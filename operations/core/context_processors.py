from __future__ import annotations

from django.http import HttpRequest

from operations.core.federations import federation_of
from operations.core.models import Role, active_membership, organisations_for


def membership(request: HttpRequest) -> dict:
    """The caller's role and organisations, for navigation and the switcher."""
    current = active_membership(getattr(request, "user", None))
    if current is None:
        # A federation officer belongs to no organisation: the bar shows the federation's pages.
        return {"membership": None, "Role": Role, "federation": federation_of(getattr(request, "user", None))}
    return {
        "membership": current,
        "Role": Role,
        "is_staff_role": current.is_staff_role,
        # Lazy: only pages that render the switcher pay for the query.
        "switchable_memberships": lambda: list(organisations_for(request.user)),
    }
