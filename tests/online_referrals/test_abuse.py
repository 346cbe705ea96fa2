"""Abuse protections of the public forms: rate limits per address and per
organisation, and the honeypot's spam hold with its 30-day purge."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from operations.celery import app as celery_app
from operations.core.audit import AuditEvent
from operations.notifications.models import Notification
from referrals.models import Parent, Referral
from referrals.online import tasks
from referrals.online.models import OnlineSubmission, Outcome
from tests.online_referrals.conftest import self_form

pytestmark = pytest.mark.django_db


def self_url(organisation) -> str:
    return reverse("online_referrals:self", args=[organisation.slug])


def _nothing_written() -> bool:
    return not (Referral.objects.exists() or OnlineSubmission.objects.exists() or Parent.objects.exists())


# --- rate limits ---------------------------------------------------------------


def test_one_address_over_its_limit_gets_a_429_and_nothing_is_written(
    client, organisation, service, forms_open, settings
):
    settings.ONLINE_REFERRAL_LIMIT_PER_ADDRESS = 2
    for _ in range(2):
        assert client.post(self_url(organisation), self_form(service, action="check")).status_code == 200
    audited = AuditEvent.objects.count()

    response = client.post(self_url(organisation), self_form(service))

    assert response.status_code == 429
    assert "Please try again in an hour" in response.content.decode()
    assert "Nothing you typed has been kept" in response.content.decode()
    assert _nothing_written()
    assert AuditEvent.objects.count() == audited


def test_another_address_is_not_held_back_by_the_first(client, organisation, service, forms_open, settings):
    settings.ONLINE_REFERRAL_LIMIT_PER_ADDRESS = 1
    client.post(self_url(organisation), self_form(service, action="check"))
    assert client.post(self_url(organisation), self_form(service), REMOTE_ADDR="192.0.2.9").status_code == 200
    assert Referral.objects.count() == 1


def test_the_organisation_over_its_limit_gets_a_429_from_any_address(
    client, organisation, service, forms_open, settings
):
    settings.ONLINE_REFERRAL_LIMIT_PER_ORGANISATION = 2
    for number in range(2):
        client.post(self_url(organisation), self_form(service, action="check"), REMOTE_ADDR=f"192.0.2.{number}")

    response = client.post(self_url(organisation), self_form(service), REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 429
    assert _nothing_written()


def test_the_limit_counts_for_an_hour(client, organisation, service, forms_open, settings):
    settings.ONLINE_REFERRAL_LIMIT_PER_ADDRESS = 1
    with time_machine.travel(timezone.now().replace(minute=0, second=0), tick=False) as traveller:
        client.post(self_url(organisation), self_form(service, action="check"))
        assert client.post(self_url(organisation), self_form(service)).status_code == 429
        traveller.shift(timedelta(hours=1))
        assert client.post(self_url(organisation), self_form(service)).status_code == 200
    assert Referral.objects.count() == 1


def test_reading_the_form_is_not_counted(client, organisation, service, forms_open, settings):
    settings.ONLINE_REFERRAL_LIMIT_PER_ADDRESS = 1
    for _ in range(3):
        client.get(self_url(organisation))
    assert client.post(self_url(organisation), self_form(service)).status_code == 200


# --- the honeypot ----------------------------------------------------------------


def test_a_filled_honeypot_is_held_apart_as_spam_and_never_reaches_the_board(
    client, organisation, service, forms_open, coordinator, coordinator_client
):
    response = client.post(self_url(organisation), self_form(service, website="http://cheap.example"))

    assert response.status_code == 200
    assert "Your reference is" in response.content.decode()
    spam = OnlineSubmission.objects.get()
    assert spam.outcome == Outcome.SPAM
    assert spam.referral is None
    assert spam.answers["First name"] == "Isla"
    assert not Referral.objects.exists()
    assert not Parent.objects.exists()
    assert not Notification.objects.exists()  # no acknowledgement, nobody told
    assert "Onlinetest" not in coordinator_client.get(reverse("referrals:board")).content.decode()
    # Coordinators can look at what was held, in case a person was caught.
    to_check = coordinator_client.get(reverse("online_referrals:to-check")).content.decode()
    assert spam.reference in to_check


def test_spam_is_answered_the_same_even_when_the_rest_is_garbage(client, organisation, service, forms_open):
    response = client.post(self_url(organisation), {"website": "x", "first_name": "y" * 5000, "service": "nope"})
    assert response.status_code == 200
    assert "Your reference is" in response.content.decode()
    held = OnlineSubmission.objects.get()
    assert len(held.answers["First name"]) == 100  # cut to the field's length


def test_spam_is_deleted_after_30_days_by_the_beat_task(client, organisation, service, forms_open):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(self_url(organisation), self_form(service, website="spam"))
    with time_machine.travel(start + timedelta(days=29), tick=False):
        client.post(self_url(organisation), self_form(service, website="spam", first_name="Later"))
        client.post(self_url(organisation), self_form(service, first_name="Real", date_of_birth="1990-01-01"))

    with time_machine.travel(start + timedelta(days=30, minutes=1), tick=False):
        assert tasks.purge_spam() == 1

    kept = OnlineSubmission.objects.filter(outcome=Outcome.SPAM)
    assert [spam.answers["First name"] for spam in kept] == ["Later"]
    assert OnlineSubmission.objects.filter(outcome=Outcome.REFERRED).count() == 1
    assert AuditEvent.objects.filter(action="delete", summary__contains="spam").exists()


def test_the_purge_is_on_the_beat_schedule():
    scheduled = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert "referrals.online.tasks.purge_spam" in scheduled
