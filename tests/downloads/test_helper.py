"""The shared helper: streams as it reads, writes words, refuses non-staff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from operations.core import downloads
from operations.core.downloads import Column
from tests.downloads.conftest import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/anything/", {"download": "csv"})
    request.user = user
    return request


def test_csv_streams_while_the_rows_are_read(coordinator):
    read = []

    def rows():
        for number in range(3 * downloads.CSV_BATCH):
            read.append(number)
            yield number

    response = downloads.download(
        _request(coordinator), fmt="csv", title="Numbers", filename="numbers",
        columns=[Column("Number", lambda n: n)], rows=rows(),
    )  # fmt: skip

    assert response.streaming
    assert read == []  # nothing is read before the response starts
    chunks = iter(response.streaming_content)
    first = next(chunks)
    assert first == "\ufeffNumber\r\n".encode()  # the heading, before any row is read
    assert read == []
    assert next(chunks).startswith(b"0\r\n1\r\n")
    assert len(read) <= downloads.CSV_BATCH + 1  # a batch at a time
    assert len(list(chunks)) >= 2


def test_cells_are_written_in_words(coordinator):
    row = {"day": dt.date(2028, 2, 14), "flag": True, "none": None, "parts": ["a", "b"], "n": 3}
    columns = [Column(name.capitalize(), lambda r, name=name: r[name]) for name in row]

    response = downloads.download(
        _request(coordinator), fmt="csv", title="Words", filename="words", columns=columns, rows=[row]
    )
    assert csv_rows(response)[1] == ["14 Feb 2028", "Yes", "", "a; b", "3"]

    response = downloads.download(
        _request(coordinator), fmt="xlsx", title="Words", filename="words", columns=columns, rows=[row]
    )
    day, *rest = xlsx_rows(response)[1]
    assert day.date() == dt.date(2028, 2, 14)  # a real date cell, shown "14 Feb 2028"
    assert rest == ["Yes", None, "a; b", 3]


def test_only_coordinators_and_managers_may_download(volunteer, pso):
    for user in (volunteer, pso):
        with pytest.raises(PermissionDenied):
            downloads.download(_request(user), fmt="csv", title="Numbers", filename="numbers", columns=[], rows=[])


def test_the_workbook_streams_while_the_rows_are_read(coordinator):
    read = []

    def rows():
        for number in range(3 * downloads.CSV_BATCH):
            read.append(number)
            yield {"n": number, "when": dt.datetime(2028, 2, 14, 9, 30, tzinfo=dt.UTC), "text": "a\x07b"}

    columns = [
        Column("Number", lambda r: r["n"]),
        Column("When", lambda r: r["when"]),
        Column("Text", lambda r: r["text"]),
    ]
    response = downloads.download(
        _request(coordinator), fmt="xlsx", title="Numbers: [all]", filename="numbers", columns=columns, rows=rows()
    )

    chunks = iter(response.streaming_content)
    first = next(chunks)
    assert first.startswith(b"PK")  # a ZIP, on its way before any row is read
    assert read == []
    rest = b"".join(chunks)
    assert len(read) == 3 * downloads.CSV_BATCH

    response.streaming_content = iter([first + rest])
    table = xlsx_rows(response)
    assert table[0] == ["Number", "When", "Text"]
    assert len(table) == 1 + 3 * downloads.CSV_BATCH
    # 09:30 UTC in February is 09:30 in Scotland; a character XML cannot hold is dropped.
    assert table[1] == [0, dt.datetime(2028, 2, 14, 9, 30), "ab"]  # noqa: DTZ001 (a workbook's time has no zone)


def test_a_list_may_name_other_roles(pso, volunteer):
    from operations.core.models import Role

    roles = {Role.COORDINATOR, Role.MANAGER, Role.PSO}
    response = downloads.download(
        _request(pso), fmt="csv", title="Numbers", filename="numbers", columns=[], rows=[], roles=roles
    )
    assert response.status_code == 200
    with pytest.raises(PermissionDenied):
        downloads.download(
            _request(volunteer), fmt="csv", title="Numbers", filename="numbers", columns=[], rows=[], roles=roles
        )
