"""A superuser makes a federation and its officers in the admin; a person who
works in an organisation cannot be made one; the change is audited."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from operations.core.audit import AuditEvent
from operations.core.federations import federation_of
from operations.core.models import Federation, FederationMembership, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client() -> Client:
    admin = User.objects.create_superuser("root", "root@example.org", "pw-root-2026")
    client = Client()
    client.force_login(admin)
    return client


def add_federation(client: Client, user: User):
    return client.post(
        reverse("admin:core_federation_add"),
        {
            "name": "Home-Start Scotland",
            "slug": "home-start-scotland",
            "officers-TOTAL_FORMS": "1",
            "officers-INITIAL_FORMS": "0",
            "officers-MIN_NUM_FORMS": "0",
            "officers-MAX_NUM_FORMS": "1000",
            "officers-0-user": str(user.pk),
            "officers-0-is_active": "on",
        },
    )


def test_a_superuser_adds_a_federation_with_its_officer(superuser_client):
    officer = UserFactory(username="hs-officer")
    response = add_federation(superuser_client, officer)
    assert response.status_code == 302, response.content.decode()[:2000]
    federation = Federation.objects.get(slug="home-start-scotland")
    assert federation_of(User.objects.get(pk=officer.pk)) == federation
    assert AuditEvent.objects.filter(summary="Federation officer added to Home-Start Scotland").exists()


def test_someone_working_in_an_organisation_cannot_be_made_an_officer(superuser_client, coordinator):
    response = add_federation(superuser_client, coordinator)
    assert response.status_code == 200
    assert "make a separate account for the federation work" in response.content.decode()
    assert not Federation.objects.exists()
    assert not FederationMembership.objects.exists()


def test_a_manager_cannot_open_the_federations_in_the_admin(manager_client):
    assert manager_client.get(reverse("admin:core_federation_changelist")).status_code == 403
