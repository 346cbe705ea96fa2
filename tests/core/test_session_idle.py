"""The idle timeout without a session write per request: the session is
saved (its expiry moved on) at most once a minute while someone works."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.utils import timezone

pytestmark = pytest.mark.django_db


def expiry(client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_the_session_expiry_moves_on_at_most_once_a_minute(coordinator_client, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        coordinator_client.get("/about/")
        signed_in = expiry(coordinator_client)
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        coordinator_client.get("/about/")
        assert expiry(coordinator_client) == signed_in
    with time_machine.travel(start + dt.timedelta(seconds=90), tick=False):
        coordinator_client.get("/about/")
        moved = expiry(coordinator_client)
    assert moved - signed_in >= dt.timedelta(seconds=89)
    assert moved - (start + dt.timedelta(seconds=90)) <= dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_an_idle_session_ends(coordinator_client, settings):
    start = timezone.now()
    with time_machine.travel(start + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 120), tick=False):
        response = coordinator_client.get("/about/")
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]
