from __future__ import annotations

from django import template

from referrals.outcomes import selectors

register = template.Library()


@register.inclusion_tag("outcomes/_parent_panel.html", takes_context=True)
def outcome_panel(context, parent) -> dict:
    return {"parent": parent, "assessments": selectors.parent_assessments(context["request"].user, parent)}
