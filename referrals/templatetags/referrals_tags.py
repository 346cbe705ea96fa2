from __future__ import annotations

from django import template

from referrals import home_panels, selectors

register = template.Library()


@register.inclusion_tag("referrals/_coordinator_panels.html", takes_context=True)
def coordinator_panels(context) -> dict:
    panels = selectors.coordinator_panels(context["request"].user)
    rows_html = {name: home_panels.referral_items(name, panels[name]) for name in home_panels.REFERRAL_PANELS}
    rows_html["births_to_confirm"] = home_panels.birth_items(panels["births_to_confirm"])
    rows_html["loss_reviews"] = home_panels.loss_items(panels["loss_reviews"])
    return {**panels, "rows_html": rows_html}
