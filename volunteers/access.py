"""One access helper per object: scoped through ``visible_to``, 404 when out
of reach, with the ``select_related`` each page needs."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from volunteers.models import DisclosureTask, SupervisionAction, SupervisionSession, VolunteerProfile


def get_volunteer_for(user, pk: int) -> VolunteerProfile:
    return get_object_or_404(VolunteerProfile.objects.visible_to(user).select_related("user", "organisation"), pk=pk)


def get_session_for(user, pk: int) -> SupervisionSession:
    return get_object_or_404(
        SupervisionSession.objects.visible_to(user)
        .select_related("supervisor")
        .prefetch_related("volunteers__user", "actions__owner"),
        pk=pk,
    )


def get_disclosure_task_for(user, pk: int) -> DisclosureTask:
    return get_object_or_404(DisclosureTask.objects.visible_to(user), pk=pk)


def get_own_action_for(user, pk: int) -> SupervisionAction:
    """Only the action's owner marks it done."""
    return get_object_or_404(
        SupervisionAction.objects.filter(session__in=SupervisionSession.objects.visible_to(user), owner_id=user.pk),
        pk=pk,
    )


def find_own_profile_for(user) -> VolunteerProfile | None:
    """The signed-in person's own profile in her active organisation, for her
    "My details" page and API; None before a coordinator has made it."""
    return VolunteerProfile.objects.visible_to(user).select_related("organisation").filter(user_id=user.pk).first()


def get_own_profile_for(user) -> VolunteerProfile:
    """``find_own_profile_for``, "not found" for a member without a profile."""
    profile = find_own_profile_for(user)
    if profile is None:
        raise Http404("No volunteer record yet.")
    return profile
