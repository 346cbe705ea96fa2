"""A member's manager switches sharing with the federation on and off:
managers only, audited without personal data, refused (and nothing written)
for anyone else or for an organisation in no federation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from operations.core.audit import AuditEvent
from operations.core.models import Organisation
from operations.core.services import federation_sharing_set

pytestmark = pytest.mark.django_db


def test_the_page_says_what_is_shared_and_what_never_is(manager_client, members):
    html = manager_client.get(reverse("federation:sharing")).content.decode()
    assert "Share this organisation&#x27;s figures with Test Perinatal Network" in html
    assert "Counts only" in html
    assert "Any record: no parent, child, referral" in html
    assert "Its figures are <strong>shared</strong>" in html


def test_a_manager_switches_sharing_off_and_on_and_each_change_is_audited(manager_client, manager, members):
    tweed = members["tweed"]
    response = manager_client.post(reverse("federation:sharing"), {"share": "no"}, follow=True)
    assert "no longer shared with Test Perinatal Network" in response.content.decode()
    tweed.refresh_from_db()
    assert tweed.shares_with_federation is False
    assert tweed.sharing_changed_by == manager
    assert tweed.sharing_changed_at is not None

    manager_client.post(reverse("federation:sharing"), {"share": "yes"})
    tweed.refresh_from_db()
    assert tweed.shares_with_federation is True
    events = list(AuditEvent.objects.filter(organisation=tweed).order_by("pk").values_list("summary", flat=True))
    assert events[-2:] == [
        "Sharing of figures with Test Perinatal Network switched off",
        "Sharing of figures with Test Perinatal Network switched on",
    ]
    # Saving the same choice again changes nothing and writes nothing.
    manager_client.post(reverse("federation:sharing"), {"share": "yes"})
    assert AuditEvent.objects.filter(organisation=tweed).count() == len(events)


@pytest.mark.parametrize("persona", ["coordinator_client", "pso_client", "volunteer_client"])
def test_only_managers_may_switch_and_a_refusal_writes_nothing(request, persona, members):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("federation:sharing")).status_code == 403
    assert client.post(reverse("federation:sharing"), {"share": "no"}).status_code == 403
    assert Organisation.objects.get(pk=members["tweed"].pk).shares_with_federation is True
    assert not AuditEvent.objects.filter(summary__startswith="Sharing of figures").exists()


def test_the_service_refuses_a_non_manager_and_an_organisation_in_no_federation(coordinator, manager, organisation):
    with pytest.raises(ValueError, match="not a member of a federation"):
        federation_sharing_set(organisation=organisation, share=True, actor=manager)
    organisation.refresh_from_db()
    assert organisation.shares_with_federation is False


def test_a_coordinator_calling_the_service_is_refused(coordinator, members):
    with pytest.raises(PermissionError):
        federation_sharing_set(organisation=members["tweed"], share=False, actor=coordinator)
    assert Organisation.objects.get(pk=members["tweed"].pk).shares_with_federation is True
    assert not AuditEvent.objects.filter(summary__startswith="Sharing of figures").exists()


def test_a_manager_of_an_organisation_in_no_federation_is_told_so(manager_client):
    html = manager_client.get(reverse("federation:sharing")).content.decode()
    assert "is not a member of a federation" in html
    assert '<form method="post"' not in html.split("<main", 1)[-1] or 'name="share"' not in html


def test_a_bad_choice_is_a_field_error_and_changes_nothing(manager_client, members):
    response = manager_client.post(reverse("federation:sharing"), {"share": "maybe"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Organisation.objects.get(pk=members["tweed"].pk).shares_with_federation is True


def test_the_manager_finds_the_switch_in_the_admin_menu(manager_client, coordinator_client):
    assert reverse("federation:sharing") in manager_client.get(reverse("home")).content.decode()
    assert reverse("federation:sharing") not in coordinator_client.get(reverse("home")).content.decode()
