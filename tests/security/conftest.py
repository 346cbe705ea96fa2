"""Every security test starts with an empty cache: counters kept there (the
referrer status page's rate limit) would otherwise carry over from earlier
tests, or from an earlier run when the cache is Redis."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def federation_officer(organisation, other_organisation):
    """An officer of a federation both organisations belong to and share their
    figures with (the worst case: still no record of either may open)."""
    from tests.factories import FederationFactory, federation_member
    from tests.factories import federation_officer as make_officer

    federation = FederationFactory(name="Matrix Federation", slug="matrix-federation")
    federation_member(organisation, federation, shares=True)
    federation_member(other_organisation, federation, shares=True)
    return make_officer(username="federation-officer", federation=federation)
