"""The partner API: a referring team's system makes referrals, once per
Idempotency-Key, and reads the state of the referrals its team made, with
its partner token, and nothing else."""

from __future__ import annotations

import copy
import datetime as dt
import json
import threading

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from operations.core.audit import AuditEvent
from operations.notifications.models import Notification
from referrals.models import Channel, Parent, Referral, Source
from referrals.partners.models import PartnerReferral
from referrals.workflow import Status
from tests.factories import PartnerCredentialFactory, ReferralFactory, ReferrerFactory, ReferringOrganisationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/partner/referrals/"
DUE = timezone.localdate() + dt.timedelta(weeks=20)


@pytest.fixture
def team(organisation):
    return ReferringOrganisationFactory(organisation=organisation, name="Galashiels Health Visiting")


@pytest.fixture
def health_visitor(organisation, team):
    return ReferrerFactory(organisation=organisation, referring_organisation=team, email="eilidh.hv@nhs.example")


@pytest.fixture
def credential(organisation, team, health_visitor):
    return PartnerCredentialFactory(organisation=organisation, referring_organisation=team, referrer=health_visitor)


def partner(credential) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {credential.token}")
    return client


def body(service, **changes) -> dict:
    data = {
        "service": service.pk,
        "parent": {
            "first_name": "Morven",
            "last_name": "Apiworth",
            "date_of_birth": "1996-04-12",
            "phone": "07700 900123",
            "postcode": "TD1 1AB",
            "council_area": "S12000026",
            "safe_sms": True,
            "best_contact_times": "Weekday mornings",
        },
        "child": {"due_date": DUE.isoformat()},
        "reason": "Low mood since the scan.",
        "consent_to_contact": True,
        "referrer_updates_consent": True,
    }
    data.update(changes)
    return data


def post(client, data, key: str | None = "key-0001"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(URL, data=json.dumps(data), content_type="application/json", **headers)


def test_a_partner_makes_a_referral_from_its_team(credential, service, health_visitor):
    response = post(partner(credential), body(service))
    assert response.status_code == 201, response.content
    referral = Referral.objects.get()
    assert response.json() == {
        "id": referral.pk,
        "reference": f"#{referral.pk}",
        "idempotency_key": "key-0001",
        "service": service.pk,
        "service_name": "Befriending",
        "status": "received",
        "status_text": "Received: the charity will contact the parent",
        "received_on": referral.received_on.isoformat(),
        "last_changed_on": referral.received_on.isoformat(),
    }
    assert referral.channel == Channel.PARTNER_API
    assert referral.referrer == health_visitor
    assert referral.source == Source.HEALTH_VISITOR
    assert referral.referrer_name == f"{health_visitor.name}, Galashiels Health Visiting"
    assert referral.referrer_updates_consent is True
    assert referral.parent.safe_sms
    assert referral.parent.contact_safety_recorded_at is not None
    assert referral.parent.contact_consent_given_on is not None
    assert referral.parent.children.get().due_date == DUE
    # The referrer named by the credential hears it was received.
    assert Notification.objects.filter(kind="referrer_update", recipient_address="eilidh.hv@nhs.example").exists()
    assert AuditEvent.objects.filter(
        object_id=str(referral.pk), summary__startswith="Referral received from a partner system"
    ).exists()


def test_the_same_key_twice_makes_one_referral_and_returns_it(credential, service):
    client = partner(credential)
    first = post(client, body(service))
    # Same body, keys in another order and spaced differently: the same request.
    again = client.post(
        URL,
        data=json.dumps(dict(reversed(list(body(service).items()))), indent=2),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="key-0001",
    )
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Referral.objects.count() == 1
    assert Parent.objects.count() == 1
    assert Notification.objects.filter(kind="referrer_update").count() == 1


def test_the_same_key_with_another_body_is_refused_and_writes_nothing(credential, service):
    client = partner(credential)
    post(client, body(service))
    other = body(service, reason="Another mother altogether")
    response = post(client, other)
    assert response.status_code == 422
    assert "already used with a different request" in response.json()["detail"]
    assert Referral.objects.count() == 1


def test_a_request_without_a_key_is_refused(credential, service):
    for key in (None, "", "has spaces in it", "x" * 201):
        response = post(partner(credential), body(service), key=key)
        assert response.status_code == 400, key
        assert "Idempotency-Key" in response.json()
    assert not Referral.objects.exists()


def test_bad_input_is_refused_with_field_errors_and_the_key_stays_free(credential, service, other_service):
    client = partner(credential)
    refused = [
        body(service, consent_to_contact=False),
        body(other_service),
        body(service, parent={"first_name": "Morven"}),
        body(service, parent={**body(service)["parent"], "postcode": "not a postcode"}),
    ]
    for data in refused:
        assert post(client, data, key="key-0002").status_code == 400, data
    assert not Referral.objects.exists()
    assert not PartnerReferral.objects.exists()
    assert post(client, body(service), key="key-0002").status_code == 201


def test_a_parent_with_an_open_referral_is_refused_without_detail(credential, service):
    client = partner(credential)
    post(client, body(service), key="first")
    response = post(client, body(service), key="second")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "The charity cannot take this referral through the API. Please contact them directly; "
        "nothing was recorded."
    }
    assert Referral.objects.count() == 1
    assert PartnerReferral.objects.count() == 1


