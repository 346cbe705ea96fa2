"""Pooled evaluation across a federation (issue 24): the federation's officer
builds one export from the members whose managers opted in. It meets k over
the pooled rows, leaves out a member that did not opt in, and its ids cannot
be linked to any branch export's; each member's manager sees when its data
was included; everything is audited, and nobody else gets in."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections import Counter

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from operations.core.audit import AuditAction, AuditEvent
from operations.core.models import Role
from operations.evaluation import anonymise
from operations.evaluation.models import ExportStatus, PooledExport, PooledInclusion, PooledOptIn, PooledProject
from operations.evaluation.pooled.services import (
    DOWNLOAD_SALT,
    pooled_export_build,
    pooled_export_request,
    pooled_opt_in_set,
    pooled_project_create,
)
from operations.evaluation.services import download_token, expired_exports_purge, project_create
from tests.evaluation.conftest import build_cohort, read_zip, run_export
from tests.factories import (
    FederationFactory,
    OrganisationFactory,
    ServiceFactory,
    federation_member,
    federation_officer,
    member,
)

pytestmark = pytest.mark.django_db

QUASI_COLUMNS = ("age_band", "area", "parent_role")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def csv_rows(zip_file, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(zip_file.read(name).decode("utf-8"))))


def words_of(response) -> str:
    """A page's text as a person reads it: tags out, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()).replace(" .", ".")


def ids_in(zip_file) -> set[str]:
    return {row["pseudonymous_id"] for row in csv_rows(zip_file, "participants.csv")}


@pytest.fixture
def federation(organisation, other_organisation):
    """Two members (neither shares figures: opting in is a separate answer) and a third that never opts in."""
    federation = FederationFactory(name="Scottish Peer Support Network", slug="spsn")
    federation_member(organisation, federation, shares=False)
    federation_member(other_organisation, federation, shares=False)
    return federation


@pytest.fixture
def officer(federation):
    return federation_officer(username="officer", federation=federation)


@pytest.fixture
def other_manager(other_organisation):
    return member(username="manager2", organisation=other_organisation, role=Role.MANAGER)


@pytest.fixture
def third(federation):
    organisation = OrganisationFactory(name="Nurture Parents Dundee", slug="nurture-dundee")
    return federation_member(organisation, federation, shares=True)


@pytest.fixture
def third_manager(third):
    return member(username="manager3", organisation=third, role=Role.MANAGER)


@pytest.fixture
def cohorts(organisation, service, other_organisation, other_service, third):
    """Twelve consenting parents in each member (a few outliers k must hide)."""
    return {
        organisation.pk: build_cohort(organisation, service, size=12),
        other_organisation.pk: build_cohort(other_organisation, other_service, size=12),
        third.pk: build_cohort(third, ServiceFactory(organisation=third, name="Befriending"), size=12),
    }


@pytest.fixture
def project(federation, officer):
    return pooled_project_create(federation=federation, by=officer, name="Pooled wellbeing 2026")


@pytest.fixture
def opted_in(project, organisation, manager, other_organisation, other_manager):
    pooled_opt_in_set(project=project, organisation=organisation, by=manager, opted_in=True)
    pooled_opt_in_set(project=project, organisation=other_organisation, by=other_manager, opted_in=True)
    return project


def run_pooled(project, by, **filters) -> PooledExport:
    export = pooled_export_request(project=project, by=by, **filters)
    assert pooled_export_build(export_id=export.pk) == ExportStatus.DONE
    export.refresh_from_db()
    return export


# --- What a pooled export holds ---------------------------------------------------------


