"""Journey 4: a manager requests an anonymised export, watches the progress
bar while a real Celery worker builds it, downloads the ZIP, and no
identifier from the database appears in it. Run with `make e2e`."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.core.management import call_command
from django.test import override_settings

from operations.evaluation import services
from operations.evaluation.pooled import services as pooled_services
from operations.evaluation.tasks import build_export, build_pooled_export
from referrals.models import Child, Parent, Referral
from tests.e2e.conftest import check_accessibility, open_from_menu, sign_in
from tests.worker import RealWorker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)


@pytest.fixture
def export_worker(settings, tmp_path, monkeypatch):
    """A real worker on the exports queue; the app hands it builds through
    the worker's own broker (the test process's default broker is memory)."""
    settings.EXPORTS_DIR = tmp_path / "exports"
    worker = RealWorker(tmp_path, queues="exports", extra_env={"EXPORTS_DIR": str(settings.EXPORTS_DIR)})
    worker.start()

    def enqueue_build(export_id: int) -> None:
        with worker.broker_connection() as connection:
            build_export.apply_async((export_id,), queue="exports", connection=connection)

    def enqueue_pooled_build(export_id: int) -> None:
        with worker.broker_connection() as connection:
            build_pooled_export.apply_async((export_id,), queue="exports", connection=connection)

    monkeypatch.setattr(services, "enqueue_build", enqueue_build)
    # A federation's pooled exports (tests/e2e/test_journey_pooled_evaluation.py) too.
    monkeypatch.setattr(pooled_services, "enqueue_pooled_build", enqueue_pooled_build)
    yield worker
    worker.stop()


def identifiers_in_database() -> set[str]:
    found: set[str] = set()
    for parent in Parent.objects.all():
        found |= {v for v in (parent.first_name, parent.last_name, parent.phone, parent.email, parent.postcode) if v}
        found |= {d.isoformat() for d in (parent.date_of_birth, parent.evaluation_consent_given_on) if d}
    for referral in Referral.objects.all():
        found |= {referral.received_on.isoformat()}
        found |= {v for v in (referral.referrer_name, referral.referrer_contact) if v}
    for child in Child.objects.all():
        found |= {d.isoformat() for d in (child.due_date, child.birth_date) if d}
        found |= {child.name} if child.name else set()
    return {value for value in found if len(value) >= 3}


def test_a_manager_exports_anonymised_data_and_it_identifies_nobody(demo, export_worker, new_page, live_server):
    page = new_page()
    sign_in(page, live_server, "manager")
    open_from_menu(page, "Reports", "Evaluation")
    check_accessibility(page, "journey 4 evaluation projects")
    page.get_by_role("link", name="Demo wellbeing evaluation").click()
    check_accessibility(page, "journey 4 export request form")
    page.get_by_label("CSV files", exact=True).check()
    page.get_by_role("button", name="Request export").click()

    progress = page.get_by_role("progressbar", name="Export progress")
    assert progress.is_visible()
    check_accessibility(page, "journey 4 export progress")
    download_link = page.get_by_role("link", name="Download ZIP")
    download_link.wait_for(timeout=90_000)  # htmx polls every 2 s until the worker is done
    assert progress.get_attribute("aria-valuenow") == "100"
    check_accessibility(page, "journey 4 export ready")

    with page.expect_download() as download_info:
        download_link.click()
    archive = zipfile.ZipFile(io.BytesIO(open(download_info.value.path(), "rb").read()))  # noqa: PTH123
    assert {"participants.csv", "assessments.csv", "data_dictionary.csv", "README.txt"} <= set(archive.namelist())
    participants = list(csv.DictReader(io.StringIO(archive.read("participants.csv").decode())))
    assert participants, "the demo's consenting parents should be exported"
    text = "\n".join(archive.read(name).decode() for name in archive.namelist())
    leaks = sorted(identifier for identifier in identifiers_in_database() if identifier in text)
    assert leaks == []
