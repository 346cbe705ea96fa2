from __future__ import annotations

import pytest
from django.urls import reverse

from operations.core.audit import AuditAction, AuditEvent, audit_log


@pytest.mark.django_db
def test_sign_in_and_failed_sign_in_are_audited_without_the_typed_username(client, coordinator, organisation):
    client.post(reverse("login"), {"username": "coordinator", "password": "not-the-password"})
    client.post(reverse("login"), {"username": "coordinator", "password": "demo-pass-2026"})
    failed = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.actor is None
    assert "coordinator" not in failed.summary
    login = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert login.actor == coordinator
    assert login.organisation == organisation
    assert login.ip_address == "127.0.0.1"


@pytest.mark.django_db
def test_audit_events_cannot_be_changed_or_deleted(coordinator, service):
    event = audit_log(action=AuditAction.VIEW, actor=coordinator, obj=service)
    assert event.object_type == "core.Service"
    assert event.object_id == str(service.pk)
    event.summary = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(summary="x")
    assert AuditEvent.objects.get(pk=event.pk).summary == ""


@pytest.mark.django_db
def test_only_managers_see_their_organisations_audit_events(manager, coordinator, other_coordinator, service):
    audit_log(action=AuditAction.VIEW, actor=coordinator, obj=service)
    audit_log(action=AuditAction.VIEW, actor=other_coordinator)
    assert AuditEvent.objects.visible_to(manager).count() == 1
    assert AuditEvent.objects.visible_to(coordinator).count() == 0
