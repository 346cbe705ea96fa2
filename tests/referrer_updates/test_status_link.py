"""The private link in each update: it opens the referral's state and dates
without an account, expires, and fails the same plain way whatever is wrong
with it; opening it is audited and rate-limited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from operations.core.audit import AuditEvent
from operations.notifications.models import Notification
from operations.referrer_updates.status_link import status_token
from referrals import services as referral_services
from referrals.models import Referral
from referrals.workflow import Status
from tests.factories import ReferrerFactory

pytestmark = pytest.mark.django_db

UNAVAILABLE = "This link does not work"


def link_in_update(referral: Referral) -> str:
    message = Notification.objects.filter(key=f"referrer-update:{referral.pk}:received").get()
    return re.search(r"http://localhost:8000(/referral-status/\S+/)", message.body).group(1)


def test_the_link_in_an_update_shows_the_state_in_words_and_dates_only_without_signing_in(coordinator, referral):
    referral = referral_services.referral_transition(actor=coordinator, referral=referral, to_status=Status.CONTACTED)
    response = Client().get(link_in_update(referral))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Referral #{referral.pk} to Tweed Valley Test" in page
    assert "Befriending" in page
    assert "The charity is in touch with the parent" in page
    today = referral.received_on
    assert f"{today.day} {today.strftime('%b')} {today.year}" in page
    for personal in ("Morven", "Journeyfield", "M.", "07700", "Low mood", "Morag"):
        assert personal not in page
    assert response["Cache-Control"].startswith("max-age=0")
    assert "noindex" in response["X-Robots-Tag"]


def test_opening_the_link_is_audited_naming_the_record_only(referral):
    Client().get(link_in_update(referral))
    event = AuditEvent.objects.filter(object_id=str(referral.pk), object_type="referrals.Referral").first()
    assert event.summary == "Referral status opened through the referrer's link"
    assert event.organisation_id == referral.organisation_id
    assert event.actor_id is None


def test_the_link_expires(referral):
    link = link_in_update(referral)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=89)):
        assert Client().get(link).status_code == 200
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=91)):
        response = Client().get(link)
    assert response.status_code == 404
    assert UNAVAILABLE in response.content.decode()


def failure_pages(referral: Referral, other_referral_id: int) -> dict[str, str]:
    genuine = link_in_update(referral)
    token = genuine.split("/")[2]
    return {
        "forged signature": f"/referral-status/{token[:-3]}abc/",
        "not a token": "/referral-status/hello/",
        "another referral, signed with a guessed referrer": "/referral-status/"
        + status_token(referral_id=other_referral_id, referrer_id=999_999)
        + "/",
    }


def test_every_failure_is_the_same_plain_page(coordinator, organisation, service, referral):
    other = Referral.objects.exclude(pk=referral.pk).first() or referral
    answers = set()
    for name, url in failure_pages(referral, other.pk).items():
        response = Client().get(url)
        assert response.status_code == 404, name
        answers.add(response.content)
    assert len(answers) == 1
    assert UNAVAILABLE in answers.pop().decode()
    refused = AuditEvent.objects.filter(summary__startswith="Referral status link refused")
    assert refused.count() == 3
    assert all(event.object_id == "" for event in refused)


def test_the_link_stops_working_when_the_agreement_is_withdrawn_or_the_referrer_changes(
    coordinator, organisation, referral
):
    link = link_in_update(referral)
    referral_services.referral_update(actor=coordinator, referral=referral, data={"referrer_updates_consent": False})
    assert Client().get(link).status_code == 404
    referral_services.referral_update(actor=coordinator, referral=referral, data={"referrer_updates_consent": True})
    assert Client().get(link).status_code == 200
    someone_else = ReferrerFactory(organisation=organisation)
    referral_services.referral_update(actor=coordinator, referral=referral, data={"referrer": someone_else})
    assert Client().get(link).status_code == 404


def test_too_many_opens_from_one_address_are_refused_for_a_while(settings, referral):
    settings.REFERRER_STATUS_RATE_LIMIT = 3
    link = link_in_update(referral)
    client = Client()
    assert [client.get(link).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(link)
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    # Another address is not held up.
    assert Client(REMOTE_ADDR="192.0.2.44").get(link).status_code == 200


def test_the_status_page_answers_get_only(referral):
    assert Client().post(link_in_update(referral)).status_code == 405
