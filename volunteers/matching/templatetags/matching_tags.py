"""Home-page panels: each role's data through one inclusion tag."""

from __future__ import annotations

from django import template
from django.utils import timezone

from operations.core.models import Role, active_membership
from volunteers.matching import selectors

register = template.Library()


@register.inclusion_tag("matching/_panel_staff.html", takes_context=True)
def matching_staff_panel(context) -> dict:
    """Open concerns (at once, newest first) and overdue match reviews."""
    user = context["request"].user
    # Only the columns the panel shows: the match is named by its id, people by name.
    person = ["username", "first_name", "last_name"]
    concerns = selectors.open_concerns(user).select_related(None).select_related("raised_by")
    overdue = selectors.overdue_reviews(user).only("next_review_on", *(f"volunteer__user__{f}" for f in person))
    return {
        "concerns": list(concerns.only("match_id", "raised_at", *(f"raised_by__{f}" for f in person))[:20]),
        "overdue": list(overdue[:20]),
        "today": timezone.localdate(),
    }


@register.inclusion_tag("matching/_panel_own.html", takes_context=True)
def matching_own_panel(context) -> dict:
    """A volunteer's or PSO's families, each with the next visit and a log button
    (and, for a PSO, a button to enter an outcome assessment)."""
    user = context["request"].user
    membership = active_membership(user)
    return {
        "matches": selectors.own_open_matches(user),
        "is_pso": membership is not None and membership.role == Role.PSO,
    }
