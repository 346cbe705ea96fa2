"""``{% page_links "referral" referral as links %}``: the links higher layers
registered for a page (operations.core.page_links)."""

from __future__ import annotations

from django import template

from operations.core.page_links import links_for

register = template.Library()


@register.simple_tag
def page_links(page: str, record) -> list[tuple[str, str]]:
    return links_for(page, record)
