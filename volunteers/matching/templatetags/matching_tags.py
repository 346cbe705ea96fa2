"""Home-page panels: each role's data through one inclusion tag."""

from __future__ import annotations

from django import template
from django.utils import timezone

from volunteers.matching import selectors

register = template.Library()


@register.inclusion_tag("matching/_panel_staff.html", takes_context=True)
def matching_staff_panel(context) -> dict:
    """Open concerns (at once, newest first) and overdue match reviews."""
    user = context["request"].user
    return {
        "concerns": list(selectors.open_concerns(user)[:20]),
        "overdue": list(selectors.overdue_reviews(user)[:20]),
        "today": timezone.localdate(),
    }


@register.inclusion_tag("matching/_panel_own.html", takes_context=True)
def matching_own_panel(context) -> dict:
    """A volunteer's or PSO's families, each with the next visit and a log button."""
    return {"matches": selectors.own_open_matches(context["request"].user)}
