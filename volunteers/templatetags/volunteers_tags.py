"""Home-page panels: each role's data through one inclusion tag."""

from __future__ import annotations

from django import template

from operations.core.models import active_membership
from volunteers import selectors
from volunteers.models import Status, VolunteerProfile

register = template.Library()


def _fitness_inputs(request, organisation_id: int) -> dict:
    """Settings and required courses, read once per request however many
    panels of the page evaluate fitness."""
    cached = getattr(request, "_volunteer_fitness_inputs", None)
    if cached is None or cached[0] != organisation_id:
        inputs = {
            "settings": selectors.settings_for(organisation_id),
            "required": selectors.required_course_ids(organisation_id),
        }
        cached = request._volunteer_fitness_inputs = (organisation_id, inputs)
    return cached[1]


@register.inclusion_tag("volunteers/_panel_own.html", takes_context=True)
def own_volunteering_panel(context) -> dict:
    """The signed-in person's next supervision, open actions and training."""
    user = context["request"].user
    membership = active_membership(user)
    profile = None
    if membership is not None:
        found = selectors.evaluate(
            selectors.with_checks(
                VolunteerProfile.objects.filter(organisation_id=membership.organisation_id, user_id=user.pk),
                areas=False,  # the panel names the supervisor, not the areas
            ),
            **_fitness_inputs(context["request"], membership.organisation_id),
        )
        profile = found[0] if found else None
    return {
        "profile": profile,
        "actions": list(selectors.open_actions_for(user)),
        # Already loaded, with their courses, to evaluate fitness.
        "training": list(profile.training_records.all()) if profile else [],
    }


@register.inclusion_tag("volunteers/_panel_supervisees.html", takes_context=True)
def supervisees_panel(context) -> dict:
    """A PSO's supervisees and each one's next supervision date."""
    user = context["request"].user
    membership = active_membership(user)
    if membership is None:
        return {"profiles": []}
    profiles = selectors.volunteers_for(
        user,
        organisation_id=membership.organisation_id,
        details=False,
        **_fitness_inputs(context["request"], membership.organisation_id),
    )
    return {"profiles": [p for p in profiles if p.user_id != user.pk and p.status != Status.LEFT]}


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
