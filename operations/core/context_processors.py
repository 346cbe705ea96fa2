from __future__ import annotations

from django.http import HttpRequest

from operations.core.models import Role, active_membership, organisations_for


def membership(request: HttpRequest) -> dict:
    """The caller's role and organisations, for navigation and the switcher."""
    current = active_membership(getattr(request, "user", None))
    if current is None:
        return {"membership": None, "Role": Role}
    return {
        "membership": current,
        "Role": Role,
        "is_staff_role": current.is_staff_role,
        # Lazy: only pages that render the switcher pay for the query.
        "switchable_memberships": lambda: list(organisations_for(request.user)),
    }
