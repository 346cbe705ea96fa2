"""``{% top_bar as bar %}``: the top bar's entries for the signed-in
person's role, the current page marked (operations.home.navigation)."""

from __future__ import annotations

from django import template

from operations.home.navigation import FEDERATION_OFFICER, Shown
from operations.home.navigation import top_bar as entries_for

register = template.Library()


@register.simple_tag(takes_context=True)
def top_bar(context: template.Context) -> tuple[Shown, ...]:
    match = getattr(context.get("request"), "resolver_match", None)
    membership = context.get("membership")
    role = membership.role if membership else FEDERATION_OFFICER if context.get("federation") else ""
    return entries_for(role=role, view_name=match.view_name if match else "")
