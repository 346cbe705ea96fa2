"""Home-page panels: each role's data through one inclusion tag."""

from __future__ import annotations

from functools import partial

from django import template
from django.db.models import QuerySet
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from operations.core import statements
from operations.core.dates import short_date
from operations.core.links import record_url
from operations.core.models import active_membership
from volunteers import selectors
from volunteers.models import Status

register = template.Library()


def _home_profiles(request, organisation_id: int) -> list[selectors.HomeProfile]:
    """The signed-in person's own profile and their supervisees', read once
    per request: the PSO home shows both panels."""
    cached = getattr(request, "_volunteer_home_profiles", None)
    if cached is None or cached[0] != organisation_id:
        profiles = selectors.home_profiles(request.user, organisation_id=organisation_id)
        cached = request._volunteer_home_profiles = (organisation_id, profiles)
    return cached[1]


@register.inclusion_tag("volunteers/_panel_own.html", takes_context=True)
def own_volunteering_panel(context) -> dict:
    """The signed-in person's next supervision, open actions and training
    (its lines built in Python, escaped by format_html)."""
    request = context["request"]
    membership = active_membership(request.user)
    if membership is None:
        return {"profile": None}
    profiles = _home_profiles(request, membership.organisation_id)
    profile = next((p for p in profiles if p.user_id == request.user.pk), None)
    if profile is None:
        return {"profile": None}
    return {
        "profile": profile,
        "next_supervision": short_date(profile.next_supervision_on)
        if profile.next_supervision_on
        else "not yet planned",
        "actions": statements.rows(
            "home:open-actions",
            statements.viewer_shape(request.user),
            partial(_open_action_rows, request.user),
        ),
        "training": format_html_join(
            "",
            "<li>{}: {}{}</li>",
            (
                (
                    line.course,
                    short_date(line.completed_on),
                    f", renew by {short_date(line.expires_on)}" if line.expires_on else "",
                )
                for line in profile.training
            ),
        ),
    }


def _open_action_rows(user) -> QuerySet:
    return selectors.open_actions_for(user).select_related(None).values("pk", "description", "due_on")


def _reasons_html(profile: selectors.HomeProfile) -> SafeString:
    """volunteers/_reasons.html, written in Python: one include per row cost
    more than the rest of the row."""
    if profile.is_fit:
        return mark_safe('<span class="badge text-bg-success">Fit to match</span>')
    return format_html(
        '<ul class="list-unstyled mb-0 small">{}</ul>',
        format_html_join(
            "",
            '<li><span class="badge text-bg-warning">{}</span></li>',
            ((reason.message,) for reason in profile.fitness_reasons),
        ),
    )


@register.inclusion_tag("volunteers/_panel_supervisees.html", takes_context=True)
def supervisees_panel(context) -> dict:
    """A PSO's supervisees and each one's next supervision date, each row
    built in Python (escaped by format_html)."""
    request = context["request"]
    membership = active_membership(request.user)
    if membership is None:
        return {"rows": ""}
    supervisees = [
        profile
        for profile in _home_profiles(request, membership.organisation_id)
        if profile.user_id != request.user.pk and profile.status != Status.LEFT
    ]
    return {
        "rows": format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td></tr>',
            (
                (
                    record_url("volunteers:detail", profile.pk),
                    profile.name,
                    short_date(profile.next_supervision_on) if profile.next_supervision_on else "—",
                    _reasons_html(profile),
                )
                for profile in supervisees
            ),
        )
    }


@register.inclusion_tag("volunteers/_panel_staff.html", takes_context=True)
def staff_panel(context) -> dict:
    """Counts for coordinators and managers: who is fit, what needs attention."""
    user = context["request"].user
    membership = active_membership(user)
    if membership is None:
        return {}
    report = selectors.compliance_for(user, organisation_id=membership.organisation_id, supervisors=False, names=False)
    # The compliance report already evaluated everyone's fitness: no second pass.
    profiles = [profile for profile in report.profiles if profile.status == Status.ACTIVE]
    return {
        "active": len(profiles),
        "fit": sum(1 for p in profiles if p.is_fit),
        "pvg": len(report.pvg),
        "training": len(report.training),
        "supervision": len(report.supervision),
        "disclosure": len(report.disclosure_tasks),
    }