def test_a_pooled_export_of_two_opted_in_members_meets_k_and_leaves_out_a_member_that_did_not_opt_in(
    cohorts, opted_in, officer, organisation, other_organisation, third
):
    export = run_pooled(opted_in, officer)
    zip_file = read_zip(export)
    assert set(zip_file.namelist()) >= {
        "participants.csv", "assessments.csv", "data_dictionary.csv", "disclosure_report.csv",
        "disclosure_report.txt", "README.txt",
    }  # fmt: skip
    participants = csv_rows(zip_file, "participants.csv")
    groups = Counter(tuple(row[column] for column in QUASI_COLUMNS) for row in participants)
    assert min(groups.values()) >= opted_in.k
    assert export.k_achieved == min(groups.values())
    # The pooled rows are planned together: 24 parents of the two members, none of the third.
    assert export.participant_rows + export.suppressed_rows == 24
    secret = bytes(opted_in.secret)
    ids = ids_in(zip_file)
    pooled_members = cohorts[organisation.pk].parents + cohorts[other_organisation.pk].parents
    assert ids <= {anonymise.pseudonym(secret, parent.pk) for parent in pooled_members}
    assert ids & {anonymise.pseudonym(secret, parent.pk) for parent in cohorts[other_organisation.pk].parents}
    text = zip_file.read("participants.csv").decode() + zip_file.read("assessments.csv").decode()
    for parent in cohorts[third.pk].parents:
        assert anonymise.pseudonym(secret, parent.pk) not in text
    # Rows a branch export would leave out are left out here too.
    for cohort in (cohorts[organisation.pk], cohorts[other_organisation.pk]):
        for parent in (cohort.withdrawn, cohort.never_consented):
            assert anonymise.pseudonym(secret, parent.pk) not in text
    report = dict(csv.reader(io.StringIO(zip_file.read("disclosure_report.csv").decode())))
    assert report["member_organisations_pooled"] == "2"
    assert int(report["participant_rows_written"]) == len(participants) == export.participant_rows
    # Without the member as a quasi-identifier, rows do not say where they came from.
    assert "member" not in participants[0]
    everything = "".join(zip_file.read(name).decode() for name in zip_file.namelist())
    assert organisation.name not in everything
    assert other_organisation.name not in everything


def test_pseudonymous_ids_are_unlinkable_to_a_branch_export(cohorts, opted_in, officer, organisation, manager):
    branch_project = project_create(organisation=organisation, by=manager, name="Branch study")
    branch_ids = ids_in(read_zip(run_export(branch_project, manager)))
    pooled_ids = ids_in(read_zip(run_pooled(opted_in, officer)))
    assert len(branch_ids) > 5
    assert len(pooled_ids) > len(branch_ids)
    assert branch_ids.isdisjoint(pooled_ids)
    # The same parent has a different id in each, and each file holds its own.
    parent = cohorts[organisation.pk].parents[0]
    in_branch = anonymise.pseudonym(bytes(branch_project.secret), parent.pk)
    in_pooled = anonymise.pseudonym(bytes(opted_in.secret), parent.pk)
    assert in_branch in branch_ids
    assert in_pooled in pooled_ids
    assert in_branch != in_pooled
    assert bytes(branch_project.secret) != bytes(opted_in.secret)


def test_the_member_is_a_column_and_a_quasi_identifier_only_when_the_project_says_so(
    cohorts, federation, officer, organisation, manager, other_organisation, other_manager
):
    project = pooled_project_create(
        federation=federation, by=officer, name="By member", k=3,
        quasi_identifiers=["age_band", "parent_role", "member"],
    )  # fmt: skip
    pooled_opt_in_set(project=project, organisation=organisation, by=manager, opted_in=True)
    pooled_opt_in_set(project=project, organisation=other_organisation, by=other_manager, opted_in=True)
    zip_file = read_zip(run_pooled(project, officer))
    participants = csv_rows(zip_file, "participants.csv")
    assert list(participants[0])[:2] == ["pseudonymous_id", "member"]
    assert {row["member"] for row in participants} == {organisation.name, other_organisation.name}
    groups = Counter((row["age_band"], row["parent_role"], row["member"]) for row in participants)
    assert min(groups.values()) >= 3
    report = dict(csv.reader(io.StringIO(zip_file.read("disclosure_report.csv").decode())))
    assert report["quasi_identifiers"] == "age_band, parent_role, member"
    assert any(row["column"] == "member" for row in csv_rows(zip_file, "data_dictionary.csv"))


