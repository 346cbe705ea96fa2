"""Organisation isolation and role-dependent pages for the base layer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from operations.core.models import Membership, Role
from tests.factories import MembershipFactory


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_login_page_and_password_reset_are_public(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("password_reset")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "sees_services", "sees_admin"),
    [
        ("volunteer_client", False, False),
        ("pso_client", False, False),
        ("coordinator_client", True, False),
        ("manager_client", True, True),
    ],
)
def test_navigation_depends_on_role(request, service, persona, sees_services, sees_admin):
    client = request.getfixturevalue(persona)
    page = client.get(reverse("home")).content.decode()
    assert (f'href="{reverse("service-list")}"' in page) is sees_services
    assert (f'href="{reverse("admin:index")}"' in page) is sees_admin
    assert "Tweed Valley Test" in page


@pytest.mark.django_db
def test_each_role_gets_its_own_home_page(volunteer_client, coordinator_client):
    assert "Log each contact" in volunteer_client.get(reverse("home")).content.decode()
    assert "New referrals" in coordinator_client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_a_user_without_membership_is_refused(client, django_user_model):
    user = django_user_model.objects.create_user("drifter", password="x-unused-9876543")
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 403


@pytest.mark.django_db
def test_service_of_another_organisation_is_not_found(coordinator_client, other_service, service):
    assert coordinator_client.get(reverse("service-detail", args=[service.pk])).status_code == 200
    assert coordinator_client.get(reverse("service-detail", args=[other_service.pk])).status_code == 404
    listing = coordinator_client.get(reverse("service-list")).content.decode()
    assert "turns 2" not in listing


@pytest.mark.django_db
def test_switching_organisation_changes_what_is_visible(
    coordinator, coordinator_client, other_organisation, other_service
):
    MembershipFactory(user=coordinator, organisation=other_organisation, role=Role.MANAGER)
    response = coordinator_client.post(
        reverse("switch-organisation"), {"organisation": other_organisation.pk, "next": "/services/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/services/"
    coordinator.refresh_from_db()
    assert coordinator.active_organisation == other_organisation
    assert coordinator_client.get(reverse("service-detail", args=[other_service.pk])).status_code == 200


@pytest.mark.django_db
def test_cannot_switch_to_an_organisation_one_does_not_belong_to(coordinator, coordinator_client, other_organisation):
    response = coordinator_client.post(reverse("switch-organisation"), {"organisation": other_organisation.pk})
    assert response.status_code == 404
    coordinator.refresh_from_db()
    assert coordinator.active_organisation != other_organisation


@pytest.mark.django_db
def test_switch_ignores_an_offsite_next_url(coordinator, coordinator_client, other_organisation):
    MembershipFactory(user=coordinator, organisation=other_organisation, role=Role.COORDINATOR)
    response = coordinator_client.post(
        reverse("switch-organisation"), {"organisation": other_organisation.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_a_removed_membership_stops_access_at_once(coordinator, coordinator_client, service):
    Membership.objects.filter(user=coordinator).update(is_active=False)
    assert coordinator_client.get(reverse("service-detail", args=[service.pk])).status_code == 404
    assert coordinator_client.get(reverse("home")).status_code == 403


@pytest.mark.django_db
def test_admin_is_for_managers_and_scoped_to_their_organisation(
    manager_client, coordinator_client, service, other_service
):
    assert coordinator_client.get(reverse("admin:index")).status_code == 302
    assert manager_client.get(reverse("admin:index")).status_code == 200
    listing = manager_client.get(reverse("admin:core_service_changelist")).content.decode()
    assert f"/admin/core/service/{service.pk}/change/" in listing
    assert f"/admin/core/service/{other_service.pk}/change/" not in listing
    assert manager_client.get(reverse("admin:core_service_change", args=[other_service.pk])).status_code == 302


@pytest.mark.django_db
def test_manager_adding_a_service_in_admin_cannot_pick_another_organisation(
    manager_client, organisation, other_organisation
):
    response = manager_client.post(
        reverse("admin:core_service_add"),
        {
            "organisation": other_organisation.pk,
            "name": "Sneaky",
            "kind": "befriending",
            "start_rule": "pregnancy",
            "end_child_age_months": 12,
            "waiting_target_working_days": 10,
        },
    )
    assert response.status_code == 200  # re-rendered with an error
    assert not other_organisation.services.filter(name="Sneaky").exists()
