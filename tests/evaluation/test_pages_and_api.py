"""Managers of the organisation request, watch, cancel and download exports
through the pages and the API; nobody else can, and every request, cancel
and download is audited. Links expire; files go after their retention date."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from operations.core.audit import AuditAction, AuditEvent
from operations.core.retention import retention_apply, retention_dry_run
from operations.evaluation.models import EvaluationExport, EvaluationProject, ExportStatus
from operations.evaluation.services import download_url, expired_exports_purge, export_build, project_create
from operations.notifications.models import Notification
from tests.evaluation.conftest import run_export

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def small_cohort(organisation, service):
    from tests.evaluation.conftest import build_cohort

    return build_cohort(organisation, service, size=12)


# --- Pages --------------------------------------------------------------------


def test_a_manager_creates_a_project_requests_an_export_and_sees_its_progress(manager_client, manager, service):
    response = manager_client.post(
        reverse("evaluation:project-list"),
        {"name": "Funder report", "k": 5, "quasi_identifiers": ["age_band", "area"], "max_suppressed_percent": 5},
    )
    project = EvaluationProject.objects.get(name="Funder report")
    assert response.status_code == 302
    assert project.quasi_identifiers == ["age_band", "area"]
    assert len(bytes(project.secret)) == 32
    response = manager_client.post(
        reverse("evaluation:project-detail", args=[project.pk]),
        {"period_from": "2025-01-01", "period_to": "2026-12-31", "services": [service.pk], "measures": ["epds"],
         "format": "xlsx"},
    )  # fmt: skip
    export = EvaluationExport.objects.get()
    assert response.url == reverse("evaluation:export-detail", args=[export.pk])
    assert (export.status, export.format, export.measures) == (ExportStatus.QUEUED, "xlsx", ["epds"])
    audit = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert "period 2025-01-01 to 2026-12-31" in audit.summary
    assert f"services {service.pk}" in audit.summary
    page = manager_client.get(response.url)
    assert b'role="progressbar"' in page.content
    assert b'aria-valuenow="0"' in page.content
    assert b'hx-trigger="every 2s"' in page.content
    assert b"Cancel export" in page.content
    assert bytes(project.secret).hex() not in page.content.decode()


def test_bad_input_gets_field_errors_and_writes_nothing(manager_client, manager, organisation, other_service):
    response = manager_client.post(reverse("evaluation:project-list"), {"name": "", "k": 1, "quasi_identifiers": []})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"name", "k", "quasi_identifiers"}
    assert not EvaluationProject.objects.exists()
    project = project_create(organisation=organisation, by=manager, name="Study")
    response = manager_client.post(
        reverse("evaluation:project-detail", args=[project.pk]),
        {"period_from": "2026-05-01", "period_to": "2026-01-01", "services": [other_service.pk], "format": "pdf"},
    )
    assert set(response.context["form"].errors) == {"period_to", "services", "format"}
    assert not EvaluationExport.objects.exists()


def test_the_status_part_stops_polling_once_done_and_offers_a_download(small_cohort, manager, manager_client):
    project = project_create(organisation=manager.active_organisation, by=manager, name="Study")
    export = run_export(project, manager)
    response = manager_client.get(reverse("evaluation:export-detail", args=[export.pk]), HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content  # the htmx part only
    assert 'aria-valuenow="100"' in content
    assert "hx-trigger" not in content
    assert "Download ZIP" in content


def test_the_requester_is_told_in_the_app_and_by_email_without_personal_data(small_cohort, manager):
    project = project_create(organisation=manager.active_organisation, by=manager, name="Study")
    export = run_export(project, manager)
    notifications = Notification.objects.filter(kind="export_ready")
    assert sorted(notifications.values_list("channel", flat=True)) == ["email", "in_app"]
    assert {n.recipient_user_id for n in notifications} == {manager.pk}
    body = " ".join(n.subject + n.body for n in notifications)
    assert f"Export {export.pk}" in body
    assert "Ishbel" not in body
    assert "Study" not in body


def test_download_through_a_signed_link_is_audited_each_time(small_cohort, manager, manager_client):
    project = project_create(organisation=manager.active_organisation, by=manager, name="Study")
    export = run_export(project, manager)
    url = download_url(export=export, user=manager)
    for _ in range(2):
        response = manager_client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="evaluation-export-{export.pk}.zip"'
        assert b"".join(response.streaming_content)[:2] == b"PK"
    export.refresh_from_db()
    assert export.download_count == 2
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, object_id=str(export.pk)).count() == 2


def test_a_link_expires_and_works_only_for_the_manager_it_was_shown_to(
    small_cohort, manager, manager_client, organisation
):
    from operations.core.models import Role
    from tests.factories import member

    project = project_create(organisation=organisation, by=manager, name="Study")
    export = run_export(project, manager)
    url = download_url(export=export, user=manager)
    colleague = member(username="manager-colleague", organisation=organisation, role=Role.MANAGER)
    assert client_for(colleague).get(url).status_code == 410
    assert manager_client.get(url[:-3] + "xyz/").status_code == 410
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        assert manager_client.get(url).status_code == 410
    assert not AuditEvent.objects.filter(action=AuditAction.DOWNLOAD).exists()
    assert manager_client.get(url).status_code == 200


def test_retention_deletes_the_file_and_the_record_and_the_link_is_refused(small_cohort, manager, manager_client):
    project = project_create(organisation=manager.active_organisation, by=manager, name="Study")
    export = run_export(project, manager)
    path = export.path
    url = download_url(export=export, user=manager)
    assert path.exists()
    later = timezone.now() + dt.timedelta(days=31)
    with time_machine.travel(later - dt.timedelta(days=2)):
        assert expired_exports_purge() == 0
    EvaluationExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert manager_client.get(url).status_code == 410  # past its date, not yet purged
    assert expired_exports_purge() == 1
    assert not path.exists()
    assert not EvaluationExport.objects.filter(pk=export.pk).exists()
    assert manager_client.get(url).status_code == 404


def test_the_retention_page_rule_deletes_expired_exports_too(small_cohort, manager):
    organisation = manager.active_organisation
    project = project_create(organisation=organisation, by=manager, name="Study")
    export = run_export(project, manager)
    EvaluationExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    dry_run = retention_dry_run(organisation_id=organisation.pk, by=manager)
    assert dry_run.counts["evaluation_exports"] == 1
    run = retention_apply(dry_run=dry_run, by=manager)
    assert run.counts["evaluation_exports"] == 1
    assert not export.path.exists()


# --- Cancel -------------------------------------------------------------------


def test_a_queued_export_cancelled_is_never_built(small_cohort, manager, manager_client, exports_dir):
    project = project_create(organisation=manager.active_organisation, by=manager, name="Study")
    manager_client.post(reverse("evaluation:project-detail", args=[project.pk]), {"format": "csv"})
    export = EvaluationExport.objects.get()
    response = manager_client.post(reverse("evaluation:export-cancel", args=[export.pk]))
    assert response.status_code == 302
    assert export_build(export_id=export.pk) == "not-claimed"
    export.refresh_from_db()
    assert export.status == ExportStatus.CANCELLED
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE, summary="Export cancelled").count() == 1
    again = manager_client.post(reverse("evaluation:export-cancel", args=[export.pk]), follow=True)
    assert b"already finished" in again.content
    assert not list(exports_dir.glob("*")) if exports_dir.exists() else True


def test_cancel_during_the_build_stops_it_and_deletes_the_partial_file(
    small_cohort, manager, exports_dir, settings, monkeypatch
):
    from operations.evaluation import build
    from operations.evaluation.services import export_cancel, export_request

    settings.EXPORT_PROGRESS_EVERY = 3
    project = project_create(organisation=manager.active_organisation, by=manager, name="Study")
    export = export_request(project=project, by=manager)
    original = build.Builder.tick
    seen = []

    def tick_then_cancel(self, rows=1):
        seen.append(rows)
        if len(seen) == 4:  # mid-way through the participants
            export_cancel(export=export, by=manager)
        original(self, rows)

    monkeypatch.setattr(build.Builder, "tick", tick_then_cancel)
    assert export_build(export_id=export.pk) == ExportStatus.CANCELLED
    export.refresh_from_db()
    assert (export.status, export.file_name) == (ExportStatus.CANCELLED, "")
    assert list(exports_dir.iterdir()) == []
    assert len(seen) < 12


# --- Permissions --------------------------------------------------------------


def test_only_managers_of_the_organisation_reach_projects_and_exports(
    small_cohort, manager, coordinator_client, other_manager
):
    project = project_create(organisation=manager.active_organisation, by=manager, name="Study")
    export = run_export(project, manager)
    url = download_url(export=export, user=manager)
    for path in (
        reverse("evaluation:project-list"),
        reverse("evaluation:project-detail", args=[project.pk]),
        reverse("evaluation:export-detail", args=[export.pk]),
        url,
    ):
        assert coordinator_client.get(path).status_code == 403
    other = client_for(other_manager)
    assert other.get(reverse("evaluation:project-detail", args=[project.pk])).status_code == 404
    assert other.get(reverse("evaluation:export-detail", args=[export.pk])).status_code == 404
    assert other.post(reverse("evaluation:export-cancel", args=[export.pk])).status_code == 404
    assert other.get(url).status_code == 410
    assert other.get(reverse("evaluation:project-list")).context["projects"].count() == 0
    assert coordinator_client.get(f"/api/v1/exports/{export.pk}/").status_code == 403
    assert other.get(f"/api/v1/exports/{export.pk}/").status_code == 404
    assert other.get(f"/api/v1/exports/{export.pk}/download/").status_code == 404
    assert other.get(f"/api/v1/evaluation-projects/{project.pk}/").status_code == 404


def test_the_project_page_asks_the_same_number_of_queries_for_more_exports(
    small_cohort, manager, manager_client, django_assert_num_queries
):
    project = project_create(organisation=manager.active_organisation, by=manager, name="Study")
    url = reverse("evaluation:project-detail", args=[project.pk])
    for exports in (1, 3):
        for _ in range(exports):
            run_export(project, manager)
        manager_client.get(url)  # warm-up: the first view fills per-process caches
        # 1 session, 2 user, 3 membership, 4 the project, 5 the bell, 6 the
        # services (the export form), 7 the project's exports.
        with django_assert_num_queries(7):
            assert manager_client.get(url).status_code == 200


# --- API ----------------------------------------------------------------------


def test_the_api_creates_lists_and_shows_a_project_without_its_secret(manager_client, manager):
    response = manager_client.post(
        "/api/v1/evaluation-projects/", {"name": "API study", "k": 7}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    project = EvaluationProject.objects.get(name="API study")
    secret = bytes(project.secret)
    bodies = [response.content, manager_client.get("/api/v1/evaluation-projects/").content,
              manager_client.get(f"/api/v1/evaluation-projects/{project.pk}/").content]  # fmt: skip
    for body in bodies:
        text = body.decode()
        assert "secret" not in text
        assert secret.hex() not in text
    assert response.json()["k"] == 7
    assert response.json()["quasi_identifiers"] == ["age_band", "area", "parent_role"]
    bad = manager_client.post(
        "/api/v1/evaluation-projects/", {"name": "API study", "k": 99, "quasi_identifiers": ["postcode"]},
        content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 400
    assert set(bad.json()) == {"k", "quasi_identifiers"}
    duplicate = manager_client.post(
        "/api/v1/evaluation-projects/", {"name": "API study"}, content_type="application/json"
    )
    assert duplicate.status_code == 400
    assert "name" in duplicate.json()


def test_the_api_requests_follows_cancels_and_downloads_exports(
    small_cohort, manager, manager_client, other_service, organisation
):
    project = project_create(organisation=organisation, by=manager, name="Study")
    bad = manager_client.post(
        "/api/v1/exports/",
        {"project": project.pk, "services": [other_service.pk], "measures": ["nope"], "period_from": "2026-02-01",
         "period_to": "2026-01-01", "format": "pdf"},
        content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 400
    assert set(bad.json()) >= {"services", "measures", "format"}
    assert not EvaluationExport.objects.exists()
    reversed_period = manager_client.post(
        "/api/v1/exports/", {"project": project.pk, "period_from": "2026-02-01", "period_to": "2026-01-01"},
        content_type="application/json",
    )  # fmt: skip
    assert reversed_period.status_code == 400
    assert "period_to" in reversed_period.json()

    created = manager_client.post("/api/v1/exports/", {"project": project.pk}, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["progress"], body["download_url"]) == ("queued", 0, None)
    export_id = body["id"]
    cancelled = manager_client.post(f"/api/v1/exports/{export_id}/cancel/")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert manager_client.post(f"/api/v1/exports/{export_id}/cancel/").status_code == 400
    assert manager_client.get(f"/api/v1/exports/{export_id}/download/").status_code == 404

    export = run_export(project, manager)
    shown = manager_client.get(f"/api/v1/exports/{export.pk}/").json()
    assert shown["status"] == "done"
    assert shown["progress"] == 100
    assert shown["download_url"]
    download = manager_client.get(f"/api/v1/exports/{export.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD, object_id=str(export.pk)).count() == 1
    listed = manager_client.get("/api/v1/exports/").json()
    assert listed["count"] == 2
    assert "secret" not in json.dumps(listed)
