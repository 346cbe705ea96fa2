"""Home-page panels: each role's data through one inclusion tag."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django import template
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.dateformat import time_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from operations.core import statements
from operations.core.dates import day_month_time, short_date
from operations.core.links import record_url
from operations.core.models import Role, active_membership
from volunteers.matching import selectors
from volunteers.matching.models import ContactMode, MatchRole

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
    today = timezone.localdate()
    shape = statements.viewer_shape(user)
    concerns = statements.rows("home:open-concerns", shape, partial(_open_concerns, user))
    overdue = statements.rows("home:overdue-reviews", shape, partial(_overdue_reviews, user), today=today)
    # Rows written here, not in the template: twenty rows with two date
    # filters each were most of this panel's time.
    concern_items = format_html_join(
        "\n",
        '<li class="list-group-item"><a href="{}">Match #{}</a> · {} by {}</li>',
        (
            (
                record_url("matching:match-detail", row["match_id"]),
                row["match_id"],
                day_month_time(timezone.localtime(row["raised_at"])),
                _person(row["raised_by__first_name"], row["raised_by__last_name"], row["raised_by__username"]),
            )
            for row in concerns
        ),
    )
    overdue_items = format_html_join(
        "\n",
        '<li class="list-group-item"><a href="{}">Match #{}</a> with {} · due {}</li>',
        (
            (
                record_url("matching:match-detail", row["pk"]),
                row["pk"],
                _person(
                    row["volunteer__user__first_name"],
                    row["volunteer__user__last_name"],
                    row["volunteer__user__username"],
                ),
                short_date(row["next_review_on"]),
            )
            for row in overdue
        ),
    )
    return {"concerns": concerns, "concern_items": concern_items, "overdue_items": overdue_items}


_PERSON = ["username", "first_name", "last_name"]


def _open_concerns(user) -> QuerySet:
    return (
        selectors.open_concerns(user)
        .select_related(None)
        .values("match_id", "raised_at", *(f"raised_by__{f}" for f in _PERSON))[:20]
    )


def _overdue_reviews(user, *, today: dt.date) -> QuerySet:
    return (
        selectors.overdue_reviews(user, today=today)
        .select_related(None)
        .values("pk", "next_review_on", *(f"volunteer__user__{f}" for f in _PERSON))[:20]
    )


ROLE_LABELS = dict(MatchRole.choices)
MODE_LABELS = {value: label.lower() for value, label in ContactMode.choices}


def _visit_text(visit: selectors.NextVisit | None) -> str:
    if visit is None:
        return " · no visit planned"
    at = f" {time_format(visit.at_time, 'H:i')}" if visit.at_time else ""
    return f" · next visit {format_date(visit.planned_for, 'D j M')}{at} ({MODE_LABELS.get(visit.mode, visit.mode)})"


def _family_html(match: selectors.OwnMatch, *, is_pso: bool) -> SafeString:
    """One family of the panel, built in Python: as a template each row's
    lookups, links and filters cost more than the query."""
    assessment = (
        format_html(
            '<a class="btn btn-outline-primary" href="{}">Add assessment</a>',
            record_url("outcomes:assessment-new", match.parent_id),
        )
        if is_pso
        else ""
    )
    return format_html(
        '<li class="list-group-item">'
        '<div class="d-flex justify-content-between align-items-center gap-2 flex-wrap">'
        '<a href="{detail}" class="fw-semibold">{name}</a>'
        '<span class="d-flex gap-2 flex-wrap">{assessment}'
        '<a class="btn btn-primary" href="{log}">Log a contact</a></span></div>'
        '<div class="small text-body-secondary">{role} · {area}{visit}</div></li>',
        detail=record_url("matching:match-detail", match.pk),
        name=match.parent_name,
        assessment=assessment,
        log=record_url("matching:contact-log-new", match.pk),
        role=ROLE_LABELS.get(match.role, match.role),
        area=match.council_area,
        visit=_visit_text(match.next_visit),
    )


@register.inclusion_tag("matching/_panel_own.html", takes_context=True)
def matching_own_panel(context) -> dict:
    """A volunteer's or PSO's families, each with the next visit and a log button
    (and, for a PSO, a button to enter an outcome assessment)."""
    user = context["request"].user
    membership = active_membership(user)
    is_pso = membership is not None and membership.role == Role.PSO
    return {
        "families": format_html_join(
            "", "{}", ((_family_html(match, is_pso=is_pso),) for match in selectors.own_open_matches(user))
        )
    }
