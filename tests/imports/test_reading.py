"""Reading files as charities have them: old Excel CSVs, BOMs, semicolons,
blank lines, titles above the headings, formulas, and files that are not
spreadsheets at all — each read right or refused with a clear message."""

from __future__ import annotations

import datetime as dt
import io
import tracemalloc
import zipfile

import openpyxl
import pytest

from operations.imports.reading import FileProblem, open_table

KNOWN = ["External ID", "First name", "Last name", "Email"]


def rows_of(path, name=None):
    table = open_table(path, name or path.name, KNOWN)
    return table, list(table.rows())


def test_windows_1252_from_old_excel(write):
    path = write("old.csv", "External ID,First name,Last name\r\nV-1,Zoë,O’Brien\r\n", encoding="cp1252")
    table, rows = rows_of(path)
    assert table.encoding == "cp1252"
    assert rows == [(2, ["V-1", "Zoë", "O’Brien"])]


def test_utf8_with_bom(write):
    path = write("bom.csv", "\ufeffExternal ID,First name\r\nV-1,Łucja\r\n")
    table, rows = rows_of(path)
    assert table.headers == ["External ID", "First name"]  # the BOM is not part of the first heading
    assert rows == [(2, ["V-1", "Łucja"])]


@pytest.mark.parametrize("separator", [";", "\t", ","])
def test_the_separator_is_sniffed(write, separator):
    text = separator.join(["External ID", "First name", "Last name"]) + "\n"
    text += separator.join(["V-1", "Ann, Marie", "Smith"]).replace("Ann, Marie", '"Ann, Marie"') + "\n"
    _, rows = rows_of(write("sep.csv", text))
    assert rows == [(2, ["V-1", "Ann, Marie", "Smith"])]


def test_blank_lines_are_skipped_and_line_numbers_stay_the_spreadsheets(write):
    text = "External ID,First name\n\nV-1,Ann\n,\n\nV-2,Bea\n"
    _, rows = rows_of(write("blank.csv", text))
    assert rows == [(3, ["V-1", "Ann"]), (6, ["V-2", "Bea"])]


def test_titles_and_merged_headings_above_the_header_row_are_passed_over(write):
    text = (
        "Volunteer list exported 3 Dec 2026,,,\n"
        "Person,,Contact,\n"
        "External ID,First name,Last name,Email\n"
        "V-1,Ann,Smith,ann@example.org\n"
    )
    table, rows = rows_of(write("merged.csv", text))
    assert table.header_line == 3
    assert table.headers == ["External ID", "First name", "Last name", "Email"]
    assert rows == [(4, ["V-1", "Ann", "Smith", "ann@example.org"])]


def test_a_file_without_a_heading_row_gets_a_clear_message(write):
    with pytest.raises(FileProblem, match="column headings"):
        rows_of(write("one.csv", "just one cell\n\nanother\n"))


def test_two_hundred_columns_are_refused_clearly(write):
    headers = ["External ID", "First name"] + [f"Extra {n}" for n in range(198)]
    with pytest.raises(FileProblem) as caught:
        rows_of(write("wide.csv", ",".join(headers) + "\n" + ",".join("x" * 1 for _ in headers) + "\n"))
    assert "200 columns" in caught.value.message
    assert "at most 100" in caught.value.message


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "save it as .xlsx or CSV"),
        ("renamed.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not text"),
        ("broken.xlsx", b"this is not a zip at all", "not an Excel workbook"),
        ("empty.csv", b"", "empty"),
        ("notes.docx", b"PK\x03\x04", "CSV file or an Excel workbook"),
    ],
)
def test_files_that_are_not_spreadsheets_are_refused_clearly(write, name, content, words):
    with pytest.raises(FileProblem) as caught:
        rows_of(write(name, content))
    assert words in caught.value.message


def test_a_zip_bomb_workbook_is_refused_without_unpacking(write, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024))
    with pytest.raises(FileProblem, match="cannot be read safely"):
        rows_of(write("bomb.xlsx", buffer.getvalue()))


def xlsx_bytes(rows, cached: dict[str, str] | None = None, as_text: set[str] = frozenset()) -> bytes:
    """A workbook written by openpyxl; ``cached`` puts the value a spreadsheet
    program would have stored for a formula cell (openpyxl writes none), as
    Excel does on save; ``as_text`` cells are text even when they start with "="."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for ref in as_text:
        sheet[ref].data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    if not cached:
        return out.getvalue()
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for ref, value in cached.items():
                    start = text.index(f'<c r="{ref}"')
                    end = text.index("</c>", start)
                    cell = text[start:end].replace("<v />", f"<v>{value}</v>")
                    if not value.replace(".", "").isdigit():
                        cell = cell.replace(f'<c r="{ref}"', f'<c r="{ref}" t="str"', 1)
                    text = text[:start] + cell + text[end:]
                data = text.encode()
            target.writestr(info, data)
    return patched.getvalue()


def test_xlsx_cells_read_as_a_person_sees_them(write):
    content = xlsx_bytes(
        [
            ["External ID", "First name", "Last name", "Email", "Date of birth", "Caseload", "Joined", "Serial"],
            [
                "V-1",
                "Ann",
                "Smith",
                '=CONCAT(B2,"@example.org")',
                dt.date(1990, 5, 3),
                2.0,
                dt.datetime(2026, 1, 5),  # noqa: DTZ001 (a workbook has no time zones)
                46145,
            ],
            ["V-2", "=1+1", '=HYPERLINK("x")', "", None, 2.5, dt.datetime(2026, 1, 5, 14, 30), None],  # noqa: DTZ001,
        ],
        cached={"D2": "Ann@example.org", "B3": "2"},
        as_text={"C3"},
    )
    table, rows = rows_of(write("people.xlsx", content))
    assert table.format == "xlsx"
    assert rows[0] == (
        2,
        [
            "V-1",
            "Ann",
            "Smith",
            "Ann@example.org",
            "1990-05-03",
            "2",
            "2026-01-05",
            "46145",
        ],
    )
    # A formula is its cached value (never evaluated); text starting "=" stays text.
    assert rows[1] == (3, ["V-2", "2", '=HYPERLINK("x")', "", "", "2.5", "2026-01-05 14:30", ""])


def test_a_formula_without_a_cached_value_reads_blank_never_evaluated(write):
    content = xlsx_bytes([["External ID", "First name"], ["V-1", "=1+1"]])
    _, rows = rows_of(write("nocache.xlsx", content))
    assert rows == [(2, ["V-1", ""])]


def test_a_large_csv_is_streamed_with_flat_memory(write):
    line = "V-{n},Firstname{n},Lastname{n},someone{n}@example.org\n"
    text = "External ID,First name,Last name,Email\n" + "".join(line.format(n=n) for n in range(200_000))
    path = write("big.csv", text)
    assert path.stat().st_size > 10 * 1024 * 1024
    tracemalloc.start()
    table = open_table(path, "big.csv", KNOWN)
    count = sum(1 for _ in table.rows())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 200_000
    assert peak < 5 * 1024 * 1024  # the file is 10 MB+; memory does not grow with it
