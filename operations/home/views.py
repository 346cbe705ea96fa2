"""The home page: each role's panels, read from every layer's selectors.

It shows what every app holds for the person signed in, so it lives in the
top layer: it may import every app, and no app imports it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from operations.core.access import require_membership
from operations.core.federations import federation_of
from operations.core.models import STAFF_ROLES, Membership, Role, User, active_membership
from operations.groups import selectors as group_selectors
from operations.outcomes import selectors as outcome_selectors
from referrals import selectors as referral_selectors
from volunteers import selectors as volunteer_selectors
from volunteers.matching import selectors as matching_selectors
from volunteers.models import Status as VolunteerStatus
from volunteers.safeguarding import selectors as safeguarding_selectors

#: Rows of the concerns and overdue-reviews lists on a home page.
MATCHING_ROWS = 20


def home(request: HttpRequest) -> HttpResponse:
    if active_membership(request.user) is None and federation_of(request.user) is not None:
        # A federation officer works in no organisation: their home is the roll-up.
        return redirect("federation:rollup")
    membership = require_membership(request)
    user = request.user
    context = {
        "services": [service for service in user.organisation_services if service.is_active],
        "council_areas": list(membership.organisation.council_areas.all()),
    }
    if membership.role in STAFF_ROLES:
        context |= _staff_panels(user, membership)
    else:
        context |= _own_panels(user, membership)
    # Each role's home template shows what that role works on.
    return render(request, f"home/{membership.role}.html", context)


def _staff_panels(user: User, membership: Membership) -> dict:
    """A coordinator's or manager's panels: what needs attention in the organisation."""
    report = volunteer_selectors.compliance_for(
        user, organisation_id=membership.organisation_id, supervisors=False, names=False
    )
    # The report already evaluated everyone's fitness: no second pass.
    active = [person for person in report.profiles if person.status == VolunteerStatus.ACTIVE]
    return {
        "safety_alerts": outcome_selectors.home_alerts(user),
        "referral_panels": referral_selectors.coordinator_panels(user),
        "volunteer_counts": {
            "active": len(active),
            "fit": sum(1 for person in active if person.is_fit),
            "pvg": len(report.pvg),
            "training": len(report.training),
            "supervision": len(report.supervision),
            "disclosure": len(report.disclosure_tasks),
        },
        "concerns": list(safeguarding_selectors.open_concerns(user)[:MATCHING_ROWS]),
        "overdue_reviews": list(matching_selectors.overdue_reviews(user)[:MATCHING_ROWS]),
        "sessions_this_week": group_selectors.sessions_this_week(user),
        "creches_to_register": group_selectors.creches_to_register(user, membership.organisation),
    }


def _own_panels(user: User, membership: Membership) -> dict:
    """A volunteer's or PSO's panels: their supervision, supervisees, families and groups."""
    profiles = volunteer_selectors.home_profiles(user, organisation_id=membership.organisation_id)
    own_profile = next((profile for profile in profiles if profile.user_id == user.pk), None)
    return {
        "own_profile": own_profile,
        "open_actions": list(volunteer_selectors.open_actions_for(user)) if own_profile else [],
        # Shown on a PSO's home only.
        "supervisees": [
            profile for profile in profiles if profile.user_id != user.pk and profile.status != VolunteerStatus.LEFT
        ],
        "own_matches": matching_selectors.own_open_matches(user),
        "own_sessions": group_selectors.own_sessions(user),
        # A PSO works the concerns of the volunteers they supervise (and, as
        # a lead, everyone's); a volunteer's own are on "My concerns".
        "concerns": (
            list(safeguarding_selectors.open_concerns(user)[:MATCHING_ROWS]) if membership.role == Role.PSO else []
        ),
    }
