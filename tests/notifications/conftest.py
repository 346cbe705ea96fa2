"""A confirmed match between the personas' volunteer and a waiting parent,
for the rules and notifications about visits, logs, reviews and concerns."""

from __future__ import annotations

import json

import pytest
import time_machine

from tests.factories import council_area
from tests.matching.helpers import fit_volunteer, waiting_referral
from tests.notifications.helpers_texts import THURSDAY, use_number
from volunteers.matching import services as matching_services


@pytest.fixture
def match(coordinator, organisation, service, volunteer):
    area = council_area("S12000026")
    referral = waiting_referral(organisation=organisation, service=service, area=area, first_name="Rhona")
    profile = fit_volunteer(organisation=organisation, areas=[area], user=volunteer)
    return matching_services.match_confirm(
        actor=coordinator, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=profile.pk
    )


@pytest.fixture
def sms_file(settings, tmp_path):
    """SMS written as JSON lines to a file of the test's own (``sent_sms`` reads them)."""
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    return tmp_path / "sms.jsonl"


def sent_sms(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture
def thursday():
    """Thursday 3 Dec 2026, midday, the clock still (the two-way text tests: helpers_texts)."""
    with time_machine.travel(THURSDAY, tick=False):
        yield


@pytest.fixture
def numbered(organisation):
    """The personas' organisation, texting from its own number."""
    use_number(organisation)
    return organisation
