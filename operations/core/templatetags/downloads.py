"""``{% download_links %}``: "Download CSV" and "Download Excel" for the list
on the page, keeping its filters (operations.core.downloads)."""

from __future__ import annotations

from django import template

from operations.core.downloads import FORMATS, PARAM

register = template.Library()


@register.inclusion_tag("components/download_links.html", takes_context=True)
def download_links(context, label: str = "") -> dict:
    """The page's querystring less its page number, with the format asked
    for. Shown to coordinators and managers only: nobody else may download."""
    request = context["request"]
    membership = context.get("membership")
    query = request.GET.copy()
    query.pop("page", None)
    links = []
    for fmt, (kind, _) in FORMATS.items():
        query[PARAM] = fmt
        links.append((f"?{query.urlencode()}", f"Download {kind}"))
    return {"links": links, "label": label, "allowed": bool(membership and membership.is_staff_role)}
