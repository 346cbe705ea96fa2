"""The import pages as a manager uses them: template, upload, columns,
report, import, progress, result, undo; and what they refuse."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from operations.core.models import Role
from operations.imports.models import ApplyMode, BatchStatus, ImportBatch
from tests.factories import member
from tests.imports.conftest import HEADERS, csv_text, volunteer_row
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def post_file(client, name, content, kind="volunteers"):
    if isinstance(content, str):
        content = content.encode()
    return client.post("/import/", {"kind": kind, "file": SimpleUploadedFile(name, content)})


def test_the_csv_template_has_every_column_and_an_example_row(manager_client):
    response = manager_client.get("/import/template/volunteers.csv")
    assert response["Content-Disposition"] == 'attachment; filename="volunteers-template.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["External ID", "First name", "Last name"]
    assert "PVG number" in rows[0]
    assert "Supervisor" in rows[0]
    assert rows[1][0] == "EXAMPLE"
    assert len(rows) == 2


def test_the_xlsx_template_has_a_notes_sheet(manager_client):
    response = manager_client.get("/import/template/volunteers.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Volunteers and PSOs", "Notes"]
    notes = list(workbook["Notes"].iter_rows(values_only=True))
    assert notes[0] == ("Column", "Needed", "What it means", "Example")
    assert notes[1][:2] == ("External ID", "Yes")
    assert workbook.active.cell(2, 5).value  # the example row is filled


def test_the_filled_template_imports_with_its_example_row_skipped(manager_client, organisation):
    template = manager_client.get("/import/template/volunteers.csv").content.decode("utf-8-sig")
    headers = next(csv.reader(io.StringIO(template)))
    filled = template + csv_text([volunteer_row(7)], headers=headers).split("\r\n", 1)[1]
    response = post_file(manager_client, "filled.csv", filled)
    batch = ImportBatch.objects.get()
    assert response.url == f"/import/{batch.pk}/columns/"
    manager_client.post(response.url, {str(i): header for i, header in enumerate(batch.headers)})
    batch.refresh_from_db()
    assert (batch.rows_total, batch.rows_ok) == (1, 1)


def test_upload_columns_report_apply_result_and_undo(manager_client, organisation):
    headers = [*HEADERS[:3], "Mystery"]
    rows = [{**volunteer_row(n), "Mystery": "x"} for n in (1, 2)] + [{**volunteer_row(3), "First name": ""}]
    response = post_file(manager_client, "people.csv", csv_text(rows, headers=headers))
    batch = ImportBatch.objects.get()
    page = manager_client.get(response.url).content.decode()
    assert "1 column not recognised:</strong> Mystery" in page
    response = manager_client.post(response.url, {"0": "External ID", "1": "First name", "2": "Last name", "3": ""})
    assert response.url == f"/import/{batch.pk}/"
    page = manager_client.get(response.url).content.decode()
    assert "3 rows read: <strong>2 ready</strong>, <strong>1 with problems</strong>" in page
    assert "First name is blank." in page
    assert not VolunteerProfile.objects.exists()
    response = manager_client.post(f"/import/{batch.pk}/apply/", {"mode": ApplyMode.VALID_ONLY}, follow=True)
    page = response.content.decode()
    assert "Imported: 2 created, 0 updated, 0 unchanged, 1 skipped." in page
    profile = VolunteerProfile.objects.get(user__first_name="Vol1")
    assert f'href="/volunteers/{profile.pk}/"' in page
    detail = manager_client.get(f"/volunteers/{profile.pk}/").content.decode()
    assert "Imported from people.csv, row 2, on 7 Dec 2026." in detail
    assert "Undo the import of people.csv?" in manager_client.get(f"/import/{batch.pk}/undo/").content.decode()
    page = manager_client.post(f"/import/{batch.pk}/undo/", follow=True).content.decode()
    assert "Import undone: 2 records deleted." in page
    assert not VolunteerProfile.objects.exists()


def test_all_or_nothing_with_problems_is_refused_on_the_page(manager_client):
    post_file(manager_client, "p.csv", csv_text([volunteer_row(1), volunteer_row(2, Status="Gone")]))
    batch = ImportBatch.objects.get()
    manager_client.post(f"/import/{batch.pk}/columns/", {str(i): h for i, h in enumerate(batch.headers)})
    page = manager_client.post(
        f"/import/{batch.pk}/apply/", {"mode": ApplyMode.ALL_OR_NOTHING}, follow=True
    ).content.decode()
    assert "Some rows have problems" in page
    assert not VolunteerProfile.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0", "old Excel .xls file"),
        ("report.csv", b"%PDF-1.5 whatever", "This file is a PDF"),
        ("wide.csv", ",".join(f"Column {n}" for n in range(200)) + "\n" + "x," * 199 + "x\n", "200 columns"),
        ("notes.txt.exe", b"MZ", "Upload a CSV file or an Excel workbook"),
    ],
)
def test_unreadable_files_get_a_clear_message_never_a_500(manager_client, name, content, words):
    response = post_file(manager_client, name, content)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_over_the_limit_is_refused_and_the_command_is_suggested(manager_client, settings):
    settings.IMPORT_MAX_BYTES = 2048
    page = manager_client.get("/import/").content.decode()
    assert "use the import_data command for larger files" in page
    response = post_file(manager_client, "big.csv", csv_text([volunteer_row(n) for n in range(40)]))
    assert response.status_code == 400
    assert "the page takes at most 2.0\xa0KB" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_running_import_shows_progress_polled_by_htmx(manager_client, manager, organisation):
    from operations.imports import services

    post_file(manager_client, "p.csv", csv_text([volunteer_row(1), volunteer_row(2)]))
    batch = ImportBatch.objects.get()
    services.batch_check(batch=batch, actor=manager, inline=False)  # queued for the worker
    services.progress_write(batch.pk, 1)
    response = manager_client.get(f"/import/{batch.pk}/", headers={"HX-Request": "true"})
    part = response.content.decode()
    assert 'hx-trigger="every 2s"' in part
    assert "50% of 2 rows" in part
    assert "<html" not in part
    services.run_check(batch.pk)
    part = manager_client.get(f"/import/{batch.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in part
    assert "2 ready" in part


def test_coordinators_cannot_import(client, organisation):
    coordinator = member(username="coord", organisation=organisation, role=Role.COORDINATOR)
    client.force_login(coordinator)
    assert client.get("/import/").status_code == 403
    response = post_file(client, "p.csv", csv_text([volunteer_row(1)]))
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


def test_the_top_bar_offers_import_to_managers_only(manager_client, client, organisation):
    assert 'href="/import/"' in manager_client.get("/").content.decode()
    coordinator = member(username="coord", organisation=organisation, role=Role.COORDINATOR)
    client.force_login(coordinator)
    assert 'href="/import/"' not in client.get("/").content.decode()


def test_history_lists_the_batches(manager_client, manager, organisation):
    post_file(manager_client, "first.csv", csv_text([volunteer_row(1)]))
    page = manager_client.get("/import/").content.decode()
    assert "first.csv" in page
    assert ImportBatch.objects.get().status == BatchStatus.DRAFT


def test_where_a_record_came_from_is_shown_to_staff_only(client, manager, organisation, write):
    from operations.imports import services

    path = write("v.csv", csv_text([volunteer_row(1)]))
    batch = services.batch_create(
        organisation=organisation, actor=manager, kind="volunteers", source=path, file_name="v.csv"
    )
    services.batch_apply(
        batch=services.batch_check(batch=batch, actor=manager), actor=manager, mode=ApplyMode.VALID_ONLY
    )
    profile = VolunteerProfile.objects.get()
    coordinator = member(username="coord", organisation=organisation, role=Role.COORDINATOR)
    client.force_login(coordinator)
    assert "Imported from v.csv, row 2, on 7 Dec 2026." in client.get(profile.detail_url).content.decode()
    client.force_login(profile.user)
    page = client.get(profile.detail_url)
    assert page.status_code == 200
    assert "Imported from" not in page.content.decode()


def test_the_kinds_are_listed_in_the_order_a_move_is_done_and_none_is_chosen_for_her(manager_client):
    page = manager_client.get("/import/").content.decode()
    labels = ["Volunteers and PSOs", "Parents and their children", "Referrals", "Matches (open)"]
    positions = [
        page.index(f'<option value="{key}">{label}')
        for key, label in zip(("volunteers", "parents", "referrals", "matches"), labels, strict=True)
    ]
    assert positions == sorted(positions)
    assert '<option value="" selected>Choose…</option>' in page


def test_an_upload_without_a_kind_is_refused_and_keeps_nothing(manager_client):
    response = post_file(manager_client, "v.csv", csv_text([volunteer_row(1)]), kind="")
    assert "Choose what you are importing." in response.content.decode()
    assert not ImportBatch.objects.exists()
