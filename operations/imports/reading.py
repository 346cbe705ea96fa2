"""Reading an uploaded file into rows of text: CSV (any of the encodings and
separators spreadsheets save with) and Excel .xlsx (values as the workbook
last calculated them: formulas are never evaluated).

``open_table`` looks at the file once (its format, encoding, separator and
header row) and refuses what it cannot read with a :class:`FileProblem`
whose message a manager can act on; ``Table.rows()`` then streams the data
rows, as many times as needed, without holding the file in memory."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from operations.imports.cells import fold

#: How many rows from the top may hold titles, merged headings or notes above the header row.
HEADER_SEARCH_ROWS = 10
#: An .xlsx whose parts would unpack to more than this is refused (a zip bomb).
XLSX_MAX_UNPACKED_BYTES = 500 * 1024 * 1024
XLSX_MAX_RATIO = 200
_SNIFF_BYTES = 64 * 1024
_CSV_ENCODINGS = ("utf-8-sig", "cp1252")
SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx")


class FileProblem(Exception):
    """A file that cannot be read at all: ``message`` says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    path: Path
    format: str  # "csv" | "xlsx"
    headers: list[str]
    header_line: int  # 1-based row of the headers
    encoding: str = ""
    delimiter: str = ","
    _columns: int = field(default=0, repr=False)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line, cells) for each non-blank row below the headers, cells as
        many as the headers (missing ones blank, extra ones dropped)."""
        width = len(self.headers)
        for line, cells in _raw_rows(self):
            if line <= self.header_line:
                continue
            if not any(cell for cell in cells):
                continue
            cells = (cells + [""] * width)[:width]
            yield line, cells

    def count_rows(self) -> int:
        return sum(1 for _ in self.rows())


def _raw_rows(table: Table) -> Iterator[tuple[int, list[str]]]:
    if table.format == "xlsx":
        yield from _xlsx_rows(table.path)
    else:
        yield from _csv_rows(table.path, table.encoding, table.delimiter)


# --- CSV -------------------------------------------------------------------


def _csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            for line, cells in enumerate(reader, start=1):
                yield line, [cell.strip() for cell in cells]
        except csv.Error as exc:
            raise FileProblem(
                f"Row {line + 1} of the file could not be read ({exc}). "
                "Open it in a spreadsheet and save it again as CSV."
            ) from None


def _detect_encoding(path: Path) -> str:
    """UTF-8 (with or without the BOM Excel writes) when every byte decodes so; else Windows-1252."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _detect_delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines() if line.strip()][:20]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t").delimiter
    except csv.Error:
        # One column, or rows of unequal length: the separator used most on the first lines.
        counts = {delimiter: sum(line.count(delimiter) for line in lines) for delimiter in (",", ";", "\t")}
        return max(counts, key=counts.get) if any(counts.values()) else ","


def _looks_binary(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return "This file is a PDF, not a spreadsheet. Export the data from your system as CSV or Excel (.xlsx)."
    if head.startswith(b"PK\x03\x04"):
        return (
            "This file is a zipped document (perhaps an Excel workbook): give it the .xlsx ending, or save it as CSV."
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "This is an old Excel .xls file. Open it in Excel and save it as .xlsx or CSV."
    if b"\x00" in head:
        return "This file is not text we can read. Save it from your spreadsheet as CSV or Excel (.xlsx)."
    return ""


def _open_csv(path: Path, known: set[str]) -> Table:
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if refusal := _looks_binary(head):
        raise FileProblem(refusal)
    encoding = _detect_encoding(path)
    delimiter = _detect_delimiter(head.decode(encoding, errors="replace"))
    table = Table(path=path, format="csv", headers=[], header_line=0, encoding=encoding, delimiter=delimiter)
    return _with_headers(table, _raw_rows(table), known)


# --- Excel -----------------------------------------------------------------


def _cell_text(value) -> str:
    """How the cell reads as text: dates as ISO, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value).strip()


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise FileProblem(
            "This file ends in .xlsx but is not an Excel workbook. Open it in Excel and save it as .xlsx or CSV."
        ) from None
    unpacked = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if unpacked > XLSX_MAX_UNPACKED_BYTES or unpacked / packed > XLSX_MAX_RATIO:
        raise FileProblem(
            "This workbook unpacks to far more than its size: it cannot be read safely. Save the sheet as CSV."
        )
    if not any(info.filename.startswith("xl/worksheets/") for info in infos):
        raise FileProblem("This file is not an Excel workbook with a sheet in it. Save it as .xlsx or CSV.")


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken workbook
        raise FileProblem("This Excel workbook could not be opened. Open it in Excel and save it again.") from None
    try:
        sheet = workbook.worksheets[0]
        line = 0
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(value) for value in values]
            while cells and not cells[-1]:
                cells.pop()
            yield line, cells
    finally:
        workbook.close()


def _open_xlsx(path: Path, known: set[str]) -> Table:
    _check_zip(path)
    table = Table(path=path, format="xlsx", headers=[], header_line=0)
    return _with_headers(table, _raw_rows(table), known)


# --- The header row ----------------------------------------------------------


def _with_headers(table: Table, rows: Iterable[tuple[int, list[str]]], known: set[str]) -> Table:
    """The header row: among the first rows, the first with two or more of
    the kind's headers (so titles and merged headings above it are passed
    over); without one, the first row with two or more filled cells."""
    first_filled: tuple[int, list[str]] | None = None
    chosen: tuple[int, list[str]] | None = None
    seen = 0
    for line, cells in rows:
        filled = [cell for cell in cells if cell]
        if not filled:
            continue
        seen += 1
        if len(filled) >= 2 and first_filled is None:
            first_filled = (line, cells)
        if known and sum(1 for cell in filled if fold(cell) in known) >= 2:
            chosen = (line, cells)
            break
        if seen >= HEADER_SEARCH_ROWS:
            break
    if hasattr(rows, "close"):
        rows.close()
    chosen = chosen or first_filled
    if chosen is None:
        raise FileProblem(
            "We could not find a row of column headings in the first rows of the file. "
            "Put the headings (for example “External ID”, “First name”) in the first row, one per column."
        )
    line, cells = chosen
    while cells and not cells[-1]:
        cells = cells[:-1]
    limit = settings.IMPORT_MAX_COLUMNS
    if len(cells) > limit:
        raise FileProblem(
            f"The file has {len(cells)} columns; at most {limit} can be read. "
            "Delete the columns you are not importing and upload it again."
        )
    table.headers = [cell or f"Column {index}" for index, cell in enumerate(cells, start=1)]
    table.header_line = line
    return table


def open_table(path: Path, file_name: str, known_headers: Iterable[str] = ()) -> Table:
    """The file at ``path`` (uploaded as ``file_name``) ready to stream, or FileProblem."""
    known = {fold(header) for header in known_headers}
    suffix = Path(file_name).suffix.lower()
    if suffix == ".xls":
        raise FileProblem("This is an old Excel .xls file. Open it in Excel and save it as .xlsx or CSV.")
    if suffix not in SUFFIXES:
        raise FileProblem("Upload a CSV file or an Excel workbook (.xlsx).")
    if path.stat().st_size == 0:
        raise FileProblem("The file is empty.")
    if suffix == ".xlsx":
        return _open_xlsx(path, known)
    return _open_csv(path, known)