def test_a_member_that_opts_out_is_left_out_of_the_next_export(
    cohorts, opted_in, officer, other_organisation, other_manager
):
    first = run_pooled(opted_in, officer)
    pooled_opt_in_set(project=opted_in, organisation=other_organisation, by=other_manager, opted_in=False)
    second = run_pooled(opted_in, officer)
    assert second.participant_rows + second.suppressed_rows == 12
    assert first.participant_rows + first.suppressed_rows == 24
    secret = bytes(opted_in.secret)
    text = read_zip(second).read("participants.csv").decode()
    for parent in cohorts[other_organisation.pk].parents:
        assert anonymise.pseudonym(secret, parent.pk) not in text
    assert set(PooledInclusion.objects.filter(export=second).values_list("organisation", flat=True)) == {
        opted_in.opt_ins.get(opted_in=True).organisation_id
    }


# --- Pages: the officer, the member's manager -------------------------------------------


def test_the_officer_creates_a_project_sees_who_opted_in_builds_follows_and_downloads(
    cohorts, federation, officer, organisation, manager, other_organisation, third, settings, monkeypatch
):
    from operations.evaluation import build

    officer_client = client_for(officer)
    response = officer_client.post(
        reverse("pooled:project-list"),
        {"name": "Network study", "k": 5, "quasi_identifiers": ["age_band", "area", "member"],
         "max_suppressed_percent": 5},
    )  # fmt: skip
    project = PooledProject.objects.get(name="Network study")
    assert response.url == reverse("pooled:project-detail", args=[project.pk])
    assert project.quasi_identifiers == ["age_band", "area", "member"]
    page = officer_client.get(response.url).content.decode()
    assert "0 of 3 members opted in" in page
    assert bytes(project.secret).hex() not in page
    # Nobody opted in yet: nothing to pool, nothing written.
    refused = officer_client.post(response.url, {"format": "csv"})
    assert refused.status_code == 400
    assert "No member has opted in" in refused.content.decode()
    assert not PooledExport.objects.exists()

    manager_client = client_for(manager)
    listing = manager_client.get(reverse("evaluation:project-list")).content.decode()
    assert "Network study" in listing
    assert "Not opted in" in listing
    answer = manager_client.post(reverse("evaluation:pooled-participation", args=[project.pk]), {"opted_in": "yes"})
    assert answer.status_code == 302
    page = officer_client.get(reverse("pooled:project-detail", args=[project.pk])).content.decode()
    assert "1 of 3 members opted in" in page
    assert f"Opted in on {timezone.localdate():%-d %b %Y}" in page

    response = officer_client.post(reverse("pooled:project-detail", args=[project.pk]), {"format": "xlsx"})
    export = PooledExport.objects.get()
    assert response.url == reverse("pooled:export-detail", args=[export.pk])
    status = officer_client.get(response.url).content.decode()
    assert 'role="progressbar"' in status
    assert 'aria-valuenow="0"' in status
    assert 'hx-trigger="every 2s"' in status

    # Progress is written as the worker goes, and the page's part shows it.
    settings.EXPORT_PROGRESS_EVERY = 4
    seen: list[int] = []
    original = build.Builder.report_progress

    def report_and_look(self):
        original(self)
        seen.append(PooledExport.objects.get(pk=export.pk).progress)

    monkeypatch.setattr(build.Builder, "report_progress", report_and_look)
    assert pooled_export_build(export_id=export.pk) == ExportStatus.DONE
    assert len(seen) >= 3
    assert seen == sorted(seen)
    assert 0 < seen[-1] <= 99
    part = officer_client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in part
    assert 'aria-valuenow="100"' in part
    assert "hx-trigger" not in part
    assert "Download ZIP" in part
    assert organisation.name in officer_client.get(response.url).content.decode()  # the members pooled

    export.refresh_from_db()
    url = reverse("pooled:download", args=[download_token(export=export, user=officer, salt=DOWNLOAD_SALT)])
    download = officer_client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="pooled-export-{export.pk}.zip"'
    body = b"".join(download.streaming_content)
    assert "export.xlsx" in zipfile.ZipFile(io.BytesIO(body)).namelist()
    export.refresh_from_db()
    assert export.download_count == 1
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.DOWNLOAD, object_type="evaluation.PooledExport", object_id=str(export.pk)
        ).count()
        == 1
    )


