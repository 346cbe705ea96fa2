from __future__ import annotations

from django import template

from referrals import selectors

register = template.Library()


@register.inclusion_tag("referrals/_coordinator_panels.html", takes_context=True)
def coordinator_panels(context) -> dict:
    request = context["request"]
    return selectors.coordinator_panels(request.user)
