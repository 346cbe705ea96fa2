"""``{% download_links %}``: "Download CSV" and "Download Excel" for the list
on the page, keeping its filters (operations.core.downloads)."""

from __future__ import annotations

from django import template

from operations.core.downloads import FORMATS, PARAM
from operations.core.models import STAFF_ROLES

register = template.Library()


@register.inclusion_tag("components/download_links.html", takes_context=True)
def download_links(context, label: str = "", roles: str = "") -> dict:
    """The page's querystring less its page number, with the format asked
    for. Shown to coordinators and managers only (or to ``roles``, role
    codes separated by commas, as the view's ``download(roles=...)``)."""
    request = context["request"]
    membership = context.get("membership")
    query = request.GET.copy()
    query.pop("page", None)
    links = []
    for fmt, (kind, _) in FORMATS.items():
        query[PARAM] = fmt
        links.append((f"?{query.urlencode()}", f"Download {kind}"))
    allowed = {role.strip() for role in roles.split(",")} if roles else STAFF_ROLES
    return {"links": links, "label": label, "allowed": bool(membership and membership.role in allowed)}