def test_each_members_manager_sees_when_its_data_was_included(
    cohorts, opted_in, officer, manager, other_manager, third_manager
):
    with time_machine.travel(dt.datetime(2026, 12, 7, 15, 30, tzinfo=dt.UTC)):
        run_pooled(opted_in, officer)
    notice = "Included in Pooled wellbeing 2026 export on 7 Dec 2026"
    for member_manager in (manager, other_manager):
        page = words_of(client_for(member_manager).get(reverse("evaluation:project-list")))
        assert notice in page
        detail = client_for(member_manager).get(reverse("evaluation:pooled-participation", args=[opted_in.pk]))
        assert "export on 7 Dec 2026" in detail.content.decode()
    # The member that did not opt in sees the project, but no inclusion.
    page = client_for(third_manager).get(reverse("evaluation:project-list")).content.decode()
    assert "Pooled wellbeing 2026" in page
    assert "Included in" not in page


def test_inclusions_outlive_the_file_which_goes_after_its_retention_date(cohorts, opted_in, officer, manager):
    export = run_pooled(opted_in, officer)
    path = export.path
    PooledExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert expired_exports_purge() == 1
    assert not path.exists()
    assert not PooledExport.objects.exists()
    assert PooledInclusion.objects.count() == 2
    page = words_of(client_for(manager).get(reverse("evaluation:project-list")))
    assert "Included in Pooled wellbeing 2026 export on" in page


# --- Audit -----------------------------------------------------------------------------------


def test_opting_in_requesting_including_and_downloading_are_audited_without_personal_data(
    cohorts, project, officer, organisation, manager, other_organisation, other_manager
):
    manager_client = client_for(manager)
    manager_client.post(reverse("evaluation:pooled-participation", args=[project.pk]), {"opted_in": "yes"})
    manager_client.post(reverse("evaluation:pooled-participation", args=[project.pk]), {"opted_in": "yes"})  # again
    manager_client.post(reverse("evaluation:pooled-participation", args=[project.pk]), {"opted_in": "no"})
    manager_client.post(reverse("evaluation:pooled-participation", args=[project.pk]), {"opted_in": "yes"})
    answers = AuditEvent.objects.filter(object_type="evaluation.PooledOptIn").order_by("pk")
    assert [(event.organisation_id, event.summary) for event in answers] == [
        (organisation.pk, f"Opted in to pooled evaluation project {project.pk}"),
        (organisation.pk, f"Opted out of pooled evaluation project {project.pk}"),
        (organisation.pk, f"Opted in to pooled evaluation project {project.pk}"),
    ]
    pooled_opt_in_set(project=project, organisation=other_organisation, by=other_manager, opted_in=True)
    export = run_pooled(project, officer)
    created = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="evaluation.PooledProject")
    assert (created.actor_id, created.organisation_id) == (officer.pk, None)
    requested = AuditEvent.objects.get(action=AuditAction.EXPORT, organisation=None)
    assert requested.summary.startswith(f"Pooled export requested for project {project.pk}")
    included = AuditEvent.objects.filter(action=AuditAction.EXPORT, organisation__isnull=False)
    assert sorted(included.values_list("organisation_id", flat=True)) == sorted(
        [organisation.pk, other_organisation.pk]
    )
    assert {event.object_id for event in included} == {str(export.pk)}
    summaries = " ".join(AuditEvent.objects.values_list("summary", flat=True))
    assert "Ishbel" not in summaries
    # The member's manager reads it on the audit page, in words.
    audit_page = manager_client.get(reverse("audit-log")).content.decode()
    assert "Answer to pooled project Pooled wellbeing 2026" in audit_page


# --- Refusals -------------------------------------------------------------------------------


def test_a_coordinator_and_a_branch_manager_are_refused_the_officer_pages(
    cohorts, opted_in, officer, coordinator_client, manager
):
    export = run_pooled(opted_in, officer)
    token = download_token(export=export, user=officer, salt=DOWNLOAD_SALT)
    pages = (
        reverse("pooled:project-list"),
        reverse("pooled:project-detail", args=[opted_in.pk]),
        reverse("pooled:export-detail", args=[export.pk]),
        reverse("pooled:download", args=[token]),
    )
    manager_client = client_for(manager)
    for page in pages:
        assert coordinator_client.get(page).status_code == 403
        assert manager_client.get(page).status_code == 403
    assert (
        manager_client.post(reverse("pooled:project-detail", args=[opted_in.pk]), {"format": "csv"}).status_code == 403
    )
    assert manager_client.post(reverse("pooled:export-cancel", args=[export.pk])).status_code == 403
    assert PooledExport.objects.count() == 1
    # A coordinator cannot opt the organisation in, through the page or the service.
    assert (
        coordinator_client.post(
            reverse("evaluation:pooled-participation", args=[opted_in.pk]), {"opted_in": "no"}
        ).status_code
        == 403
    )
    coordinator = coordinator_client.get(reverse("home")).wsgi_request.user
    with pytest.raises(ValidationError):
        pooled_opt_in_set(project=opted_in, organisation=manager.active_organisation, by=coordinator, opted_in=False)
    assert PooledOptIn.objects.filter(opted_in=True).count() == 2


