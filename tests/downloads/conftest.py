"""Reading a download as a person's spreadsheet would."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest


def csv_rows(response) -> list[list[str]]:
    assert response.streaming, "a download streams"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_rows(response) -> list[list[object]]:
    """The first sheet's rows, as a spreadsheet opens them (openpyxl loads the whole file)."""
    assert response.streaming
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def xlsx_sheet(response, name: str) -> list[list[object]]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook[name].iter_rows(values_only=True)]


@pytest.fixture
def csv_of():
    return csv_rows


@pytest.fixture
def xlsx_of():
    return xlsx_rows
