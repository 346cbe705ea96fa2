"""Editing an evaluation project: its name and description at any time; its
privacy settings (k, quasi-identifiers, suppression) only until its first
export, on the page and through the API — after that a field error and
nothing saved, because exports built with different settings could be
compared to single someone out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from operations.core.audit import AuditEvent
from operations.evaluation import services
from operations.evaluation.models import EvaluationExport, EvaluationProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(organisation, manager) -> EvaluationProject:
    return services.project_create(organisation=organisation, by=manager, name="Befriending study", k=5)


def _with_an_export(project, manager) -> None:
    services.export_request(project=project, by=manager)


def form_data(project, **overrides) -> dict:
    data = {
        "name": project.name,
        "description": project.description,
        "k": project.k,
        "quasi_identifiers": project.quasi_identifiers,
        "max_suppressed_percent": project.max_suppressed_percent,
    }
    return {**data, **overrides}


def test_a_manager_renames_a_project_and_changes_k_before_any_export(manager_client, project):
    url = reverse("evaluation:project-edit", args=[project.pk])
    assert manager_client.get(url).status_code == 200
    response = manager_client.post(url, form_data(project, name="Befriending study 2027", k=8))
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.k) == ("Befriending study 2027", 8)
    event = AuditEvent.objects.filter(summary__startswith="Evaluation project changed").get()
    assert "name" in event.summary
    assert "k" in event.summary


def test_after_an_export_the_privacy_settings_are_fixed_but_the_name_is_not(manager_client, manager, project):
    _with_an_export(project, manager)
    url = reverse("evaluation:project-edit", args=[project.pk])
    page = manager_client.get(url).content.decode()
    assert "privacy settings (k, quasi-identifiers, suppression) are fixed" in page
    assert 'name="k"' in page
    assert "disabled" in page.split('name="k"')[1].split(">")[0]
    # A posted k is ignored (the field is disabled); the rename is saved.
    response = manager_client.post(url, form_data(project, name="Renamed", k=9))
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.k) == ("Renamed", 5)


def test_the_service_refuses_privacy_changes_after_an_export_and_saves_nothing(manager, project):
    _with_an_export(project, manager)
    with pytest.raises(services.ValidationError) as caught:
        services.project_update(project=project, by=manager, name="Renamed", k=9, quasi_identifiers=["age_band"])
    assert {"k", "quasi_identifiers"} <= caught.value.message_dict.keys()
    project.refresh_from_db()
    assert (project.name, project.k) == ("Befriending study", 5)
    assert not AuditEvent.objects.filter(summary__startswith="Evaluation project changed").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"k": 1}, "k"),
        ({"k": 500}, "k"),
        ({"quasi_identifiers": []}, "quasi_identifiers"),
        ({"quasi_identifiers": ["postcode"]}, "quasi_identifiers"),
    ],
)
def test_bad_input_on_the_page_is_a_field_error_and_changes_nothing(manager_client, project, overrides, field):
    url = reverse("evaluation:project-edit", args=[project.pk])
    response = manager_client.post(url, form_data(project, **overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    project.refresh_from_db()
    assert (project.name, project.k) == ("Befriending study", 5)


def test_a_name_taken_by_another_project_is_refused(manager_client, manager, organisation, project):
    services.project_create(organisation=organisation, by=manager, name="Groups study")
    url = reverse("evaluation:project-edit", args=[project.pk])
    response = manager_client.post(url, form_data(project, name="Groups study"))
    assert response.status_code == 400
    assert "already has a project with this name" in response.content.decode()


def test_the_api_patches_and_refuses_like_the_page(manager_client, manager, project):
    url = f"/api/v1/evaluation-projects/{project.pk}/"
    response = manager_client.patch(url, {"description": "Year two", "k": 6}, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["k"] == 6
    assert "secret" not in response.json()
    _with_an_export(project, manager)
    response = manager_client.patch(url, {"k": 7}, content_type="application/json")
    assert response.status_code == 400
    assert "k" in response.json()
    response = manager_client.patch(url, {"k": "many"}, content_type="application/json")
    assert response.status_code == 400
    project.refresh_from_db()
    assert (project.k, project.description) == (6, "Year two")
    assert EvaluationExport.objects.filter(project=project).count() == 1


def test_other_roles_and_organisations_cannot_edit(coordinator_client, other_coordinator_client, project):
    url = reverse("evaluation:project-edit", args=[project.pk])
    assert coordinator_client.get(url).status_code == 403
    assert (
        coordinator_client.patch(
            f"/api/v1/evaluation-projects/{project.pk}/", {"name": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert other_coordinator_client.get(url).status_code == 403
    project.refresh_from_db()
    assert project.name == "Befriending study"
