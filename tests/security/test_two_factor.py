"""Two-factor authentication (TOTP): enrolment, verification after sign-in,
enforcement by role for pages and the API, and tokens only with a code."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from operations.core.audit import AuditAction, AuditEvent

REQUIRED = ["coordinator", "manager"]


def code_for(device: TOTPDevice, offset_steps: int = 0) -> str:
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0 - offset_steps * device.step, digits=device.digits)
    return f"{value:0{device.digits}d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def password_client(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = REQUIRED
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # wrong then right within a second, in tests


def test_development_mode_requires_it_of_nobody():
    # The test suite runs with DEBUG=1: other features' tests and the demo logins keep working.
    assert settings.TWO_FACTOR_REQUIRED_ROLES == []


@pytest.mark.django_db
def test_required_roles_are_sent_to_enrol_before_any_page(
    required, coordinator_client, manager_client, volunteer_client
):
    for client in (coordinator_client, manager_client):
        response = client.get(reverse("service-list"))
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('two-factor-setup')}?next=%2Fservices%2F"
        assert client.get(reverse("admin:index")).status_code == 302
    assert volunteer_client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_enrolment_shows_qr_code_and_key_and_a_wrong_code_confirms_nothing(required, coordinator, coordinator_client):
    page = coordinator_client.get(reverse("two-factor-setup")).content.decode()
    device = TOTPDevice.objects.get(user=coordinator)
    assert not device.confirmed
    assert "otpauth://totp/" in page
    assert 'src="data:image/svg+xml' in page
    assert device.config_url.split("secret=")[1].split("&")[0] in page
    response = coordinator_client.post(reverse("two-factor-setup"), {"otp_token": "000000"})
    assert response.status_code == 200
    assert "That code did not match" in response.content.decode()
    response = coordinator_client.post(reverse("two-factor-setup"), {"otp_token": "12ab"})
    assert "Enter the six digits" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE).exists()
    assert coordinator_client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_enrolment_with_a_right_code_turns_it_on_and_is_audited(required, coordinator, coordinator_client):
    coordinator_client.get(reverse("two-factor-setup"))
    device = TOTPDevice.objects.get(user=coordinator)
    response = coordinator_client.post(
        f"{reverse('two-factor-setup')}?next=/services/", {"otp_token": code_for(device), "next": "/services/"}
    )
    # The recovery codes are shown once, with the way on to where the person was going.
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    assert 'href="/services/"' in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    event = AuditEvent.objects.filter(action=AuditAction.CHANGE).order_by("pk").first()
    assert event.object_type == "otp_totp.TOTPDevice"
    assert event.actor == coordinator
    assert coordinator_client.get(reverse("home")).status_code == 200
    # Enrolled: the enrolment page no longer shows the key.
    assert coordinator_client.get(reverse("two-factor-setup")).status_code == 302


@pytest.mark.django_db
def test_sign_in_then_verify_with_a_code(required, coordinator):
    device = enrolled(coordinator)
    client = password_client("coordinator")
    response = client.get(reverse("home"))
    assert response["Location"] == f"{reverse('two-factor-verify')}?next=%2F"
    wrong = client.post(reverse("two-factor-verify"), {"otp_token": code_for(device, offset_steps=20)})
    assert wrong.status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, summary="Wrong two-factor code").count() == 1
    assert client.get(reverse("home")).status_code == 302
    right = client.post(f"{reverse('two-factor-verify')}?next=/", {"otp_token": code_for(device)})
    assert right.status_code == 302
    assert right["Location"] == "/"
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_verify_refuses_a_next_url_elsewhere(required, coordinator):
    device = enrolled(coordinator)
    client = password_client("coordinator")
    response = client.post(
        reverse("two-factor-verify"), {"otp_token": code_for(device), "next": "https://evil.example.com/"}
    )
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_a_volunteer_who_enrolled_is_asked_for_the_code_too(volunteer):
    enrolled(volunteer)
    client = password_client("volunteer")
    assert client.get(reverse("home"))["Location"].startswith(reverse("two-factor-verify"))


@pytest.mark.django_db
def test_others_may_enrol_from_their_account_page(volunteer_client):
    page = volunteer_client.get(reverse("account")).content.decode()
    assert "It is optional for your role" in page
    assert reverse("two-factor-setup") in page


@pytest.mark.django_db
def test_session_api_is_refused_until_verified(required, coordinator, coordinator_client):
    response = coordinator_client.get(reverse("api-me"))
    assert response.status_code == 401  # not authenticated enough: the API's challenge says how
    assert "Two-factor authentication is required" in response.json()["detail"]


@pytest.mark.django_db
def test_session_api_works_after_verification(required, coordinator):
    device = enrolled(coordinator)
    client = password_client("coordinator")
    client.post(reverse("two-factor-verify"), {"otp_token": code_for(device)})
    assert client.get(reverse("api-me")).status_code == 200


@pytest.mark.django_db
def test_token_for_a_required_role_needs_an_enrolled_authenticator(required, client, coordinator):
    credentials = {"username": "coordinator", "password": settings.DEMO_PASSWORD}
    response = client.post(reverse("api-token"), credentials, content_type="application/json")
    assert response.status_code == 403
    assert "enrol an authenticator" in response.json()["detail"]
    assert not Token.objects.exists()


@pytest.mark.django_db
def test_token_is_issued_only_with_a_valid_code(required, client, coordinator):
    device = enrolled(coordinator)
    url = reverse("api-token")
    credentials = {"username": "coordinator", "password": settings.DEMO_PASSWORD}
    missing = client.post(url, credentials, content_type="application/json")
    assert missing.status_code == 400
    assert "otp_token" in missing.json()
    wrong = client.post(url, {**credentials, "otp_token": code_for(device, 20)}, content_type="application/json")
    assert wrong.status_code == 400
    assert not Token.objects.exists()
    right = client.post(url, {**credentials, "otp_token": code_for(device)}, content_type="application/json")
    assert right.status_code == 200
    token = right.json()["token"]
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, summary="API token issued").count() == 1
    api = Client()
    assert api.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token}").json()["username"] == "coordinator"


@pytest.mark.django_db
def test_a_volunteer_gets_a_token_with_the_password_alone(required, client, volunteer):
    credentials = {"username": "volunteer", "password": settings.DEMO_PASSWORD}
    response = client.post(reverse("api-token"), credentials, content_type="application/json")
    assert response.status_code == 200


@pytest.mark.django_db
def test_an_old_token_of_a_required_role_without_authenticator_is_refused(required, coordinator):
    token = Token.objects.create(user=coordinator)
    response = Client().get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "Two-factor authentication is required" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Token not-a-real-token", "Token " + "a" * 40, "Token", None])
def test_a_missing_invalid_or_forged_token_is_a_401_with_the_token_challenge(header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = Client().get(reverse("api-me"), **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
