"""A referral made at intake with the parent's agreement that her
referrer, a health visitor of the directory, may hear how it goes."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from referrals import services as referral_services
from referrals.models import Referral
from tests.factories import ReferrerFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    # The status page's rate limit counts in the cache: each test starts and leaves it empty.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def referrer(organisation):
    return ReferrerFactory(organisation=organisation, name="Morag Bell", email="morag.bell@nhs.example")


def make_referral(*, coordinator, organisation, service, referrer=None, consent=True, first_name="Morven") -> Referral:
    return referral_services.referral_create(
        actor=coordinator,
        organisation=organisation,
        service=service,
        parent_data={"first_name": first_name, "last_name": "Journeyfield", "phone": "07700 900123"},
        child_data=None,
        referral_data={
            "source": "health_visitor",
            "referrer": referrer,
            "referrer_updates_consent": consent,
            "reason": "Low mood since the birth; isolated after moving to the area.",
        },
        safety_data={"safe_sms": True, "safe_phone": True},
    )


@pytest.fixture
def referral(coordinator, organisation, service, referrer) -> Referral:
    return make_referral(coordinator=coordinator, organisation=organisation, service=service, referrer=referrer)
