"""Home-page panels of the groups app: each role's data through one tag."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django import template
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from operations.core import config_cache, statements
from operations.core.dates import weekday_day_month_time
from operations.core.links import record_url
from operations.core.models import STAFF_ROLES, active_membership
from operations.groups import selectors
from operations.groups.models import Group, GroupSession, SessionStatus

register = template.Library()

#: What ``registration_flag`` reads of a group: when it meets and for how long.
REGISTRATION_FIELDS = [
    "organisation_id", "creche_on", "recurrence", "weekday", "week_of_month",
    "starts_on", "ends_on", "start_time", "end_time",
]  # fmt: skip


@register.inclusion_tag("groups/_panel_staff.html", takes_context=True)
def groups_staff_panel(context) -> dict:
    """This week's sessions with adult places left and people waiting, and
    crèches to check. Plain rows: the panel shows no crèche loads, so none
    are worked out (the session page and register show them)."""
    user = context["request"].user
    membership = active_membership(user)
    if membership is None:
        return {"rows": []}
    rows = statements.rows(
        "home:groups-this-week", statements.viewer_shape(user), partial(_this_week, user), now=timezone.now()
    )
    for row in rows:
        row["url"] = record_url("groups:session", row["pk"])
        row["is_cancelled"] = row["status"] == SessionStatus.CANCELLED
        row["adult_places_left"] = max(0, row["adult_places"] - row["booked"])
    return {"rows": rows, "flagged": _creches_to_register(user, membership)}


def _this_week(user, *, now: datetime) -> QuerySet:
    return (
        GroupSession.objects.visible_to(user)
        .filter(ends_at__gte=now, starts_at__lte=now + timedelta(days=7))
        .annotate(**selectors.BOOKING_COUNTS)
        .order_by("starts_at", "pk")
        .values("pk", "starts_at", "status", "adult_places", "group__name", "booked", "waiting")[:20]
    )


def _own_sessions(user, *, now: datetime) -> QuerySet:
    return (
        GroupSession.objects.visible_to(user)
        .upcoming(now)
        .order_by("starts_at", "pk")
        .values_list("pk", "group__name", "starts_at", "status")[:5]
    )


def _creches_to_register(user, membership) -> int:
    """How many active crèches may need Care Inspectorate registration. The
    groups' schedules are configuration (kept: ``operations.core.config_cache``);
    the count is for today, as the next year of meetings decides it."""
    organisation = membership.organisation
    # With a registration number no crèche is flagged: no need to read the groups.
    if organisation.care_inspectorate_number:
        return 0

    def count() -> int:
        settings = selectors.settings_for(organisation.pk)
        groups = Group.objects.visible_to(user).filter(is_active=True, creche_on=True).only(*REGISTRATION_FIELDS)
        return sum(1 for g in groups if selectors.registration_flag(g, organisation, settings))

    if membership.role not in STAFF_ROLES:  # sees only some groups: not the organisation's count
        return count()
    return config_cache.kept(organisation.pk, f"creches-to-register:{timezone.localdate().isoformat()}", count)


@register.inclusion_tag("groups/_panel_own.html", takes_context=True)
def groups_own_panel(context) -> dict:
    """The next sessions a volunteer or PSO helps at, as plain rows built in
    Python: the group's name is all the panel shows of the group."""
    user = context["request"].user
    sessions = statements.tuples(
        "home:own-sessions", statements.viewer_shape(user), partial(_own_sessions, user), now=timezone.now()
    )
    cancelled = mark_safe(' <span class="badge text-bg-secondary">Cancelled</span>')
    return {
        "sessions": format_html_join(
            "",
            '<li class="mb-1"><a href="{}">{}</a> · {}{}</li>',
            (
                (
                    record_url("groups:register", pk),
                    name,
                    weekday_day_month_time(timezone.localtime(starts_at)),
                    cancelled if status == SessionStatus.CANCELLED else "",
                )
                for pk, name, starts_at, status in sessions
            ),
        )
    }
