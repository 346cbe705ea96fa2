"""Journey: pooled evaluation across the demo federation (issue 24). A member's
manager opts in; the federation officer sees who opted in, builds a pooled
export that a real Celery worker builds while the progress bar moves,
downloads it, and no identifier from the database is in it; the manager then
reads on the evaluation page that the organisation's data was included."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.utils import timezone

from tests.e2e.conftest import check_accessibility, open_from_menu, sign_in
from tests.e2e.test_journey_export import demo, export_worker, identifiers_in_database

pytestmark = pytest.mark.django_db(transaction=True)

__all__ = ["demo", "export_worker"]  # the export journey's fixtures: the demo, a real worker on the exports queue


def test_a_member_opts_in_and_the_officer_builds_and_downloads_a_pooled_export(
    demo, export_worker, new_page, live_server
):
    # Capital Peer Network's manager opts in (the other two demo members already have).
    page = new_page()
    sign_in(page, live_server, "manager3")
    open_from_menu(page, "Reports", "Evaluation")
    page.get_by_role("link", name="Network wellbeing study").click()
    check_accessibility(page, "pooled journey member opt in")
    page.get_by_label("Opt in: pool our evaluation data").check()
    page.get_by_role("button", name="Save our answer").click()
    assert page.get_by_text("Your organisation is opted in").first.is_visible()

    officer = new_page()
    sign_in(officer, live_server, "federation")
    nav = officer.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Pooled evaluation", exact=True).click()
    check_accessibility(officer, "pooled journey officer projects")
    officer.get_by_role("link", name="Network wellbeing study").click()
    assert officer.get_by_text("3 of 3 members opted in").is_visible()
    check_accessibility(officer, "pooled journey officer project")
    officer.get_by_label("CSV files", exact=True).check()
    officer.get_by_role("button", name="Build export").click()

    progress = officer.get_by_role("progressbar", name="Export progress")
    assert progress.is_visible()
    download_link = officer.get_by_role("link", name="Download ZIP")
    download_link.wait_for(timeout=90_000)  # htmx polls every 2 s until the worker is done
    assert progress.get_attribute("aria-valuenow") == "100"
    check_accessibility(officer, "pooled journey export ready")
    with officer.expect_download() as download_info:
        download_link.click()
    archive = zipfile.ZipFile(io.BytesIO(open(download_info.value.path(), "rb").read()))  # noqa: PTH123
    participants = list(csv.DictReader(io.StringIO(archive.read("participants.csv").decode())))
    assert participants, "the demo members' consenting parents should be pooled"
    text = "\n".join(archive.read(name).decode() for name in archive.namelist())
    assert "Pooled across a federation" in archive.read("README.txt").decode()
    leaks = sorted(identifier for identifier in identifiers_in_database() if identifier in text)
    assert leaks == []

    page.goto(f"{live_server.url}/evaluation/")
    notice = f"export on {timezone.localdate():%-d %b %Y}"
    assert page.get_by_text(notice).first.is_visible()
    check_accessibility(page, "pooled journey member sees inclusion")
