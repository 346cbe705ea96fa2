"""Lockout after repeated failed sign-ins (django-axes), keyed on username + address."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from operations.core.audit import AuditAction, AuditEvent

WRONG = {"username": "coordinator", "password": "not-the-password-1"}
RIGHT = {"username": "coordinator", "password": settings.DEMO_PASSWORD}


def test_defaults_are_five_failures_and_one_hour():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == dt.timedelta(hours=1)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


@pytest.mark.django_db
def test_fifth_failed_sign_in_locks_out_even_the_right_password(client, coordinator):
    for _ in range(4):
        assert client.post(reverse("login"), WRONG).status_code == 200
    locked = client.post(reverse("login"), WRONG)
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts. Try again in 60 minutes" in locked.content.decode()
    refused = client.post(reverse("login"), RIGHT)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN).count() == 0
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 6


@pytest.mark.django_db
def test_lockout_is_per_address_and_ends_after_the_cool_off(client, coordinator):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            client.post(reverse("login"), WRONG)
        # The same person at another address is not locked out by a stranger's guesses.
        assert client.post(reverse("login"), RIGHT, REMOTE_ADDR="10.1.2.3").status_code == 302
        client.logout()
    with time_machine.travel(start + dt.timedelta(minutes=59), tick=False):
        assert client.post(reverse("login"), RIGHT).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=121), tick=False):
        # A failure during the lockout restarted the hour; two hours later it is over.
        assert client.post(reverse("login"), RIGHT).status_code == 302


@pytest.mark.django_db
def test_the_limit_is_a_setting(client, coordinator, settings):
    settings.AXES_FAILURE_LIMIT = 2
    assert client.post(reverse("login"), WRONG).status_code == 200
    assert client.post(reverse("login"), WRONG).status_code == 429


@pytest.mark.django_db
def test_api_token_endpoint_locks_out_with_a_json_answer(client, coordinator):
    url = reverse("api-token")
    first = client.post(url, WRONG, content_type="application/json")
    assert first.status_code == 400
    assert first.json() == {"non_field_errors": ["Unable to sign in with these details."]}
    for _ in range(4):
        response = client.post(url, WRONG, content_type="application/json")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.json()["detail"]
    refused = client.post(url, RIGHT, content_type="application/json")
    assert refused.status_code == 429
    assert "token" not in refused.json()


@pytest.mark.django_db
def test_web_and_api_failures_count_together(client, coordinator):
    for _ in range(3):
        client.post(reverse("login"), WRONG)
    for _ in range(2):
        response = client.post(reverse("api-token"), WRONG, content_type="application/json")
    assert response.status_code == 429
    assert client.post(reverse("login"), RIGHT).status_code == 429


@pytest.mark.django_db
def test_api_token_with_bad_input_is_a_field_error(client):
    response = client.post(reverse("api-token"), {"username": ""}, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


@pytest.mark.django_db
def test_behind_a_proxy_the_lockout_uses_the_address_the_proxy_saw(client, coordinator, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(5):
        # A client inventing a new X-Forwarded-For on each try still hits the limit.
        client.post(reverse("login"), WRONG, HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}, 203.0.113.7")
    assert client.post(reverse("login"), RIGHT, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7").status_code == 429


def test_redirects_to_sign_in_carry_the_policy_too(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert "Content-Security-Policy" in response
