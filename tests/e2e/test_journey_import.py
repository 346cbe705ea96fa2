"""Browser journey of issue 25 (imports): a manager downloads the volunteer
template, uploads it filled with five people of whom three have mistakes,
reads the check's report, fixes the file, uploads it again, imports it, and
finds the new volunteers on the compliance page (their training is missing).
Each page is checked with axe-core; screenshots go to tests/e2e/artifacts/."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, open_from_menu, sign_in
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = [
    # External ID, first, last, email, PVG issued, council area, availability
    (
        "T-101",
        "Morag",
        "Auchterlonie",
        "morag.auchterlonie@example.org",
        "14/04/2026",
        "Scottish Borders",
        "Mon am; Thu pm",
    ),
    ("T-102", "Priya", "Nair", "priya.nair@example.org", "31/02/2026", "Scottish Borders", "Tue am"),
    ("T-103", "Ewan", "Baird", "ewan.baird@example", "02/05/2026", "Midlothian", "Wed eve"),
    ("T-104", "Sìne", "MacLeod", "sine.macleod@example.org", "3/5/26", "Narnia", "Fri am"),
    ("T-105", "Hollie", "Pitcairn", "hollie.pitcairn@example.org", "20/05/2026", "Scottish Borders", "Sat pm"),
]
FIXES = {
    "T-102": {"PVG issued": "28/02/2026"},
    "T-103": {"Email": "ewan.baird@example.org"},
    "T-104": {"Council areas": "Scottish Borders"},
}


def filled(template: str, fixed: bool) -> bytes:
    headers = next(csv.reader(io.StringIO(template.lstrip("\ufeff"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, lineterminator="\r\n")
    writer.writeheader()
    for external_id, first, last, email, issued, area, available in PEOPLE:
        row = dict.fromkeys(headers, "")
        row.update(
            {
                "External ID": external_id,
                "First name": first,
                "Last name": last,
                "Email": email,
                "Roles": "Volunteer befriender",
                "Status": "In training",
                "Council areas": area,
                "Availability": available,
                "PVG number": f"1200 3400 {external_id[-3:]}",
                "PVG scheme": "Children and protected adults",
                "PVG issued": issued,
                "Training": "Safeguarding: 10/11/2026",
            }
        )
        if fixed:
            row.update(FIXES.get(external_id, {}))
        writer.writerow(row)
    # Saved by an old Excel: Windows-1252 ("Sìne" survives).
    return out.getvalue().encode("cp1252")


def test_a_manager_imports_volunteers_from_a_spreadsheet(demo, new_page, live_server, tmp_path) -> None:
    page = new_page()
    sign_in(page, live_server, "manager")
    open_from_menu(page, "Admin", "Import")
    expect(page.get_by_role("heading", name="Import", exact=True)).to_be_visible()
    check_accessibility(page, "import-01-start")

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV template for Volunteers and PSOs").click()
    template = tmp_path / "template.csv"
    download.value.save_as(template)
    text = template.read_text(encoding="utf-8-sig")
    assert text.startswith("External ID,First name,Last name")

    first = tmp_path / "volunteers.csv"
    first.write_bytes(filled(text, fixed=False))
    page.get_by_label("What are you importing?").select_option(label="Volunteers and PSOs")
    page.get_by_label("The file").set_input_files(str(first))
    page.get_by_role("button", name="Upload and choose the columns").click()
    expect(page.get_by_role("heading", name="Which column is which?")).to_be_visible()
    check_accessibility(page, "import-02-columns")
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_test_id("check-counts")).to_have_text("5 rows read: 2 ready, 3 with problems.")
    problems = page.get_by_role("table")
    expect(problems).to_contain_text("“31/02/2026” is not a real date.")
    expect(problems).to_contain_text("“ewan.baird@example” is not an email address.")
    expect(problems).to_contain_text("“Narnia” is not one of Scotland's council areas.")
    check_accessibility(page, "import-03-report")
    assert not VolunteerProfile.objects.filter(
        email__endswith="@example.org", user__last_name__in=["Auchterlonie", "Pitcairn"]
    ).exists()

    # Fixed, uploaded again, checked, imported all or nothing.
    fixed = tmp_path / "volunteers-fixed.csv"
    fixed.write_bytes(filled(text, fixed=True))
    page.get_by_role("link", name="upload it again").click()
    page.get_by_label("What are you importing?").select_option(label="Volunteers and PSOs")
    page.get_by_label("The file").set_input_files(str(fixed))
    page.get_by_role("button", name="Upload and choose the columns").click()
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_test_id("check-counts")).to_have_text("5 rows read: 5 ready, 0 with problems.")
    expect(page.get_by_label("All or nothing: import only when every row is right")).to_be_checked()
    page.get_by_role("button", name="Import 5 rows").click()
    expect(page.get_by_text("Imported: 5 created, 0 updated, 0 unchanged.")).to_be_visible()
    check_accessibility(page, "import-04-result")

    # The new volunteers need their core training: the compliance page lists them.
    page.goto(f"{live_server.url}/volunteers/compliance/")
    training = page.locator("section", has=page.get_by_role("heading", name="Training missing or expiring"))
    for name in ("Morag Auchterlonie", "Sìne MacLeod", "Hollie Pitcairn"):
        expect(training.get_by_role("link", name=name).first).to_be_visible()
    check_accessibility(page, "import-05-compliance")

    training.get_by_role("link", name="Sìne MacLeod").first.click()
    expect(page.get_by_test_id("provenance")).to_have_text(
        re.compile(r"Imported from volunteers-fixed\.csv, row 5, on \d{1,2} [A-Z][a-z]{2} \d{4}\.")
    )
    check_accessibility(page, "import-06-volunteer")
