"""Every imports test runs on a fixed day (Monday 7 December 2026, 10:00 in
Edinburgh), with its own private folder for uploads."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine

from operations.core.models import Role

TODAY = dt.date(2026, 12, 7)
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)

HEADERS = [
    "External ID",
    "First name",
    "Last name",
    "Email",
    "Roles",
    "Status",
    "Council areas",
    "Languages",
    "Availability",
    "PVG number",
    "PVG scheme",
    "PVG issued",
    "Training",
    "Supervisor",
]


def volunteer_row(number: int, **changes) -> dict[str, str]:
    row = {
        "External ID": f"V-{number:04d}",
        "First name": f"Vol{number}",
        "Last name": "Imported",
        "Email": f"vol{number}@example.org",
        "Roles": "Volunteer befriender",
        "Status": "Active",
        "Council areas": "Glasgow City",
        "Languages": "English; Polish",
        "Availability": "Mon am; Wed pm",
        "PVG number": f"1000 {number:04d}",
        "PVG scheme": "Children and protected adults",
        "PVG issued": "14/04/2026",
        "Training": "Safeguarding: 12/10/2025",
        "Supervisor": "",
    }
    row.update(changes)
    return row


def csv_text(rows: list[dict[str, str]], headers: list[str] = HEADERS, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, delimiter=delimiter, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture(autouse=True)
def frozen_now(request):
    if request.node.get_closest_marker("postgres"):
        yield NOW
        return
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture(autouse=True)
def private_folder(settings, tmp_path) -> Path:
    settings.IMPORTS_DIR = tmp_path / "imports"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.IMPORTS_DIR


@pytest.fixture
def organisation(db):
    from tests.factories import OrganisationFactory

    return OrganisationFactory(slug="lanark-peer-support", name="Lanark Peer Support")


@pytest.fixture
def manager(organisation):
    from tests.factories import member

    return member(username="manager", organisation=organisation, role=Role.MANAGER)


@pytest.fixture
def write(tmp_path):
    """Writes a file (text or bytes) under tmp_path and returns its path."""

    def make(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / "in" / name
        path.parent.mkdir(exist_ok=True)
        if isinstance(content, str):
            content = content.encode(encoding)
        path.write_bytes(content)
        return path

    return make
