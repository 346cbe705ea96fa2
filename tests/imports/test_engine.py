"""The engine with the volunteers kind: a dry run writes nothing, all or
nothing, valid rows only, the same file again changes nothing, a changed row
updates its record, undo (and undo refused), cancel, the problem report."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError

from operations.core.audit import AuditEvent
from operations.core.models import Role, User
from operations.imports import services
from operations.imports.models import ApplyMode, BatchStatus, ImportedRecord, ImportProblem
from operations.imports.selectors import provenance
from tests.factories import member
from tests.imports.conftest import HEADERS, csv_text, volunteer_row
from volunteers.models import PvgRecord, Status, SupervisorPairing, TrainingRecord, VolunteerProfile

pytestmark = pytest.mark.django_db


def upload(organisation, manager, write, rows, name="volunteers.csv", headers=HEADERS, **kwargs):
    path = write(name, csv_text(rows, headers), **kwargs)
    return services.batch_create(
        organisation=organisation, actor=manager, kind="volunteers", source=path, file_name=name
    )


def check(batch, manager):
    return services.batch_check(batch=batch, actor=manager, inline=True)


def apply(batch, manager, mode=ApplyMode.ALL_OR_NOTHING):
    return services.batch_apply(batch=batch, actor=manager, mode=mode, inline=True)


def three_good_rows():
    return [volunteer_row(1), volunteer_row(2), volunteer_row(3)]


def test_a_dry_run_checks_every_row_and_writes_nothing(organisation, manager, write):
    users, events = User.objects.count(), AuditEvent.objects.count()
    batch = check(upload(organisation, manager, write, three_good_rows()), manager)
    assert batch.status == BatchStatus.CHECKED
    assert (batch.rows_total, batch.rows_ok, batch.rows_with_problems) == (3, 3, 0)
    assert not VolunteerProfile.objects.exists()
    assert User.objects.count() == users
    assert not ImportedRecord.objects.exists()
    # Only the batch's own entries (uploaded, checked) reach the audit log.
    assert AuditEvent.objects.count() == events + 2


def test_the_report_says_line_column_problem_and_fix(organisation, manager, write):
    rows = [
        volunteer_row(1),
        volunteer_row(2, **{"PVG issued": "31/02/2026"}),
        volunteer_row(3, Email="not-an-email", Availability="Funday"),
        volunteer_row(4, **{"First name": "", "Council areas": "Atlantis"}),
    ]
    batch = check(upload(organisation, manager, write, rows), manager)
    assert (batch.rows_ok, batch.rows_with_problems) == (1, 3)
    found = {(p.line, p.column) for p in batch.problems.all()}
    assert found == {
        (3, "PVG issued"),
        (4, "Email"),
        (4, "Availability"),
        (5, "First name"),
        (5, "Council areas"),
    }
    pvg = batch.problems.get(line=3)
    assert pvg.problem == "“31/02/2026” is not a real date."
    assert "day/month/year" in pvg.fix
    report = list(
        csv.reader(io.StringIO("\n".join(",".join(f'"{c}"' for c in row) for row in services.problem_rows(batch))))
    )
    assert report[0] == ["Line", "Column", "Problem", "How to fix it"]
    assert len(report) == 6


def test_all_or_nothing_refuses_a_file_with_problems_and_writes_nothing(organisation, manager, write):
    rows = [volunteer_row(1), volunteer_row(2, Status="Retired")]
    batch = check(upload(organisation, manager, write, rows), manager)
    with pytest.raises(ValidationError, match="import the valid rows only"):
        apply(batch, manager)
    assert not VolunteerProfile.objects.exists()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.CHECKED


def test_all_or_nothing_rolls_back_every_row_when_one_fails_at_import(organisation, manager, write):
    """A row that was right at the check but is refused at the import (someone
    took the email meanwhile): the rows before it are rolled back too."""
    batch = check(upload(organisation, manager, write, three_good_rows()), manager)
    taken = member(username="someone", organisation=organisation, role=Role.VOLUNTEER)
    VolunteerProfile.objects.create(organisation=organisation, user=taken, email="vol3@example.org")
    batch = apply(batch, manager)
    assert batch.status == BatchStatus.CHECKED
    assert "Nothing was imported" in batch.error
    assert VolunteerProfile.objects.count() == 1  # only the one made above
    assert not ImportedRecord.objects.exists()
    assert batch.problems.get().line == 4


def test_valid_rows_only_imports_the_good_rows_and_skips_the_others(organisation, manager, write):
    rows = [volunteer_row(1), volunteer_row(2, **{"PVG issued": "tomorrow"}), volunteer_row(3)]
    batch = check(upload(organisation, manager, write, rows), manager)
    batch = apply(batch, manager, ApplyMode.VALID_ONLY)
    assert batch.status == BatchStatus.APPLIED
    assert (batch.created_count, batch.skipped_count) == (2, 1)
    assert sorted(VolunteerProfile.objects.values_list("email", flat=True)) == [
        "vol1@example.org",
        "vol3@example.org",
    ]
    assert batch.stored_file == ""  # the upload is deleted once applied
    assert not list(services.settings.IMPORTS_DIR.iterdir())


def test_an_applied_volunteer_has_everything_the_row_said(organisation, manager, write):
    supervisor_row = volunteer_row(1, Roles="Paid PSO", Email="pso@example.org")
    rows = [
        supervisor_row,
        volunteer_row(2, Supervisor="V-0001", Training="Safeguarding: 12/10/2025; Core befriending training: 46000"),
    ]
    batch = apply(check(upload(organisation, manager, write, rows), manager), manager)
    assert batch.created_count == 2, list(batch.problems.values_list("problem", flat=True))
    profile = VolunteerProfile.objects.get(email="vol2@example.org")
    assert profile.user.first_name == "Vol2"
    assert profile.status == Status.ACTIVE
    assert profile.languages == "English, Polish"
    assert profile.availability == ["mon_am", "wed_pm"]
    assert [area.name for area in profile.council_areas.all()] == ["Glasgow City"]
    pvg = PvgRecord.objects.get(profile=profile)
    assert (pvg.membership_number, str(pvg.issued_on), str(pvg.renewal_due)) == (
        "1000 0002",
        "2026-04-14",
        "2031-04-14",
    )
    trained = {(r.course.name, str(r.completed_on)) for r in TrainingRecord.objects.filter(profile=profile)}
    # 46000 is an Excel serial day number: 9 Dec 2025.
    assert trained == {("Safeguarding", "2025-10-12"), ("Core befriending training", "2025-12-09")}
    pairing = SupervisorPairing.objects.get(volunteer=profile)
    assert pairing.supervisor.email == "pso@example.org"
    assert provenance(profile) == "Imported from volunteers.csv, row 3, on 7 Dec 2026"


def test_the_same_file_again_changes_nothing(organisation, manager, write):
    apply(check(upload(organisation, manager, write, three_good_rows()), manager), manager)
    events = AuditEvent.objects.count()
    again = apply(check(upload(organisation, manager, write, three_good_rows()), manager), manager)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert VolunteerProfile.objects.count() == 3
    # Upload, check and apply of the batch itself; nothing on any volunteer.
    assert AuditEvent.objects.count() == events + 3


def test_a_changed_row_updates_its_record_and_is_audited(organisation, manager, write):
    apply(check(upload(organisation, manager, write, three_good_rows()), manager), manager)
    rows = three_good_rows()
    rows[1] = volunteer_row(
        2, Languages="English; Gaelic", Training="Safeguarding: 12/10/2025; Safeguarding: 1/11/2026"
    )
    second = apply(check(upload(organisation, manager, write, rows, name="volunteers-2.csv"), manager), manager)
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 1, 2)
    profile = VolunteerProfile.objects.get(email="vol2@example.org")
    assert profile.languages == "English, Gaelic"
    assert profile.training_records.count() == 2
    assert AuditEvent.objects.filter(
        object_type="volunteers.VolunteerProfile", object_id=str(profile.pk), summary__startswith="Changed by import"
    ).exists()
    assert provenance(profile).endswith("updated from volunteers-2.csv on 7 Dec 2026")


def test_duplicates_within_the_file_are_problems(organisation, manager, write):
    rows = [volunteer_row(1), volunteer_row(1, Email="other@example.org"), volunteer_row(3, Email="vol1@example.org")]
    batch = check(upload(organisation, manager, write, rows), manager)
    problems = {(p.line, p.column) for p in batch.problems.all()}
    assert problems == {(3, "External ID"), (4, "Email")}


def test_lamplight_style_headers_are_recognised(organisation, manager, write):
    headers = ["Contact ID", "Forename", "Surname", "Email Address", "Mobile", "PVG No", "PVG Date", "PVG type"]
    row = dict(
        zip(
            headers,
            ["L-1", "Ann", "Smith", "ann@example.org", "07700 900123", "555", "3/5/26", "Children"],
            strict=True,
        )
    )
    batch = upload(organisation, manager, write, [row], headers=headers)
    assert list(batch.mapping.values()) == [
        "External ID",
        "First name",
        "Last name",
        "Email",
        "Phone",
        "PVG number",
        "PVG issued",
        "PVG scheme",
    ]
    batch = apply(check(batch, manager), manager)
    assert batch.created_count == 1
    assert VolunteerProfile.objects.get().phone == "07700 900123"


def test_unrecognised_headers_are_mapped_by_the_manager(organisation, manager, write):
    headers = ["Ref", "Given", "Family"]
    batch = upload(
        organisation, manager, write, [dict(zip(headers, ["X-1", "Ann", "Smith"], strict=True))], headers=headers
    )
    assert batch.mapping == {"0": "", "1": "", "2": ""}
    batch = check(batch, manager)
    assert batch.problems.filter(line=0).count() == 3  # External ID, First name, Last name not in the file
    services.batch_map(batch=batch, actor=manager, mapping={"0": "External ID", "1": "First name", "2": "Last name"})
    batch = apply(check(batch, manager), manager)
    assert batch.created_count == 1
    with pytest.raises(ValidationError):
        services.batch_map(batch=batch, actor=manager, mapping={"0": "First name", "1": "First name"})


def test_text_starting_with_equals_is_kept_as_text(organisation, manager, write):
    headers = [*HEADERS, "Notes"]
    rows = [{**volunteer_row(1), "Notes": '=HYPERLINK("http://evil")'}]
    apply(check(upload(organisation, manager, write, rows, headers=headers), manager), manager)
    assert VolunteerProfile.objects.get().coordinator_notes == '=HYPERLINK("http://evil")'


def test_the_problem_report_is_spreadsheet_safe(client, organisation, manager, write):
    from tests.factories import ImportProblemFactory

    rows = [volunteer_row(1, Status="=cmd|' /C calc'!A0")]
    batch = check(upload(organisation, manager, write, rows), manager)
    # A problem whose text starts with "=" (a service's message quoting a cell, say).
    ImportProblemFactory(batch=batch, line=9, column="Notes", problem='=HYPERLINK("http://evil")', fix="-1+2")
    client.force_login(manager)
    response = client.get(f"/import/{batch.pk}/problems.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="import-')
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "Line,Column,Problem,How to fix it"
    assert lines[1].startswith("2,Status,“=cmd")  # quoted in the message: never a formula
    assert lines[2] == '9,Notes,"\'=HYPERLINK(""http://evil"")",\'-1+2'


def test_undo_deletes_what_the_batch_created(organisation, manager, write):
    users = User.objects.count()
    batch = apply(check(upload(organisation, manager, write, three_good_rows()), manager), manager)
    assert User.objects.count() == users + 3
    batch = services.batch_undo(batch=batch, actor=manager)
    assert batch.status == BatchStatus.UNDONE
    assert batch.undone_count == 3
    assert not VolunteerProfile.objects.exists()
    assert not ImportedRecord.objects.exists()
    assert User.objects.count() == users
    # Imported again afterwards: created afresh, not "unchanged".
    again = apply(check(upload(organisation, manager, write, three_good_rows()), manager), manager)
    assert again.created_count == 3


def test_undo_is_refused_once_a_record_was_used_and_nothing_is_deleted(organisation, manager, write, frozen_now):
    import time_machine

    from volunteers.services import volunteer_update

    batch = apply(check(upload(organisation, manager, write, three_good_rows()), manager), manager)
    profile = VolunteerProfile.objects.get(email="vol2@example.org")
    with time_machine.travel(frozen_now + services.timezone.timedelta(minutes=5), tick=False):
        volunteer_update(profile=profile, actor=manager, phone="0141 496 0000")
    with pytest.raises(ValidationError) as caught:
        services.batch_undo(batch=batch, actor=manager)
    assert "line 3 (V-0002)" in caught.value.messages[0]
    assert VolunteerProfile.objects.count() == 3
    assert ImportedRecord.objects.count() == 3
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED


def test_an_import_cancelled_while_it_waits_for_the_worker_ends_at_once(organisation, manager, write, settings):
    settings.IMPORT_PROGRESS_EVERY = 1
    batch = check(upload(organisation, manager, write, three_good_rows()), manager)
    batch = services.batch_apply(batch=batch, actor=manager, mode=ApplyMode.ALL_OR_NOTHING, inline=False)
    assert batch.status == BatchStatus.APPLYING
    batch = services.batch_cancel(batch=batch, actor=manager)
    assert batch.status == BatchStatus.CANCELLED
    # The task, delivered afterwards, finds nothing to do.
    assert services.run_apply(batch.pk, actor_id=manager.pk) == "not-claimed"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.CANCELLED
    assert not VolunteerProfile.objects.exists()
    assert not ImportedRecord.objects.exists()


def test_cancel_between_chunks_after_rows_were_written(organisation, manager, write, settings, monkeypatch):
    """The cancel arrives after the first chunk has been written: those rows go too."""
    settings.IMPORT_PROGRESS_EVERY = 1
    batch = check(upload(organisation, manager, write, three_good_rows()), manager)
    batch = services.batch_apply(batch=batch, actor=manager, mode=ApplyMode.ALL_OR_NOTHING, inline=False)
    original = services.progress_write

    def progress_then_cancel(batch_id, done):
        original(batch_id, done)
        if done == 2:
            assert VolunteerProfile.objects.count() == 2
            services.batch_cancel(batch=batch, actor=manager)

    monkeypatch.setattr(services, "progress_write", progress_then_cancel)
    assert services.run_apply(batch.pk, actor_id=manager.pk) == BatchStatus.CANCELLED
    assert not VolunteerProfile.objects.exists()


def test_an_unreadable_upload_is_refused_and_not_kept(organisation, manager, write):
    path = write("report.csv", b"%PDF-1.4 not really a spreadsheet")
    with pytest.raises(ValidationError) as caught:
        services.batch_create(
            organisation=organisation, actor=manager, kind="volunteers", source=path, file_name="report.csv"
        )
    assert "PDF" in caught.value.message_dict["file"][0]
    assert not list(services.settings.IMPORTS_DIR.iterdir())


def test_expired_files_and_problem_lists_are_purged(organisation, manager, write, frozen_now):
    import time_machine

    batch = check(upload(organisation, manager, write, [volunteer_row(1, Status="Nope")]), manager)
    assert ImportProblem.objects.filter(batch=batch).exists()
    with time_machine.travel(frozen_now + services.timezone.timedelta(days=31), tick=False):
        assert services.expired_batches_purge() == 1
    batch.refresh_from_db()
    assert batch.stored_file == ""
    assert not ImportProblem.objects.filter(batch=batch).exists()


def test_a_large_file_goes_to_the_worker_with_ids_only(
    organisation, manager, write, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from operations.imports import tasks

    settings.IMPORT_WORKER_ROWS = 2
    sent = []
    monkeypatch.setattr(tasks.check_batch, "delay", lambda *args: sent.append(("check", args)))
    monkeypatch.setattr(tasks.apply_batch, "delay", lambda *args: sent.append(("apply", args)))
    batch = upload(organisation, manager, write, three_good_rows())
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.batch_check(batch=batch, actor=manager)
    assert batch.status == BatchStatus.CHECKING
    assert sent == [("check", (batch.pk, manager.pk))]  # ids, never a person's details
    assert tasks.check_batch.run(batch.pk, manager.pk) == BatchStatus.CHECKED
    batch.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.batch_apply(batch=batch, actor=manager, mode=ApplyMode.ALL_OR_NOTHING)
    assert sent[1] == ("apply", (batch.pk, manager.pk))
    assert tasks.apply_batch.run(batch.pk, manager.pk) == BatchStatus.APPLIED
    assert VolunteerProfile.objects.count() == 3
    # A second delivery of the same task (acks_late) finds nothing to do.
    assert tasks.apply_batch.run(batch.pk, manager.pk) == "not-claimed"
    assert VolunteerProfile.objects.count() == 3


def test_an_excel_workbook_imports_with_real_dates_and_serial_day_numbers(organisation, manager, write):
    import datetime as dt

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Volunteers exported from Charitylog"])  # a title above the headings
    sheet.append(["Record ID", "Forename", "Surname", "Email Address", "PVG No", "PVG Date", "PVG type", "Notes"])
    sheet.append(["C-1", "Ann", "Smith", "ann@example.org", 12345678, dt.datetime(2026, 4, 14), "Children", "=x"])  # noqa: DTZ001
    sheet.append(["C-2", "Bea", "Jones", "bea@example.org", 87654321, 46126, "Children", ""])  # a lost date format
    sheet["H3"].data_type = "s"  # text that starts with "=", as a spreadsheet keeps it
    out = write("charitylog.xlsx", b"")
    workbook.save(out)
    batch = services.batch_create(
        organisation=organisation, actor=manager, kind="volunteers", source=out, file_name="charitylog.xlsx"
    )
    batch = apply(check(batch, manager), manager)
    assert batch.created_count == 2, list(batch.problems.values_list("problem", flat=True))
    issued = dict(PvgRecord.objects.values_list("profile__email", "issued_on"))
    assert issued == {"ann@example.org": dt.date(2026, 4, 14), "bea@example.org": dt.date(2026, 4, 14)}
    assert VolunteerProfile.objects.get(email="ann@example.org").coordinator_notes == "=x"
    assert PvgRecord.objects.get(profile__email="ann@example.org").membership_number == "12345678"
