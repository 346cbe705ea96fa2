"""What is inside an export: no identifier of the source records anywhere,
every quasi-identifier group at least k rows, pseudonyms stable within a
project and different across projects, withdrawn consent left out, and
nothing a spreadsheet would run."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter

import openpyxl
import pytest

from operations.evaluation import anonymise
from operations.evaluation.models import ExportStatus
from operations.evaluation.services import project_create
from operations.outcomes.models import Assessment
from referrals.models import Child, Parent, Referral
from tests.evaluation.conftest import read_zip, run_export
from tests.factories import ReferralFactory, ServiceFactory, make_assessment_for_export
from volunteers.matching.models import ContactLog, Match

pytestmark = pytest.mark.django_db

QUASI_COLUMNS = ("age_band", "area", "parent_role")


def csv_rows(zip_file, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(zip_file.read(name).decode("utf-8"))))


def every_cell(zip_file) -> list[object]:
    """Every value in the ZIP: each CSV cell, each workbook cell, each text line."""
    cells: list[object] = []
    for name in zip_file.namelist():
        if name.endswith(".csv"):
            cells.extend(cell for row in csv.reader(io.StringIO(zip_file.read(name).decode())) for cell in row)
        elif name.endswith(".txt"):
            cells.extend(zip_file.read(name).decode().splitlines())
        elif name.endswith(".xlsx"):
            workbook = openpyxl.load_workbook(io.BytesIO(zip_file.read(name)), read_only=True)
            for sheet in workbook.worksheets:
                cells.extend(value for row in sheet.iter_rows(values_only=True) for value in row)
    return cells


def _date_forms(day: dt.date) -> set[str]:
    return {day.isoformat(), day.strftime("%d/%m/%Y"), day.strftime("%d/%m/%y"), day.strftime("%Y%m%d")}


def identifiers_of_source_records() -> set[str]:
    """Every direct identifier and every date of the source rows, as text."""
    found: set[str] = set()
    for parent in Parent.objects.all():
        values = (parent.first_name, parent.last_name, parent.preferred_name, parent.phone, parent.email,
                  parent.address_line_1, parent.town, parent.postcode, parent.postcode.replace(" ", ""))  # fmt: skip
        found |= {value for value in values if value}
    for model in (Parent, Child, Referral, Match, ContactLog, Assessment):
        date_fields = [
            f.name for f in model._meta.concrete_fields if f.get_internal_type() in {"DateField", "DateTimeField"}
        ]
        for row in model.objects.values(*date_fields):
            for value in row.values():
                if isinstance(value, dt.datetime):
                    value = value.date()
                if value is not None:
                    found |= _date_forms(value)
    for referral in Referral.objects.all():
        found |= {value for value in (referral.referrer_name, referral.referrer_contact, referral.reason) if value}
    found |= {child.name for child in Child.objects.exclude(name="")}
    found |= {log.note for log in ContactLog.objects.exclude(note="")}
    return found


def test_no_name_contact_detail_postcode_birth_date_or_exact_date_is_anywhere_in_the_zip(cohort, project, manager):
    export = run_export(project, manager, format="xlsx")
    assert export.status == ExportStatus.DONE
    zip_file = read_zip(export)
    assert set(zip_file.namelist()) >= {
        "participants.csv", "assessments.csv", "data_dictionary.csv", "disclosure_report.csv",
        "disclosure_report.txt", "README.txt", "export.xlsx",
    }  # fmt: skip
    cells = every_cell(zip_file)
    assert len(cells) > 1000
    identifiers = identifiers_of_source_records()
    assert len(identifiers) > 300
    texts = [str(cell) for cell in cells if cell is not None]
    leaks = {identifier for identifier in identifiers for text in texts if identifier in text}
    assert leaks == set()
    assert not [cell for cell in cells if isinstance(cell, dt.date | dt.datetime)]
    assert not [text for text in texts if re.search(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b", text)]
    assert not [text for text in texts if re.search(r"@|\b07\d{9}\b|\b[A-Z]{1,2}\d{1,2} ?\d[A-Z]{2}\b", text)]


def test_every_quasi_identifier_group_has_at_least_k_rows_in_the_csv_and_the_workbook(cohort, project, manager):
    export = run_export(project, manager, format="xlsx")
    zip_file = read_zip(export)
    participants = csv_rows(zip_file, "participants.csv")
    groups = Counter(tuple(row[column] for column in QUASI_COLUMNS) for row in participants)
    assert groups
    assert min(groups.values()) >= project.k
    assert export.k_achieved == min(groups.values())
    workbook = openpyxl.load_workbook(io.BytesIO(zip_file.read("export.xlsx")), read_only=True)
    sheet_rows = list(workbook["participants"].iter_rows(values_only=True))
    header, body = sheet_rows[0], sheet_rows[1:]
    positions = [header.index(column) for column in QUASI_COLUMNS]
    sheet_groups = Counter(tuple(row[p] for p in positions) for row in body)
    assert sheet_groups == groups
    report = dict(csv.reader(io.StringIO(zip_file.read("disclosure_report.csv").decode())))
    assert report["k_required"] == "5"
    assert int(report["participant_rows_written"]) == len(participants) == export.participant_rows
    assert (
        int(report["participant_rows_suppressed"]) == export.suppressed_rows == len(cohort.parents) - len(participants)
    )


def test_a_small_group_is_suppressed_with_its_assessments(organisation, service, cohort, project, manager):
    # A lone father aged 60: no generalisation can hide him.
    lone = Parent.objects.create(
        organisation=organisation, role="father", first_name="Lone", last_name="Father",
        date_of_birth=dt.date(1960, 1, 1), evaluation_consent_given_on=dt.date(2025, 1, 1),
    )  # fmt: skip
    referral = ReferralFactory(
        organisation=organisation, parent=lone, service=service, source="gp", received_on=dt.date(2025, 5, 5)
    )
    make_assessment_for_export(referral=referral, taken_on=dt.date(2025, 6, 1))
    export = run_export(project, manager)
    zip_file = read_zip(export)
    lone_id = anonymise.pseudonym(bytes(project.secret), lone.pk)
    assert lone_id not in zip_file.read("participants.csv").decode()
    assert lone_id not in zip_file.read("assessments.csv").decode()
    ids = {row["pseudonymous_id"] for row in csv_rows(zip_file, "participants.csv")}
    assert {row["pseudonymous_id"] for row in csv_rows(zip_file, "assessments.csv")} <= ids


def test_pseudonymous_ids_are_stable_within_a_project_and_differ_across_projects(
    organisation, cohort, project, manager
):
    first = {row["pseudonymous_id"] for row in csv_rows(read_zip(run_export(project, manager)), "participants.csv")}
    again = {row["pseudonymous_id"] for row in csv_rows(read_zip(run_export(project, manager)), "participants.csv")}
    other_project = project_create(organisation=organisation, by=manager, name="Another study")
    other = {
        row["pseudonymous_id"] for row in csv_rows(read_zip(run_export(other_project, manager)), "participants.csv")
    }
    assert first == again
    assert len(first) == len(other) > 20
    assert first.isdisjoint(other)
    assert bytes(project.secret) != bytes(other_project.secret)


def test_only_parents_whose_evaluation_consent_stands_are_exported(cohort, project, manager):
    zip_file = read_zip(run_export(project, manager))
    text = zip_file.read("participants.csv").decode() + zip_file.read("assessments.csv").decode()
    secret = bytes(project.secret)
    for parent in (cohort.withdrawn, cohort.never_consented):
        assert anonymise.pseudonym(secret, parent.pk) not in text
    assessments = csv_rows(zip_file, "assessments.csv")
    participants = {row["pseudonymous_id"] for row in csv_rows(zip_file, "participants.csv")}
    assert {row["pseudonymous_id"] for row in assessments} == participants


def test_days_are_counted_from_the_referral_and_contact_hours_summed(cohort, project, manager):
    zip_file = read_zip(run_export(project, manager))
    secret = bytes(project.secret)
    first = cohort.parents[0]  # index 0: matched, two 45-minute contacts
    row = next(
        r
        for r in csv_rows(zip_file, "participants.csv")
        if r["pseudonymous_id"] == anonymise.pseudonym(secret, first.pk)
    )
    assert (row["days_to_match"], row["days_to_first_contact"], row["days_to_support_start"]) == ("14", "21", "20")
    assert (row["contacts"], row["contact_hours"], row["days_to_end"]) == ("2", "1.5", "")
    baseline = next(
        r for r in csv_rows(zip_file, "assessments.csv")
        if r["pseudonymous_id"] == row["pseudonymous_id"] and r["timepoint"] == "baseline"
    )  # fmt: skip
    assert (baseline["measure"], baseline["days_since_referral"], baseline["band"]) == ("epds", "21", "probable")
    assert baseline["item_scores"] == "1;1;2;1;2;2;2;2;2;2"


def test_filters_choose_services_measures_and_the_period(organisation, service, cohort, project, manager):
    other_service = ServiceFactory(organisation=organisation, name="PSO support", kind="pso_support")
    everyone = run_export(project, manager)
    none_there = run_export(project, manager, services=[other_service])
    only_gad = run_export(project, manager, measures=["gad7"])
    recent = run_export(project, manager, period_from=cohort.referrals[9].received_on)
    assert none_there.participant_rows == 0
    assert none_there.status == ExportStatus.DONE
    assert only_gad.assessment_rows == 0
    assert only_gad.participant_rows == everyone.participant_rows
    assert 0 < recent.participant_rows + recent.suppressed_rows == 10


def test_formulas_are_neutralised_in_csv_and_xlsx_and_negative_numbers_stay_numbers(cohort, project, manager):
    Referral.objects.filter(pk=cohort.referrals[0].pk).update(source='=HYPERLINK("x.co")')
    Referral.objects.filter(pk=cohort.referrals[1].pk).update(source="@SUM(1)*cmd|'/C'")
    early = cohort.referrals[2]
    make_assessment_for_export(referral=early, measure="gad7", taken_on=early.received_on - dt.timedelta(days=5))
    zip_file = read_zip(run_export(project, manager, format="xlsx"))
    sources = {row["referral_source"] for row in csv_rows(zip_file, "participants.csv")}
    assert '\'=HYPERLINK("x.co")' in sources
    assert "'@SUM(1)*cmd|'/C'" in sources
    assert not [s for s in sources if s[:1] in "=+-@"]
    gad = next(row for row in csv_rows(zip_file, "assessments.csv") if row["measure"] == "gad7")
    assert gad["days_since_referral"] == "-5"

    workbook = openpyxl.load_workbook(io.BytesIO(zip_file.read("export.xlsx")))
    formulas = [cell.coordinate for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
                if cell.data_type == "f"]  # fmt: skip
    assert formulas == []
    participants = workbook["participants"]
    values = [cell.value for row in participants.iter_rows(min_row=2) for cell in row]
    assert '\'=HYPERLINK("x.co")' in values
    assessments = list(workbook["assessments"].iter_rows(min_row=2, values_only=True))
    assert any(row[1] == "gad7" and row[3] == -5 for row in assessments)


def test_the_build_asks_the_same_number_of_queries_for_more_rows(
    organisation, service, manager, django_assert_num_queries
):
    from operations.evaluation.services import export_build, export_request
    from tests.evaluation.conftest import build_cohort

    project = project_create(organisation=organisation, by=manager, name="Query count study")
    build_cohort(organisation, service, size=10)
    export_build(export_id=export_request(project=project, by=manager).pk)  # warms per-process caches
    for more in (0, 25):
        if more:
            build_cohort(organisation, service, size=more)
        export = export_request(project=project, by=manager)
        # 1 claim the export (a conditional UPDATE), 2 the export with its
        # project, 3 council areas, 4 the chosen services, 5 the cohort's
        # referrals with parent and area, 6 count of assessments (progress),
        # 7 contact logs, 8 assessments, 9 mark it done with its file; then
        # telling the manager it is ready: 10 savepoint, 11 the managers,
        # 12 their preferences, 13 the keys already written, 14 write the
        # notifications, 15 read back their ids, 16 release.
        with django_assert_num_queries(16):
            export_build(export_id=export.pk)
