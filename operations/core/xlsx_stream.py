"""An Excel workbook written as a stream: the bytes of the file go out while
its rows are still being read, in constant memory.

Why not openpyxl (which the evaluation exports use): its write-only mode
keeps memory flat but sends nothing until the whole workbook is saved, and
at 50,000 rows of a list that took 18-21 s here (openpyxl without lxml),
past the patience of a person and near a web worker's time limit. An xlsx
is a ZIP of a few XML parts; Python's ``zipfile`` writes a ZIP to a stream
that cannot seek (each member followed by a data descriptor, as Java's and
Apache POI's streaming writers do), so the sheet's XML can be compressed
and sent row by row. The parts are the minimum Excel, LibreOffice and
openpyxl read: content types, relationships, the workbook, one style sheet
(bold headings, dates shown as "14 Feb 2028") and the sheets, with text as
inline strings (no shared-string table, which would have to be complete
before the first sheet could be written).

Pure: no Django, no database. Values are written as given: the caller
(``operations.core.downloads``) has already made text spreadsheet-safe.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

#: Rows written between two chunks sent.
ROWS_PER_CHUNK = 500
_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system, as every reader counts it
_DAY_SECONDS = 86400
# Characters XML 1.0 cannot hold at all: dropped rather than failing the file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Style indexes of styles.xml's cellXfs, in its order.
_PLAIN, _DATE, _DATETIME, _BOLD = 0, 1, 2, 3

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="d mmm yyyy"/>'
    '<numFmt numFmtId="165" formatCode="d mmm yyyy hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name (at most 31 characters, none of ``[]:*?/\\``),
    its heading row (bold, kept in view when scrolling), column widths in
    characters, and its rows (read once, as they are written)."""

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[object]]
    widths: Sequence[float] = ()


class _Sink:
    """Where the ZIP writes: kept until taken, so each chunk can be sent. It
    cannot seek, which tells ``zipfile`` to write data descriptors."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def _column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell(ref: str, value: object, *, style: int = _PLAIN) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        since_midnight = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        serial = (value.date() - _EPOCH).days + since_midnight / _DAY_SECONDS
        return f'<c r="{ref}" s="{_DATETIME}"><v>{serial!r}</v></c>'
    if isinstance(value, dt.date):
        serial = (value - _EPOCH).days
        return f'<c r="{ref}" s="{_DATE}"><v>{serial}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = escape(_NOT_XML.sub("", str(value)))
    style_attr = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{style_attr}><is><t xml:space="preserve">{text}</t></is></c>'


def _row(number: int, letters: Sequence[str], values: Sequence[object], *, style: int = _PLAIN) -> str:
    cells = "".join(
        _cell(f"{letter}{number}", value, style=style) for letter, value in zip(letters, values, strict=True)
    )
    return f'<row r="{number}">{cells}</row>'


def _write_sheet(member, sink: _Sink, sheet: Sheet) -> Iterator[bytes]:
    width = len(sheet.header)
    letters = [_column_letter(index) for index in range(width)]
    cols = "".join(
        f'<col min="{index}" max="{index}" width="{size}" customWidth="1"/>'
        for index, size in enumerate(sheet.widths, start=1)
    )
    member.write(
        (
            f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
            '<sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            "</sheetView></sheetViews>"
            f"{f'<cols>{cols}</cols>' if cols else ''}<sheetData>"
            f"{_row(1, letters, sheet.header, style=_BOLD)}"
        ).encode()
    )
    batch: list[str] = []
    for number, values in enumerate(sheet.rows, start=2):
        batch.append(_row(number, letters, values))
        if len(batch) == ROWS_PER_CHUNK:
            member.write("".join(batch).encode())
            batch.clear()
            if chunk := sink.take():
                yield chunk
    member.write(("".join(batch) + "</sheetData></worksheet>").encode())


def workbook_chunks(sheets: Sequence[Sheet]) -> Iterator[bytes]:
    """The workbook's bytes, a chunk at a time: the first goes out before
    any row is read."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:  # type: ignore[arg-type]
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{number}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for number in range(1, len(sheets) + 1)
        )
        archive.writestr(
            "[Content_Types].xml",
            f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'{_HEAD}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        entries = "".join(
            f'<sheet name={quoteattr(sheet.name)} sheetId="{number}" r:id="rId{number}"/>'
            for number, sheet in enumerate(sheets, start=1)
        )
        archive.writestr(
            "xl/workbook.xml",
            f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{entries}</sheets></workbook>',
        )
        links = "".join(
            f'<Relationship Id="rId{number}" Type="{_REL}/worksheet" Target="worksheets/sheet{number}.xml"/>'
            for number in range(1, len(sheets) + 1)
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{_HEAD}<Relationships xmlns="{_PKG_REL}">{links}'
            f'<Relationship Id="rId{len(sheets) + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>',
        )
        archive.writestr("xl/styles.xml", _STYLES)
        yield sink.take()
        for number, sheet in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w") as member:
                yield from _write_sheet(member, sink, sheet)
            if chunk := sink.take():
                yield chunk
    yield sink.take()
