"""The base-layer API: token login, the caller, organisations, council areas
and services, each scoped to the caller's organisation and role."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from operations.core.models import Service


def api_client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_token_login_returns_a_token_that_authenticates(coordinator):
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": "coordinator", "password": "demo-pass-2026"})
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "coordinator"
    assert me.json()["role"] == "coordinator"


@pytest.mark.django_db
def test_wrong_password_gets_no_token(coordinator):
    response = APIClient().post("/api/v1/auth/token/", {"username": "coordinator", "password": "wrong"})
    assert response.status_code == 400
    assert "token" not in response.json()


@pytest.mark.django_db
def test_api_refuses_anonymous_callers():
    response = APIClient().get("/api/v1/services/")
    assert response.status_code in {401, 403}


@pytest.mark.django_db
def test_services_are_scoped_to_the_callers_organisation(coordinator, service, other_service):
    client = api_client_for(coordinator)
    names = [row["id"] for row in client.get("/api/v1/services/").json()["results"]]
    assert names == [service.pk]
    assert client.get(f"/api/v1/services/{other_service.pk}/").status_code == 404


@pytest.mark.django_db
def test_organisations_list_only_the_callers_own(coordinator, organisation, other_organisation):
    body = api_client_for(coordinator).get("/api/v1/organisations/").json()
    assert [row["id"] for row in body["results"]] == [organisation.pk]


@pytest.mark.django_db
def test_council_areas_are_listed(coordinator):
    body = api_client_for(coordinator).get("/api/v1/council-areas/").json()
    assert len(body) == 32


@pytest.mark.django_db
def test_only_managers_create_services(coordinator, manager, organisation):
    payload = {"name": "Groups", "kind": "group", "end_child_age_months": 24}
    assert api_client_for(coordinator).post("/api/v1/services/", payload).status_code == 403
    response = api_client_for(manager).post("/api/v1/services/", payload)
    assert response.status_code == 201
    assert Service.objects.get(name="Groups").organisation == organisation


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "No end", "kind": "group"}, "end_child_age_months"),
        ({"name": "Gestation", "kind": "group", "end_child_age_months": 12, "start_rule": "gestation_week"},
         "start_gestation_weeks"),
        ({"name": "Late", "kind": "group", "end_child_age_months": 12, "start_rule": "gestation_week",
          "start_gestation_weeks": 50}, "start_gestation_weeks"),
        ({"name": "Befriending", "kind": "group", "end_child_age_months": 12}, "name"),
        ({"name": "Kind", "kind": "astrology", "end_child_age_months": 12}, "kind"),
    ],
)  # fmt: skip
def test_bad_service_is_refused_with_field_errors_and_nothing_saved(manager, service, payload, field):
    before = Service.objects.count()
    response = api_client_for(manager).post("/api/v1/services/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Service.objects.count() == before


@pytest.mark.django_db
def test_manager_cannot_change_another_organisations_service(manager, other_service):
    response = api_client_for(manager).patch(f"/api/v1/services/{other_service.pk}/", {"name": "Mine now"})
    assert response.status_code == 404
    other_service.refresh_from_db()
    assert other_service.name == "Befriending"


@pytest.mark.django_db
def test_schema_and_docs_are_served_offline(coordinator_client):
    schema = coordinator_client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/services/" in schema.content
    docs = coordinator_client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower()
