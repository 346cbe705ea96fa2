"""Builds one export's ZIP while streaming: the rows are read twice in
chunks (first only the quasi-identifiers, to plan k-anonymity from their
histogram; then everything, written as it comes) and never held together.

Progress is written, and a cancel noticed, every EXPORT_PROGRESS_EVERY rows
with one conditional UPDATE: if the export is no longer running, the build
stops and its partial file is deleted.

A branch export reads one scope (its organisation); a pooled export
(``PooledExport``) reads one per member that opted in, through the same
row selection, and plans k-anonymity over all of them together."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from operations.core.models import CouncilArea
from operations.core.spreadsheet_safe import neutralise_row
from operations.evaluation import anonymise, dictionary, sources
from operations.evaluation.models import ExportFormat, ExportStatus

CHUNK = 2000
TENTH = Decimal("0.1")


class Cancelled(Exception):
    """The export stopped running (a manager cancelled it) mid-build."""


class Outputs:
    """Where rows go: one CSV member of the ZIP at a time (a ZIP takes one
    writer at a time), and, when asked for, one sheet each of a write-only
    workbook that openpyxl spools to disk."""

    def __init__(self, zip_file: zipfile.ZipFile, *, workbook: bool) -> None:
        self.zip = zip_file
        self.workbook = None
        if workbook:
            from openpyxl import Workbook

            self.workbook = Workbook(write_only=True)

    def table(self, name: str, header: Sequence[str]) -> Table:
        sheet = self.workbook.create_sheet(name) if self.workbook is not None else None
        return Table(self.zip.open(f"{name}.csv", "w", force_zip64=True), sheet, header)

    def finish(self) -> None:
        if self.workbook is None:
            return
        with tempfile.NamedTemporaryFile(suffix=".xlsx", dir=settings.EXPORTS_DIR) as spooled:
            self.workbook.save(spooled.name)
            self.zip.write(spooled.name, "export.xlsx")


class Table:
    def __init__(self, binary, sheet, header: Sequence[str]) -> None:
        self.text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        self.csv = csv.writer(self.text)
        self.sheet = sheet
        self.write(header)

    def write(self, row: Iterable[object]) -> None:
        safe = neutralise_row(row)
        self.csv.writerow(safe)
        if self.sheet is not None:
            self.sheet.append(safe)

    def close(self) -> None:
        self.text.close()

    # A ZIP refuses to close while a member is open: a cancel or an error
    # mid-table must close the member first, so the partial file can go.
    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _days(since: date, when: date | datetime | None) -> int | None:
    if when is None:
        return None
    if isinstance(when, datetime):
        when = timezone.localdate(when)
    return (when - since).days


def _quasi_values(member: str, born, received, gss, role, source, kind) -> dict[str, str]:
    """Every quasi-identifier at its finest level."""
    return {
        anonymise.AGE: anonymise.age_band(anonymise.age_on(born, received)),
        anonymise.AREA: gss or anonymise.UNKNOWN,
        anonymise.PARENT_ROLE: role,
        anonymise.REFERRAL_SOURCE: source,
        anonymise.SERVICE_KIND: kind,
        anonymise.MEMBER: member,
    }


def suppression_of(plan: anonymise.Plan, *, max_share: float) -> dict:
    """The share of participant rows suppressed and whether it is over the
    project's limit: the plan suppresses more than the limit only when even
    the most general grouping leaves that many people in groups under k."""
    share = plan.rows_suppressed / plan.rows_total if plan.rows_total else 0.0
    return {"suppressed_share": round(share, 4), "suppression_over_limit": share > max_share}


def _item_scores(json_text: str | None) -> str:
    """'[1, 0, null, 3]' -> '1;0;;3' (item scores are integers or null)."""
    if not json_text:
        return ""
    return ";".join("" if part == "null" else part for part in json_text.strip("[] ").replace(" ", "").split(","))


class Builder:
    """Builds ``export`` (an ``EvaluationExport`` or a ``PooledExport``: its
    project gives the secret and the privacy settings) from ``scopes``: a
    branch export's own one when none are given."""

    def __init__(self, export, scopes: Sequence[sources.Scope] | None = None, *, pooled: bool = False) -> None:
        self.export = export
        self.pooled = pooled
        project = export.project
        self.scopes = tuple(scopes) if scopes is not None else (sources.scope_of(export),)
        self.pseudonym = anonymise.pseudonymiser(bytes(project.secret))
        self.quasi_identifiers = tuple(q for q in anonymise.POOLED_QUASI_IDENTIFIERS if q in project.quasi_identifiers)
        self.with_member = anonymise.MEMBER in self.quasi_identifiers
        #: Participant rows written per organisation (a pooled export records them).
        self.written_by_organisation: Counter = Counter()
        self.k = project.k
        self.max_share = project.max_suppressed_percent / 100
        self.areas = anonymise.AreaLadder(dict(CouncilArea.objects.values_list("gss_code", "health_board")))
        self.recoder = anonymise.Recoder(self.quasi_identifiers, self.areas)
        self.done_rows = 0
        self.total_rows = 1

    # --- progress and cancel -------------------------------------------------
    def tick(self, rows: int = 1) -> None:
        before = self.done_rows // settings.EXPORT_PROGRESS_EVERY
        self.done_rows += rows
        if self.done_rows // settings.EXPORT_PROGRESS_EVERY != before:
            self.report_progress()

    def report_progress(self) -> None:
        percent = min(99, self.done_rows * 100 // max(1, self.total_rows))
        still_running = (
            type(self.export).objects.filter(pk=self.export.pk, status=ExportStatus.RUNNING).update(progress=percent)
        )
        if not still_running:
            raise Cancelled

    # --- the build -----------------------------------------------------------
    def plan(self) -> anonymise.Plan:
        """Reads only the quasi-identifiers and keeps only their histogram."""
        histogram: Counter = Counter()
        for scope in self.scopes:
            for quasi in sources.quasi_rows(scope).iterator(chunk_size=CHUNK):
                values = _quasi_values(scope.member, *quasi)
                histogram[tuple(values[name] for name in self.quasi_identifiers)] += 1
        return anonymise.plan(
            histogram,
            quasi_identifiers=self.quasi_identifiers,
            k=self.k,
            areas=self.areas,
            max_suppressed_share=self.max_share,
        )

    def build(self, path: Path) -> dict:
        plan = self.plan()
        assessments_in_scope = sum(sources.assessment_rows(scope).count() for scope in self.scopes)
        self.total_rows = plan.rows_total + assessments_in_scope
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zip_file:
            outputs = Outputs(zip_file, workbook=self.export.format == ExportFormat.XLSX)
            written, suppressed = self.write_participants(outputs, plan)
            assessments_written, withheld = self.write_assessments(outputs, suppressed)
            with outputs.table("data_dictionary", dictionary.DICTIONARY_COLUMNS) as table:
                for row in dictionary.dictionary_rows(pooled=self.pooled, with_member=self.with_member):
                    table.write(row)
            lines = anonymise.disclosure_lines(
                plan, assessments_written=assessments_written, assessments_withheld=withheld
            )
            if self.pooled:
                lines.append(("member_organisations_pooled", str(len(self.scopes))))
            with outputs.table("disclosure_report", dictionary.DISCLOSURE_COLUMNS) as table:
                for line in lines:
                    table.write(line)
            zip_file.writestr("disclosure_report.txt", "\n".join(f"{item}: {value}" for item, value in lines) + "\n")
            zip_file.writestr("README.txt", dictionary.README + (dictionary.POOLED_README if self.pooled else ""))
            outputs.finish()
        return {
            "participant_rows": written,
            "assessment_rows": assessments_written,
            "suppressed_rows": plan.rows_suppressed,
            **suppression_of(plan, max_share=self.max_share),
            "k_achieved": plan.k_achieved if plan.groups else None,
        }

    def write_participants(self, outputs: Outputs, plan: anonymise.Plan) -> tuple[int, set[int]]:
        """Writes the participants; returns how many, and the ids of the
        (few) referrals suppressed, whose assessments are withheld too."""
        with outputs.table("participants", dictionary.participant_columns(with_member=self.with_member)) as table:
            suppressed: set[int] = set()
            for scope in self.scopes:
                for row in sources.participant_rows(scope).iterator(chunk_size=CHUNK):
                    if self.write_participant(table, plan, scope, row):
                        self.written_by_organisation[scope.organisation_id] += 1
                    else:
                        suppressed.add(row[0])
        return sum(self.written_by_organisation.values()), suppressed

    def write_participant(self, table: Table, plan: anonymise.Plan, scope: sources.Scope, row: tuple) -> bool:
        """Writes one participant row; False when its group is suppressed."""
        (referral_id, parent_id, born, received, gss, role, source, kind,
         first_contact, first_match, support_from, ended_on, ending_type, contacts, minutes) = row  # fmt: skip
        self.tick()
        values = _quasi_values(scope.member, born, received, gss, role, source, kind)
        recoded = self.recoder.key(tuple(values[name] for name in self.quasi_identifiers), plan.levels)
        if recoded in plan.suppressed_keys:
            return False
        values.update(zip(self.quasi_identifiers, recoded, strict=True))
        table.write(
            (
                self.pseudonym(parent_id),
                *((values[anonymise.MEMBER],) if self.with_member else ()),
                values[anonymise.AGE],
                values[anonymise.AREA],
                values[anonymise.REFERRAL_SOURCE],
                values[anonymise.SERVICE_KIND],
                values[anonymise.PARENT_ROLE],
                _days(received, first_contact),
                _days(received, first_match),
                _days(received, support_from),
                _days(received, ended_on),
                contacts,
                (Decimal(minutes) / 60).quantize(TENTH),
                ending_type or "",
            )
        )
        return True

    def write_assessments(self, outputs: Outputs, suppressed: set[int]) -> tuple[int, int]:
        with outputs.table("assessments", dictionary.ASSESSMENT_COLUMNS) as table:
            written = withheld = 0
            pseudonyms: dict[int, str] = {}
            rows = (row for scope in self.scopes for row in sources.assessment_rows(scope).iterator(chunk_size=CHUNK))
            for row in rows:
                parent_id, referral_id, received, measure, questionnaire_id, timepoint, taken_on, total, band, items = (
                    row
                )
                self.tick()
                if referral_id in suppressed:
                    withheld += 1
                    continue
                if parent_id not in pseudonyms:
                    # Rows come ordered by referral: one parent's rows are together.
                    pseudonyms = {parent_id: self.pseudonym(parent_id)}
                table.write(
                    (
                        pseudonyms[parent_id],
                        f"custom-{questionnaire_id}" if questionnaire_id else measure,
                        timepoint,
                        _days(received, taken_on),
                        total,
                        band,
                        _item_scores(items),
                    )
                )
                written += 1
        return written, withheld
