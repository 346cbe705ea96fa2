"""The template a manager fills in: every column of a kind, with an example
row (External ID "EXAMPLE": skipped on import, so it can be left in) and,
in the workbook, a Notes sheet saying what each column means."""

from __future__ import annotations

import csv
import io

from operations.core.spreadsheet_safe import neutralise
from operations.imports.kinds.base import ImportKind

#: The example row's External ID: rows with it are skipped on import.
EXAMPLE_ID = "EXAMPLE"


def example_row(kind: ImportKind) -> list[str]:
    return [EXAMPLE_ID if index == 0 else column.example for index, column in enumerate(kind.columns)]


def notes_rows(kind: ImportKind) -> list[list[str]]:
    rows = [["Column", "Needed", "What it means", "Example"]]
    rows += [[c.header, "Yes" if c.required else "No", c.meaning, c.example] for c in kind.columns]
    rows.append(["", "", f"The row with External ID {EXAMPLE_ID} is skipped on import: keep it or delete it.", ""])
    return rows


def template_csv(kind: ImportKind) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.header for column in kind.columns])
    writer.writerow([neutralise(value) for value in example_row(kind)])
    # UTF-8 with the BOM Excel needs to read accents right.
    return "\ufeff" + out.getvalue()


def template_xlsx(kind: ImportKind) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = kind.label[:31]
    sheet.append([column.header for column in kind.columns])
    sheet.append(example_row(kind))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        cell.data_type = "s"  # examples such as "07700 900123" stay text
    sheet.freeze_panes = "B2"
    notes = workbook.create_sheet("Notes")
    for row in notes_rows(kind):
        notes.append(row)
    for cell in notes[1]:
        cell.font = Font(bold=True)
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["C"].width = 90
    notes.column_dimensions["D"].width = 40
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
