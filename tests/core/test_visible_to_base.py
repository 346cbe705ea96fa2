"""One "staff see everything in their organisation" rule: scoped models say
only what a volunteer or PSO sees (``visible_to_member``), never again who
staff are. The permission matrix (tests/security) holds each rule itself."""

from __future__ import annotations

from django.apps import apps

from operations.core.models import OrganisationScopedQuerySet

#: Rows hanging off a match are visible exactly when their match is, for
#: staff too (the match's own organisation is checked), so they keep their own.
OWN_VISIBLE_TO = {
    "ByMatchQuerySet",
    # Managers only: coordinators, staff elsewhere, see no evaluation.
    "ManagersOnlyQuerySet",
}


def scoped_querysets() -> set[type]:
    found = set()
    for model in apps.get_models():
        queryset = type(model._default_manager.get_queryset())
        if issubclass(queryset, OrganisationScopedQuerySet):
            found.add(queryset)
    return found


def test_no_scoped_queryset_repeats_the_staff_branch() -> None:
    overriding = {
        cls.__name__
        for queryset in scoped_querysets()
        for cls in queryset.__mro__
        if cls is not OrganisationScopedQuerySet and "visible_to" in cls.__dict__
    }
    assert overriding - OWN_VISIBLE_TO == set()


def test_member_rules_are_still_there() -> None:
    members = {
        cls.__name__
        for queryset in scoped_querysets()
        for cls in queryset.__mro__
        if cls is not OrganisationScopedQuerySet and "visible_to_member" in cls.__dict__
    }
    assert {
        "StaffOnlyQuerySet",
        "CaseloadQuerySet",
        "GroupQuerySet",
        "GroupSessionQuerySet",
        "BookingQuerySet",
        "MatchQuerySet",
        "ConcernQuerySet",
        "VolunteerProfileQuerySet",
        "SupervisionSessionQuerySet",
        "NotificationQuerySet",
    } <= members
