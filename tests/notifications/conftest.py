"""A confirmed match between the personas' volunteer and a waiting parent,
for the rules and notifications about visits, logs, reviews and concerns."""

from __future__ import annotations

import json

import pytest

from tests.factories import council_area
from tests.matching.helpers import fit_volunteer, waiting_referral
from tests.notifications.fake_sms_provider import (
    PUBLIC_BASE_URL,
    TWILIO_SID,
    TWILIO_TOKEN,
    VONAGE_KEY,
    VONAGE_SIGNATURE_SECRET,
    FakeSmsProvider,
)
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


@pytest.fixture
def provider(settings):
    """The fake SMS provider on loopback, with the app's Twilio and Vonage
    settings pointing at it and callbacks asked for at the public address."""
    with FakeSmsProvider() as fake:
        settings.TWILIO_API_URL = fake.url
        settings.TWILIO_ACCOUNT_SID = TWILIO_SID
        settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
        settings.VONAGE_API_URL = fake.url
        settings.VONAGE_API_KEY = VONAGE_KEY
        settings.VONAGE_SIGNATURE_SECRET = VONAGE_SIGNATURE_SECRET
        settings.VONAGE_SIGNATURE_METHOD = "sha256"
        settings.SMS_PUBLIC_BASE_URL = PUBLIC_BASE_URL
        settings.SMS_SENDER = "PeerSupport"
        yield fake


def sent_sms(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