def test_an_officer_of_another_federation_finds_nothing(cohorts, opted_in, officer):
    elsewhere = FederationFactory(name="Another Network", slug="another")
    stranger = federation_officer(username="stranger", federation=elsewhere)
    export = run_pooled(opted_in, officer)
    client = client_for(stranger)
    assert client.get(reverse("pooled:project-list")).context["projects"].count() == 0
    assert client.get(reverse("pooled:project-detail", args=[opted_in.pk])).status_code == 404
    assert client.post(reverse("pooled:project-detail", args=[opted_in.pk]), {"format": "csv"}).status_code == 404
    assert client.get(reverse("pooled:export-detail", args=[export.pk])).status_code == 404
    assert client.post(reverse("pooled:export-cancel", args=[export.pk])).status_code == 404
    # Another officer's link, or one made for them with a branch export's salt, opens nothing.
    theirs = reverse("pooled:download", args=[download_token(export=export, user=officer, salt=DOWNLOAD_SALT)])
    assert client.get(theirs).status_code == 410
    mine = reverse("pooled:download", args=[download_token(export=export, user=stranger, salt=DOWNLOAD_SALT)])
    assert client.get(mine).status_code == 404
    branch_salted = reverse("pooled:download", args=[download_token(export=export, user=officer)])
    assert client_for(officer).get(branch_salted).status_code == 410
    assert PooledExport.objects.count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.DOWNLOAD).exists()
    # Their own federation's members cannot be opted in to another federation's project either.
    assert client.get(reverse("evaluation:pooled-participation", args=[opted_in.pk])).status_code == 403


def test_a_manager_outside_the_federation_cannot_see_or_join_its_projects(project, manager, organisation):
    outsider_organisation = OrganisationFactory(name="Elsewhere Peer Support", slug="elsewhere")
    outsider = member(username="outsider", organisation=outsider_organisation, role=Role.MANAGER)
    client = client_for(outsider)
    assert client.get(reverse("evaluation:pooled-participation", args=[project.pk])).status_code == 404
    assert (
        client.post(reverse("evaluation:pooled-participation", args=[project.pk]), {"opted_in": "yes"}).status_code
        == 404
    )
    with pytest.raises(ValidationError):
        pooled_opt_in_set(project=project, organisation=outsider_organisation, by=outsider, opted_in=True)
    assert not PooledOptIn.objects.exists()
    assert "Pooled wellbeing" not in client.get(reverse("evaluation:project-list")).content.decode()


def test_bad_input_gets_field_errors_and_writes_nothing(federation, officer, opted_in):
    client = client_for(officer)
    response = client.post(reverse("pooled:project-list"), {"name": "", "k": 1, "quasi_identifiers": ["postcode"]})
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"name", "k", "quasi_identifiers"}
    response = client.post(
        reverse("pooled:project-detail", args=[opted_in.pk]),
        {"period_from": "2026-05-01", "period_to": "2026-01-01", "measures": ["nope"], "format": "pdf"},
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"period_to", "measures", "format"}
    assert not PooledExport.objects.exists()
    assert PooledProject.objects.count() == 1


def test_the_officers_project_page_asks_the_same_number_of_queries_for_more_exports(cohorts, opted_in, officer):
    client = client_for(officer)
    url = reverse("pooled:project-detail", args=[opted_in.pk])
    counts = []
    for exports in (1, 3):
        for _ in range(exports):
            run_pooled(opted_in, officer)
        client.get(url)  # warm-up
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