def test_a_partner_reads_only_the_referrals_its_team_made(organisation, credential, service, coordinator):
    client = partner(credential)
    made = post(client, body(service)).json()
    same_team = PartnerCredentialFactory(
        organisation=organisation, referring_organisation=credential.referring_organisation
    )
    other_team = PartnerCredentialFactory(organisation=organisation)
    theirs = post(partner(other_team), body(service, parent={**body(service)["parent"], "first_name": "Ailsa"}))
    typed_by_staff = ReferralFactory(organisation=organisation, service=service)

    listed = client.get(URL).json()
    assert [row["id"] for row in listed["results"]] == [made["id"]]
    # A team's new credential still sees what its team made.
    assert [row["id"] for row in partner(same_team).get(URL).json()["results"]] == [made["id"]]
    assert client.get(f"{URL}{made['id']}/").status_code == 200
    for other_id in (theirs.json()["id"], typed_by_staff.pk, 999_999):
        assert client.get(f"{URL}{other_id}/").status_code == 404


def test_the_state_a_partner_reads_follows_the_referral(credential, service, coordinator):
    from referrals import services as referral_services

    made = post(partner(credential), body(service)).json()
    referral = Referral.objects.get(pk=made["id"])
    referral_services.referral_transition(actor=coordinator, referral=referral, to_status=Status.CONTACTED)
    read = partner(credential).get(f"{URL}{made['id']}/").json()
    assert (read["status"], read["status_text"]) == ("contacted", "The charity is in touch with the parent")
    assert AuditEvent.objects.filter(summary="Referral state read by a partner system", object_id=str(referral.pk))


def test_a_revoked_or_wrong_token_is_refused(credential, service, manager):
    from referrals.partners.services import partner_credential_revoke

    partner_credential_revoke(actor=manager, credential=credential)
    wrong = APIClient()
    wrong.credentials(HTTP_AUTHORIZATION="Bearer pptk_not-a-real-token")
    for client in (partner(credential), wrong, APIClient()):
        response = client.get(URL)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="partner API"'
        assert post(client, body(service)).status_code == 401
    assert not Referral.objects.exists()


def test_a_staff_token_or_session_does_not_open_the_partner_api(coordinator, service):
    token = APIClient()
    token.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=coordinator).key}")
    session = APIClient()
    session.force_login(coordinator)
    for client in (token, session):
        assert client.get(URL).status_code == 401
        assert post(client, body(service)).status_code == 401


def test_another_organisations_service_is_refused(other_service, credential):
    response = post(partner(credential), body(other_service))
    assert response.status_code == 400
    assert "service" in response.json()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_key_sent_at_the_same_moment_makes_one_referral(credential, service):
    barrier = threading.Barrier(4)
    answers: list[int] = []

    def send() -> None:
        try:
            barrier.wait()
            answers.append(post(partner(credential), copy.deepcopy(body(service))).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [201, 201, 201, 201]
    assert Referral.objects.count() == 1
    assert PartnerReferral.objects.count() == 1
