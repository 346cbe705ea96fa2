"""Fixtures of the online forms' tests: the personas' organisation with both
forms open, a clean rate-limit counter, and a form filled in as a mother would."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.core.cache import cache

from referrals.online.models import OnlineReferralSettings
from tests.factories import council_area


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The counters live in the cache: every test starts, and leaves, with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _today():
    """10 May 2027: her baby, born on 4 May 2027, turns one on 4 May 2028."""
    with time_machine.travel(date(2027, 5, 10), tick=False):
        yield


@pytest.fixture
def forms_open(organisation) -> OnlineReferralSettings:
    return OnlineReferralSettings.objects.update_or_create(
        organisation=organisation, defaults={"self_form_open": True, "professional_form_open": True}
    )[0]


def self_form(service, /, **overrides) -> dict:
    """A mother refers herself: baby born 4 May 2027, email and text safe."""
    data = {
        "service": service.pk,
        "role": "mother",
        "first_name": "Isla",
        "last_name": "Onlinetest",
        "preferred_name": "",
        "date_of_birth": "1996-04-02",
        "birth_date": "2027-05-04",
        "council_area": council_area("S12000026").pk,
        "town": "Galashiels",
        "postcode": "td1 1aa",
        "phone": "07700 900123",
        "email": "isla@example.org",
        "language": "English",
        "safe_sms": "on",
        "safe_email": "on",
        "may_name_service": "on",
        "best_contact_times": "Weekday mornings",
        "reason": "Feeling low since the birth.",
        "contact_consent": "on",
        "website": "",
        "action": "send",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def professional_form(service, /, **overrides) -> dict:
    data = self_form(service, email="", safe_email=None, may_name_service=None)
    data.update(
        {
            "referrer_name": "Helen Visitor",
            "referrer_role": "Health visitor",
            "referrer_team": "Galashiels Health Visiting",
            "referrer_team_kind": "health_visiting",
            "referrer_email": "Helen.Visitor@nhs.example",
            "referrer_phone": "01896 123456",
            "parent_agreed": "on",
            "referrer_updates_consent": "on",
        }
    )
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


REFERENCE = re.compile(r"R-[2-9A-Z]{8}")


def reference_in(response) -> str:
    return REFERENCE.search(response.content.decode()).group(0)


def without_tokens(response) -> str:
    """The page with what differs on every answer taken out: the CSRF token and the reference."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return REFERENCE.sub("R-REFERENCE", html)
