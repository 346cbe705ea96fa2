"""Retention: periods per kind of record, a dry run first, applied only by a
manager, audited, and never touching a record under a safeguarding hold."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from operations.core.audit import AuditAction, AuditEvent, audit_log
from operations.core.retention import RetentionRun, RetentionSetting, retention_apply, retention_dry_run
from operations.notifications.models import Channel, Notification, Status
from operations.notifications.services import notification_write
from referrals.models import Parent, Referral
from tests.factories import InboundTextFactory, ReferralFactory, RetentionSettingFactory
from tests.volunteers.helpers import make_profile
from volunteers.models import PvgRecord
from volunteers.models import Status as VolunteerStatus

LONG_AGO = timezone.now() - dt.timedelta(days=365 * 5)
EXPECTED_COUNTS = {
    "audit": 1, "closed_cases": 1, "left_volunteers": 1, "notifications": 1, "sign_in_attempts": 2, "texts_received": 1,
}  # fmt: skip


def failed_sign_in(username: str, *, at: dt.datetime) -> AccessAttempt:
    attempt = AccessAttempt.objects.create(
        username=username, ip_address="192.0.2.1", user_agent="test", http_accept="*/*", path_info="/accounts/login/",
        get_data="", post_data="", failures_since_start=1,
    )  # fmt: skip
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=at)
    return attempt


@pytest.fixture
def old_records(organisation, service, coordinator, other_coordinator):
    closed = ReferralFactory(organisation=organisation, service=service, status="closed", parent__first_name="Old")
    held = ReferralFactory(organisation=organisation, service=service, status="closed", parent__first_name="Held")
    open_case = ReferralFactory(organisation=organisation, service=service, status="active", parent__first_name="Open")
    Referral.objects.update(status_changed_at=LONG_AGO)
    Parent.objects.filter(pk=held.parent_id).update(safeguarding_hold=True)
    left = make_profile(organisation=organisation, today=timezone.localdate(), status=VolunteerStatus.LEFT)
    left.__class__.objects.filter(pk=left.pk).update(status_changed_on=LONG_AGO.date(), phone="07700900123")
    notification, _ = notification_write(
        key="old", kind="test", channel=Channel.IN_APP, organisation=organisation, subject="s", body="b",
        recipient_user=coordinator,
    )  # fmt: skip
    Notification.objects.filter(pk=notification.pk).update(status=Status.SENT, due_at=LONG_AGO)
    InboundTextFactory(organisation=organisation, received_at=LONG_AGO)
    InboundTextFactory(organisation=organisation)  # received today: kept
    eight_years_ago = timezone.now() - dt.timedelta(days=365 * 8)  # the audit log is kept 7 years by default
    AuditEvent.objects.create(
        organisation=organisation, action=AuditAction.VIEW, summary="old event", created_at=eight_years_ago
    )
    audit_log(action=AuditAction.VIEW, actor=coordinator, summary="recent event")
    for username in (coordinator.username, "nobody-we-know", other_coordinator.username, "recent"):
        failed_sign_in(username, at=timezone.now() if username == "recent" else LONG_AGO)
    return {"closed": closed.parent_id, "held": held.parent_id, "open": open_case.parent_id, "left": left.pk}


@pytest.mark.django_db
def test_a_dry_run_counts_and_changes_nothing(organisation, old_records):
    run = retention_dry_run(organisation_id=organisation.pk)
    assert run.counts == {**EXPECTED_COUNTS, "evaluation_exports": 0}  # a dry run names every rule
    assert Parent.objects.get(pk=old_records["closed"]).first_name == "Old"
    assert PvgRecord.objects.filter(profile_id=old_records["left"]).exists()


@pytest.mark.django_db
def test_applying_a_dry_run_removes_what_it_counted_and_spares_holds_and_open_cases(organisation, manager, old_records):
    run = retention_apply(dry_run=retention_dry_run(organisation_id=organisation.pk), by=manager)
    assert run.counts == EXPECTED_COUNTS
    assert Parent.objects.get(pk=old_records["closed"]).first_name == "Erased"
    assert Parent.objects.get(pk=old_records["held"]).first_name == "Held"
    assert Parent.objects.get(pk=old_records["open"]).first_name == "Open"
    assert not PvgRecord.objects.filter(profile_id=old_records["left"]).exists()
    assert not Notification.objects.filter(key="old").exists()
    assert not AuditEvent.objects.filter(summary="old event").exists()
    assert AuditEvent.objects.filter(summary="recent event").exists()
    # Sign-in counters: this organisation's member's and the unknown name's old ones went;
    # another organisation's member's stay for that organisation's own review, recent ones stay.
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"coordinator2", "recent"}
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, summary__startswith="Retention applied").exists()
    with pytest.raises(ValueError, match="already been applied"):
        retention_apply(dry_run=RetentionRun.objects.filter(dry_run=True).get(), by=manager)


@pytest.mark.django_db
def test_longer_periods_keep_records(organisation, old_records):
    for rule in ("audit", "closed_cases", "left_volunteers", "notifications", "sign_in_attempts", "texts_received"):
        RetentionSettingFactory(organisation=organisation, rule=rule, months=120)
    assert set(retention_dry_run(organisation_id=organisation.pk).counts.values()) == {0}


@pytest.mark.django_db
def test_the_page_is_for_managers_and_refuses_silly_periods(manager_client, coordinator_client, organisation):
    assert coordinator_client.get(reverse("retention")).status_code == 403
    response = manager_client.post(
        reverse("retention"),
        {
            "action": "save",
            "audit": "0",
            "closed_cases": "36",
            "left_volunteers": "24",
            "notifications": "12",
            "sign_in_attempts": "3",
        },
    )
    assert response.status_code == 200
    assert "audit" in response.context["form"].errors
    assert not RetentionSetting.objects.exists()
    manager_client.post(reverse("retention"), {"action": "dry-run"})
    run = RetentionRun.objects.get()
    manager_client.post(reverse("retention"), {"action": "apply", "run": run.pk})
    assert RetentionRun.objects.filter(dry_run=False).count() == 1


@pytest.mark.django_db
def test_export_files_period_is_shown_as_set_elsewhere_not_offered(manager_client, organisation):
    # Each export carries its own deletion date (EXPORT_RETENTION_DAYS): a
    # months field for it on this page would change nothing.
    page = manager_client.get(reverse("retention")).content.decode()
    assert 'name="evaluation_exports"' not in page
    assert "Evaluation export files (past their retention date): deleted 30 days after each export is built" in page
    response = manager_client.post(reverse("retention"), {"action": "save", "evaluation_exports": "12"})
    assert response.status_code in (200, 302)
    assert not RetentionSetting.objects.filter(organisation=organisation, rule="evaluation_exports").exists()
