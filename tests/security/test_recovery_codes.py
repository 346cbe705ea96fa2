"""Two-factor recovery codes: ten single-use codes shown once at enrolment,
accepted instead of the six-digit code at sign-in, each only once, and
made again (audited) from the account pages."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from operations.core.audit import AuditAction, AuditEvent
from tests.security.test_two_factor import code_for, enrolled, password_client


@pytest.fixture(autouse=True)
def required(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["coordinator", "manager"]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def enrol(client, user) -> list[str]:
    """Enrols through the pages; returns the codes shown once."""
    client.get(reverse("two-factor-setup"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("two-factor-setup"), {"otp_token": code_for(device)})
    assert response.status_code == 200
    return response.context["codes"]


def verify(client, typed: str):
    return client.post(f"{reverse('two-factor-verify')}?next=/services/", {"otp_token": typed})


@pytest.mark.django_db
def test_enrolment_shows_ten_different_codes_once(coordinator, coordinator_client):
    codes = enrol(coordinator_client, coordinator)
    assert len(set(codes)) == 10
    page = coordinator_client.get(reverse("two-factor-recovery-codes")).content.decode()
    assert "10</strong> unused codes left" in page
    assert not any(code in page for code in codes)
    # Stored for checking, not for showing: the audit names none of them.
    assert not AuditEvent.objects.filter(summary__icontains=codes[0]).exists()


@pytest.mark.django_db
def test_a_recovery_code_signs_in_once(coordinator, coordinator_client):
    codes = enrol(coordinator_client, coordinator)
    client = password_client("coordinator")
    response = verify(client, codes[0].upper().replace("-", " "))  # typed loosely, still accepted
    assert response.status_code == 302
    assert response["Location"] == "/services/"
    assert client.get(reverse("service-list")).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, summary__contains="recovery code; 9 left").exists()

    again = password_client("coordinator")
    refused = verify(again, codes[0])
    assert refused.status_code == 200
    assert "That code did not match" in refused.content.decode()
    assert again.get(reverse("service-list")).status_code == 302  # still not signed in fully
    assert verify(again, codes[1]).status_code == 302


@pytest.mark.django_db
def test_made_up_and_badly_formed_codes_are_refused(coordinator, coordinator_client):
    enrol(coordinator_client, coordinator)
    client = password_client("coordinator")
    assert "That code did not match" in verify(client, "abcd-efgh").content.decode()
    assert "or one of your recovery codes" in verify(client, "not a code at all").content.decode()
    assert StaticToken.objects.count() == 10
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, summary="Wrong two-factor code").count() == 1


@pytest.mark.django_db
def test_someone_elses_code_does_not_work(coordinator, coordinator_client, manager, manager_client):
    codes = enrol(coordinator_client, coordinator)
    enrol(manager_client, manager)
    client = password_client("manager")
    assert verify(client, codes[0]).status_code == 200
    assert StaticToken.objects.filter(device__user=coordinator).count() == 10


@pytest.mark.django_db
def test_making_new_codes_stops_the_old_ones_and_is_audited(coordinator, coordinator_client):
    old = enrol(coordinator_client, coordinator)
    response = coordinator_client.post(reverse("two-factor-recovery-codes"))
    new = response.context["codes"]
    assert len(new) == 10
    assert not set(old) & set(new)
    assert AuditEvent.objects.filter(summary__startswith="Two-factor recovery codes made").count() == 2
    client = password_client("coordinator")
    assert verify(client, old[0]).status_code == 200
    assert verify(client, new[0]).status_code == 302


@pytest.mark.django_db
def test_new_codes_need_a_verified_sign_in(coordinator):
    enrolled(coordinator)
    client = password_client("coordinator")
    response = client.post(reverse("two-factor-recovery-codes"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two-factor-verify"))
    assert not StaticToken.objects.exists()


@pytest.mark.django_db
def test_without_an_authenticator_there_are_no_codes_to_make(volunteer_client):
    response = volunteer_client.post(reverse("two-factor-recovery-codes"))
    assert response["Location"] == reverse("two-factor-setup")
    assert not StaticToken.objects.exists()
