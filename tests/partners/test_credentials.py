"""Managers give a referring team a partner credential: the token is shown
once and kept only as a hash; a credential is revoked at once. Nobody else
makes or revokes them."""

from __future__ import annotations

import hashlib
import re

import pytest
from rest_framework.test import APIClient

from operations.core.audit import AuditEvent
from referrals.partners.models import PartnerCredential
from tests.factories import PartnerCredentialFactory, ReferrerFactory, ReferringOrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(organisation):
    return ReferringOrganisationFactory(organisation=organisation, name="Melrose GP Practice")


def test_a_manager_makes_a_credential_and_sees_its_token_once(manager_client, team):
    person = ReferrerFactory(organisation=team.organisation, referring_organisation=team)
    response = manager_client.post(
        "/partners/new/", {"name": "Practice records system", "referring_organisation": team.pk, "referrer": person.pk}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = re.search(r'<code id="partner-token">(pptk_[\w-]+)</code>', response.content.decode()).group(1)
    credential = PartnerCredential.objects.get()
    assert (credential.referring_organisation, credential.referrer) == (team, person)
    assert credential.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(PartnerCredential.objects.values().get())
    listing = manager_client.get("/partners/").content.decode()
    assert "Practice records system" in listing
    assert credential.token_prefix in listing
    assert token not in listing
    assert AuditEvent.objects.filter(summary="Partner API credential made", object_id=str(credential.pk)).exists()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/partner/referrals/").status_code == 200


def test_a_person_of_another_team_or_a_team_of_another_organisation_is_refused(
    manager_client, team, other_organisation
):
    elsewhere = ReferrerFactory(organisation=team.organisation)
    response = manager_client.post(
        "/partners/new/", {"name": "System", "referring_organisation": team.pk, "referrer": elsewhere.pk}
    )
    assert "Choose a person of this team, or leave it empty." in response.content.decode()
    foreign = ReferringOrganisationFactory(organisation=other_organisation)
    response = manager_client.post("/partners/new/", {"name": "System", "referring_organisation": foreign.pk})
    assert "Select a valid choice" in response.content.decode()
    assert not PartnerCredential.objects.exists()


def test_a_revoked_credential_stops_working_at_once(manager_client, organisation, team):
    credential = PartnerCredentialFactory(organisation=organisation, referring_organisation=team)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {credential.token}")
    assert client.get("/api/v1/partner/referrals/").status_code == 200
    assert manager_client.post(f"/partners/{credential.pk}/revoke/").status_code == 302
    assert client.get("/api/v1/partner/referrals/").status_code == 401
    assert "Revoked" in manager_client.get("/partners/").content.decode()
    assert AuditEvent.objects.filter(summary="Partner API credential revoked").exists()


def test_only_managers_of_the_organisation_make_or_revoke_credentials(
    coordinator_client, other_organisation, manager_client, team
):
    assert coordinator_client.get("/partners/").status_code == 403
    assert (
        coordinator_client.post("/partners/new/", {"name": "x", "referring_organisation": team.pk}).status_code == 403
    )
    foreign = PartnerCredentialFactory(organisation=other_organisation)
    assert manager_client.post(f"/partners/{foreign.pk}/revoke/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active
    assert not PartnerCredential.objects.filter(organisation=team.organisation).exists()


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_credentials_page_and_the_partner_list_read_in_a_fixed_number_of_queries(
    manager_client, organisation, team, service
):
    from tests.factories import PartnerReferralFactory

    credential = PartnerCredentialFactory(organisation=organisation, referring_organisation=team)
    partner = APIClient()
    partner.credentials(HTTP_AUTHORIZATION=f"Bearer {credential.token}")
    PartnerReferralFactory(credential=credential, referral__service=service)
    few = (count_queries(manager_client, "/partners/"), count_queries(partner, "/api/v1/partner/referrals/"))
    for _ in range(5):
        PartnerCredentialFactory(organisation=organisation, referring_organisation=team)
        PartnerReferralFactory(credential=credential, referral__service=service)
    many = (count_queries(manager_client, "/partners/"), count_queries(partner, "/api/v1/partner/referrals/"))
    assert many == few
