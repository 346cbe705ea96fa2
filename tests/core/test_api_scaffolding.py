"""One scaffolding for viewsets over an organisation's rows
(``operations.core.api.ScopedViewSetMixin``): the scoped queryset, list
filters, the caller's organisation and plain creates into it. The API tests
of each app hold the behaviour; this holds that the copies stay gone."""

from __future__ import annotations

import pytest

from operations.core.api import ScopedViewSetMixin, ServiceViewSet
from operations.groups.api import BookingViewSet, GroupViewSet
from tests.core.test_api import api_client_for
from volunteers.matching.api import (
    ConflictViewSet,
    ContactLogViewSet,
    DirectoryViewSet,
    MatchReviewViewSet,
    MatchViewSet,
    VisitViewSet,
)
from volunteers.matching.models import DirectoryEntry
from volunteers.safeguarding.api import ConcernViewSet

VIEWSETS = [
    ServiceViewSet,
    GroupViewSet,
    BookingViewSet,
    MatchViewSet,
    VisitViewSet,
    ContactLogViewSet,
    DirectoryViewSet,
    ConcernViewSet,
    MatchReviewViewSet,
    ConflictViewSet,
]


@pytest.mark.parametrize("viewset", VIEWSETS, ids=lambda viewset: viewset.__name__)
def test_the_viewset_uses_the_one_scaffolding(viewset) -> None:
    assert viewset.__mro__[1] is ScopedViewSetMixin
    for name in ("get_queryset", "get_serializer_context"):
        assert name not in viewset.__dict__, f"{viewset.__name__} repeats {name}"


@pytest.mark.django_db
def test_a_plain_create_lands_in_the_callers_organisation(manager, organisation):
    response = api_client_for(manager).post("/api/v1/directory/", {"name": "Food bank", "website": ""})
    assert response.status_code == 201, response.content
    entry = DirectoryEntry.objects.get(pk=response.json()["id"])
    assert entry.organisation_id == organisation.pk
