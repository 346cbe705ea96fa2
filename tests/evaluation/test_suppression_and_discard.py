"""An export that suppressed more rows than its project allows says so on
its status page and in the API, and a manager can discard any finished
export: the file goes at once, downloads are refused, the discard is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from operations.core.audit import AuditAction, AuditEvent
from operations.evaluation import anonymise
from operations.evaluation.build import suppression_of
from operations.evaluation.models import EvaluationExport, ExportStatus
from operations.evaluation.services import download_url, export_discard, export_request, project_create
from tests.evaluation.conftest import build_cohort, run_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_cohort(organisation, service):
    return build_cohort(organisation, service, size=12)


@pytest.fixture
def strict_project(organisation, manager):
    # k = 50 over 12 people: even the most general grouping suppresses every row.
    return project_create(organisation=organisation, by=manager, name="Strict study", k=50, max_suppressed_percent=5)


def test_the_share_is_over_the_limit_only_when_above_it() -> None:
    plan = anonymise.plan({("a",): 38, ("b",): 2}, quasi_identifiers=(anonymise.PARENT_ROLE,), k=5, areas=None)
    assert suppression_of(plan, max_share=0.05) == {"suppressed_share": 0.05, "suppression_over_limit": False}
    assert suppression_of(plan, max_share=0.04) == {"suppressed_share": 0.05, "suppression_over_limit": True}


def test_an_over_suppressed_export_says_so_on_its_page_and_in_the_api(
    small_cohort, manager, manager_client, strict_project
):
    export = run_export(strict_project, manager)
    assert (export.suppressed_share, export.suppression_over_limit) == (1.0, True)
    page = manager_client.get(reverse("evaluation:export-detail", args=[export.pk])).content.decode()
    assert "100% of rows were left out to protect identities, above this project's limit of 5%." in page
    assert "Check the grouping before sharing, or discard this export." in page
    assert reverse("evaluation:export-discard", args=[export.pk]) in page
    shown = manager_client.get(f"/api/v1/exports/{export.pk}/").json()
    assert (shown["suppression_over_limit"], shown["suppressed_share"]) == (True, 1.0)


def test_an_export_within_the_limit_has_no_warning(small_cohort, manager, manager_client, organisation):
    project = project_create(organisation=organisation, by=manager, name="Loose study", k=2, max_suppressed_percent=20)
    export = run_export(project, manager)
    assert export.suppression_over_limit is False
    page = manager_client.get(reverse("evaluation:export-detail", args=[export.pk])).content.decode()
    assert "left out to protect identities" not in page
    assert manager_client.get(f"/api/v1/exports/{export.pk}/").json()["suppression_over_limit"] is False


def test_the_discard_page_asks_first_and_changes_nothing(small_cohort, manager, manager_client, strict_project):
    export = run_export(strict_project, manager)
    url = reverse("evaluation:export-discard", args=[export.pk])
    page = manager_client.get(url).content.decode()
    assert "The file is deleted now and can no longer be downloaded, by anyone." in page
    assert "It was downloaded 0 times" in page
    assert "Yes, discard the export" in page
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    assert export.path.exists()


def test_discarding_deletes_the_file_and_downloads_are_refused(small_cohort, manager, manager_client, strict_project):
    export = run_export(strict_project, manager)
    path, link = export.path, download_url(export=export, user=manager)
    response = manager_client.post(reverse("evaluation:export-discard", args=[export.pk]), follow=True)
    assert "The export is discarded: its file is deleted." in response.content.decode()
    assert "Discarded on" in response.content.decode()
    export.refresh_from_db()
    assert (export.status, export.discarded_by) == (ExportStatus.DISCARDED, manager)
    assert not path.exists()
    refused = manager_client.get(link)
    assert refused.status_code == 410
    assert "This export was discarded" in refused.content.decode()
    assert manager_client.get(f"/api/v1/exports/{export.pk}/download/").status_code == 404
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_id=str(export.pk))
    assert event.summary == "Export discarded"


def test_the_api_discards_and_refuses_twice_or_while_building(small_cohort, manager, manager_client, strict_project):
    export = run_export(strict_project, manager)
    discarded = manager_client.post(f"/api/v1/exports/{export.pk}/discard/")
    assert discarded.status_code == 200
    assert discarded.json()["status"] == "discarded"
    assert discarded.json()["download_url"] is None
    again = manager_client.post(f"/api/v1/exports/{export.pk}/discard/")
    assert again.status_code == 400
    assert "already discarded" in again.json()["status"][0]
    queued = export_request(project=strict_project, by=manager)
    refused = manager_client.post(f"/api/v1/exports/{queued.pk}/discard/")
    assert refused.status_code == 400
    queued.refresh_from_db()
    assert queued.status == ExportStatus.QUEUED
    assert AuditEvent.objects.filter(action=AuditAction.DELETE).count() == 1


def test_the_service_refuses_a_queued_export_and_writes_nothing(manager, strict_project):
    queued = export_request(project=strict_project, by=manager)
    with pytest.raises(Exception, match="Only a finished export can be discarded"):
        export_discard(export=queued, by=manager)
    assert EvaluationExport.objects.get(pk=queued.pk).discarded_at is None


def test_a_coordinator_cannot_discard(small_cohort, manager, coordinator_client, strict_project):
    export = run_export(strict_project, manager)
    assert coordinator_client.post(reverse("evaluation:export-discard", args=[export.pk])).status_code == 403
    assert coordinator_client.post(f"/api/v1/exports/{export.pk}/discard/").status_code == 403
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
