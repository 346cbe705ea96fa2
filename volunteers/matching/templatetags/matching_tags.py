"""Home-page panels: each role's data through one inclusion tag."""

from __future__ import annotations

from django import template
from django.utils import timezone

from operations.core.links import record_url
from operations.core.models import Role, active_membership
from volunteers.matching import selectors

register = template.Library()


def _person(first: str | None, last: str | None, username: str | None) -> str:
    """``str(user)`` from three columns; a removed user is said so."""
    if username is None:
        return "someone removed"
    return f"{first or ''} {last or ''}".strip() or username


@register.inclusion_tag("matching/_panel_staff.html", takes_context=True)
def matching_staff_panel(context) -> dict:
    """Open concerns (at once, newest first) and overdue match reviews, as
    plain rows: only the columns the panel shows (a match is named by its id)."""
    user = context["request"].user
    person = ["username", "first_name", "last_name"]
    concerns = list(
        selectors.open_concerns(user)
        .select_related(None)
        .values("match_id", "raised_at", *(f"raised_by__{f}" for f in person))[:20]
    )
    for row in concerns:
        row["url"] = record_url("matching:match-detail", row["match_id"])
        row["by"] = _person(row["raised_by__first_name"], row["raised_by__last_name"], row["raised_by__username"])
    overdue = list(
        selectors.overdue_reviews(user)
        .select_related(None)
        .values("pk", "next_review_on", *(f"volunteer__user__{f}" for f in person))[:20]
    )
    for row in overdue:
        row["url"] = record_url("matching:match-detail", row["pk"])
        row["volunteer"] = _person(
            row["volunteer__user__first_name"], row["volunteer__user__last_name"], row["volunteer__user__username"]
        )
    return {"concerns": concerns, "overdue": overdue, "today": timezone.localdate()}


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
