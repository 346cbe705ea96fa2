from __future__ import annotations

from django import template

from referrals.outcomes import selectors

register = template.Library()


@register.inclusion_tag("outcomes/_home_alerts.html", takes_context=True)
def open_safety_alerts(context) -> dict:
    """On the coordinator's and the manager's home page (staff only)."""
    return selectors.home_alerts(context["request"].user)
