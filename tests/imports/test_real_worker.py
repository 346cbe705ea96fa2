"""Imports run by a real Celery worker process through a real broker (Redis
when REDIS_URL is set, the filesystem transport otherwise), sent there by
the services as the page sends them (a file above IMPORT_WORKER_ROWS): the
check and the import finish with the counts right; a cancel mid-import
rolls everything back; a worker killed mid-import leaves nothing written and
the task delivered again imports the file whole."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F

from operations.celery import app as celery_app
from operations.imports import services
from operations.imports.models import ApplyMode, BatchStatus, ImportBatch, ImportedRecord
from operations.imports.tasks import apply_batch
from tests.factories import council_area
from tests.imports.conftest import csv_text, volunteer_row
from tests.worker import RealWorker, publishing_to, wait_until
from volunteers.models import VolunteerProfile

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WORKER_ROWS = 20


@pytest.fixture(autouse=True)
def frozen_now():
    """Real time here: the worker, another process, keeps it (started_at, the limit)."""
    return None


@pytest.fixture
def worker(tmp_path, private_folder, settings):
    """A worker reading the test's uploads, writing progress (and looking for a
    cancel) after every row, and this process publishing to it."""
    settings.IMPORT_WORKER_ROWS = WORKER_ROWS
    council_area("S12000049")  # the rows' Glasgow City: a transactional test's flush took the migration's areas
    worker = RealWorker(tmp_path, extra_env={"IMPORTS_DIR": str(private_folder), "IMPORT_PROGRESS_EVERY": "1"})
    with publishing_to(celery_app, worker):
        worker.start(name="imports")
        try:
            yield worker
        finally:
            worker.stop()


def upload(organisation, manager, write, rows: list[dict[str, str]]) -> ImportBatch:
    path = write("volunteers.csv", csv_text(rows))
    return services.batch_create(
        organisation=organisation, actor=manager, kind="volunteers", source=path, file_name="volunteers.csv"
    )


def settled(batch: ImportBatch, *, timeout: float = 45) -> ImportBatch:
    assert wait_until(lambda: not ImportBatch.objects.get(pk=batch.pk).running, timeout=timeout), "still running"
    batch.refresh_from_db()
    return batch


def checked_by_the_worker(organisation, manager, write, count: int) -> ImportBatch:
    batch = upload(organisation, manager, write, [volunteer_row(n) for n in range(1, count + 1)])
    batch = services.batch_check(batch=batch, actor=manager)  # as the page: inline=None
    assert batch.status == BatchStatus.CHECKING  # sent to the worker
    batch = settled(batch)
    assert (batch.status, batch.rows_ok, batch.rows_with_problems) == (BatchStatus.CHECKED, count, 0)
    return batch


def well_under_way(batch: ImportBatch) -> bool:
    """The worker's run has begun and written some rows (in its open transaction)."""
    batch.refresh_from_db()
    return batch.started_at is not None and services.progress_of(batch) >= 2


def nothing_imported() -> bool:
    return not VolunteerProfile.objects.exists() and not ImportedRecord.objects.exists()


def test_a_large_file_is_checked_then_imported_by_the_worker(organisation, manager, write, worker):
    rows = [volunteer_row(n) for n in range(1, WORKER_ROWS + 11)] + [volunteer_row(99, Status="Nope")]
    batch = upload(organisation, manager, write, rows)
    batch = services.batch_check(batch=batch, actor=manager)
    assert batch.status == BatchStatus.CHECKING
    batch = settled(batch)
    assert (batch.status, batch.rows_total, batch.rows_ok, batch.rows_with_problems) == (
        BatchStatus.CHECKED,
        WORKER_ROWS + 11,
        WORKER_ROWS + 10,
        1,
    )
    assert batch.problems.get().line == WORKER_ROWS + 12
    assert nothing_imported()

    batch = services.batch_apply(batch=batch, actor=manager, mode=ApplyMode.VALID_ONLY)
    assert batch.status == BatchStatus.APPLYING
    batch = settled(batch)
    assert (batch.status, batch.created_count, batch.skipped_count, batch.error) == (
        BatchStatus.APPLIED,
        WORKER_ROWS + 10,
        1,
        "",
    )
    assert VolunteerProfile.objects.count() == WORKER_ROWS + 10
    assert ImportedRecord.objects.filter(batch=batch).count() == WORKER_ROWS + 10


@pytest.mark.postgres  # the cancel is written while the worker's transaction is open: SQLite would wait
@pytest.mark.redis  # the worker's progress, read here, is in the shared cache
def test_cancelling_a_running_import_rolls_it_all_back(organisation, manager, write, worker):
    batch = checked_by_the_worker(organisation, manager, write, 400)
    batch = services.batch_apply(batch=batch, actor=manager, mode=ApplyMode.ALL_OR_NOTHING)
    assert wait_until(lambda: well_under_way(batch), timeout=30, interval=0.05)
    services.batch_cancel(batch=batch, actor=manager)
    batch = settled(batch)
    assert (batch.status, batch.error) == (BatchStatus.CANCELLED, "Cancelled: nothing was imported.")
    assert nothing_imported()


@pytest.mark.postgres  # a killed connection's transaction is rolled back by PostgreSQL
@pytest.mark.redis
def test_a_worker_killed_mid_import_leaves_nothing_and_the_task_delivered_again_imports_it_whole(
    organisation, manager, write, worker
):
    batch = checked_by_the_worker(organisation, manager, write, 400)
    batch = services.batch_apply(batch=batch, actor=manager, mode=ApplyMode.ALL_OR_NOTHING)
    assert wait_until(lambda: well_under_way(batch), timeout=30, interval=0.05)
    worker.kill(worker.processes[0])
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLYING, "the import finished before the worker could be killed"
    assert nothing_imported()

    # The broker delivers the unacknowledged task again once its visibility
    # timeout (an hour) is up, by then the run is past its limit: both
    # played here, the time by moving the run's start back.
    limit = timedelta(seconds=services.settings.IMPORT_TASK_SOFT_TIME_LIMIT + 121)
    ImportBatch.objects.filter(pk=batch.pk).update(started_at=F("started_at") - limit)
    worker.start(name="restarted")
    with worker.broker_connection() as connection:
        apply_batch.apply_async((batch.pk, manager.pk), queue=worker.queue, connection=connection)
    batch = settled(batch)
    assert (batch.status, batch.created_count, batch.updated_count, batch.unchanged_count) == (
        BatchStatus.APPLIED,
        400,
        0,
        0,
    )
    assert VolunteerProfile.objects.count() == 400
    assert ImportedRecord.objects.filter(batch=batch).count() == 400
