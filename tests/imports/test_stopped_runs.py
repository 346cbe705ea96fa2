"""A check or import whose worker died (killed, machine restarted) is never
stuck: the task delivered again takes up a run older than the time limit,
the sweep marks one still "running" long after that failed (and the manager
checks the file again), and cancelling a dead run works at once. A worker's
death is played here by an exception no handler catches (a kill runs no
Python at all): what the apply wrote is rolled back whole."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from celery.exceptions import Retry

from operations.core.audit import AuditEvent
from operations.imports import services, tasks
from operations.imports.models import ApplyMode, BatchStatus, ImportBatch, ImportedRecord, ImportProblem
from tests.imports.conftest import volunteer_row
from tests.imports.test_engine import check, three_good_rows, upload
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db

LIMIT = 600  # IMPORT_TASK_SOFT_TIME_LIMIT in these tests: a run is stale 12 minutes after it began
REDELIVERY = 3600  # the broker's visibility timeout


class WorkerKilled(BaseException):
    """Stands for SIGKILL: no ``except Exception`` sees it, nothing is marked."""


@pytest.fixture(autouse=True)
def limits(settings):
    settings.IMPORT_TASK_SOFT_TIME_LIMIT = LIMIT
    settings.IMPORT_PROGRESS_EVERY = 1
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": REDELIVERY}


def later(frozen_now, seconds: int):
    return time_machine.travel(frozen_now + dt.timedelta(seconds=seconds), tick=False)


def die_after_rows(monkeypatch, rows: int) -> None:
    """The worker dies once ``rows`` rows were written (inside the apply's transaction)."""
    original = services.progress_write

    def progress_then_die(batch_id, done):
        original(batch_id, done)
        if done == rows:
            assert VolunteerProfile.objects.count() == rows  # written, not yet committed
            raise WorkerKilled

    monkeypatch.setattr(services, "progress_write", progress_then_die)


def dead_apply(organisation, manager, write, monkeypatch) -> ImportBatch:
    """An import queued for the worker, begun, and killed after two of its three rows."""
    batch = check(upload(organisation, manager, write, three_good_rows()), manager)
    batch = services.batch_apply(batch=batch, actor=manager, mode=ApplyMode.ALL_OR_NOTHING, inline=False)
    die_after_rows(monkeypatch, 2)
    with pytest.raises(WorkerKilled):
        tasks.apply_batch.run(batch.pk, manager.pk)
    monkeypatch.undo()
    batch.refresh_from_db()
    return batch


def nothing_imported() -> bool:
    return not VolunteerProfile.objects.exists() and not ImportedRecord.objects.exists()


def test_a_dead_import_leaves_nothing_written_and_stays_running_until_its_limit(
    organisation, manager, write, monkeypatch, frozen_now
):
    batch = dead_apply(organisation, manager, write, monkeypatch)
    assert nothing_imported()
    assert (batch.status, batch.started_at, batch.claimed_at) == (BatchStatus.APPLYING, frozen_now, frozen_now)
    # Within the limit the run may still be alive elsewhere: a second
    # delivery leaves it alone, and looks again once the limit is past.
    with later(frozen_now, LIMIT + 60):
        assert services.seconds_until_unheld(batch.pk) == 61
        with pytest.raises(Retry):
            tasks.apply_batch.run(batch.pk, manager.pk)
        assert services.stopped_runs_fail() == 0
    assert nothing_imported()
    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.APPLYING


def test_the_task_delivered_again_after_the_limit_imports_it_all_once(
    organisation, manager, write, monkeypatch, frozen_now
):
    batch = dead_apply(organisation, manager, write, monkeypatch)
    with later(frozen_now, LIMIT + 121):
        assert tasks.apply_batch.run(batch.pk, manager.pk) == BatchStatus.APPLIED
    batch.refresh_from_db()
    assert (batch.created_count, batch.rows_ok, batch.error) == (3, 3, "")
    assert batch.started_at == frozen_now + dt.timedelta(seconds=LIMIT + 121)
    assert VolunteerProfile.objects.count() == 3
    assert ImportedRecord.objects.filter(batch=batch).count() == 3
    assert AuditEvent.objects.filter(
        summary="Import started again: the run begun on 7 Dec 2026 at 10:00 stopped"
    ).exists()
    # Delivered once more: nothing to do.
    assert tasks.apply_batch.run(batch.pk, manager.pk) == "not-claimed"
    assert VolunteerProfile.objects.count() == 3


def test_a_dead_check_is_checked_again_when_its_task_comes_back(organisation, manager, write, frozen_now):
    batch = upload(organisation, manager, write, [volunteer_row(1), volunteer_row(2, Status="Nope")])
    services.batch_check(batch=batch, actor=manager, inline=False)
    ImportBatch.objects.filter(pk=batch.pk).update(started_at=frozen_now)  # a worker began it, then died
    with pytest.raises(Retry):
        tasks.check_batch.run(batch.pk, manager.pk)
    with later(frozen_now, LIMIT + 121):
        assert tasks.check_batch.run(batch.pk, manager.pk) == BatchStatus.CHECKED
    batch.refresh_from_db()
    assert (batch.status, batch.rows_ok, batch.rows_with_problems) == (BatchStatus.CHECKED, 1, 1)
    assert ImportProblem.objects.filter(batch=batch).count() == 1


def test_the_sweep_fails_a_dead_import_long_after_and_the_manager_checks_it_again(
    organisation, manager, write, monkeypatch, frozen_now, client
):
    batch = dead_apply(organisation, manager, write, monkeypatch)
    with later(frozen_now, LIMIT + 120 + REDELIVERY - 60):
        assert services.stopped_runs_fail() == 0  # the broker may still deliver it again
    with later(frozen_now, LIMIT + 120 + REDELIVERY + 60):
        assert tasks.sweep_stopped_imports.run() == 1
        assert services.stopped_runs_fail() == 0  # once
        batch.refresh_from_db()
        assert (batch.status, batch.error) == (BatchStatus.FAILED, services.STOPPED)
        assert nothing_imported()
        assert AuditEvent.objects.filter(
            summary="Import marked failed: its run (begun on 7 Dec 2026 at 10:00) stopped before it finished"
        ).exists()
        # A task delivered after the sweep finds nothing to do.
        assert tasks.apply_batch.run(batch.pk, manager.pk) == "not-claimed"

        client.force_login(manager)
        page = client.get(f"/import/{batch.pk}/").content.decode()
        assert "The import stopped before it finished: nothing was imported. Check the file again." in page
        assert page.count("othing was imported") == 1
        assert f'href="/import/{batch.pk}/columns/"' in page
        response = client.post(f"/import/{batch.pk}/columns/", {str(i): h for i, h in enumerate(batch.headers)})
        assert response.status_code == 302
        batch.refresh_from_db()
        assert (batch.status, batch.rows_ok, batch.error) == (BatchStatus.CHECKED, 3, "")
        batch = services.batch_apply(batch=batch, actor=manager, mode=ApplyMode.ALL_OR_NOTHING, inline=True)
    assert (batch.status, batch.created_count) == (BatchStatus.APPLIED, 3)
    assert VolunteerProfile.objects.count() == 3


def test_the_sweep_fails_a_check_whose_task_never_came(organisation, manager, write, frozen_now):
    batch = upload(organisation, manager, write, three_good_rows())
    services.batch_check(batch=batch, actor=manager, inline=False)  # the message was lost
    with later(frozen_now, LIMIT + 120 + REDELIVERY + 60):
        assert services.stopped_runs_fail() == 1
        batch.refresh_from_db()
        assert (batch.status, batch.error) == (BatchStatus.FAILED, services.STOPPED)
        assert services.batch_check(batch=batch, actor=manager, inline=True).status == BatchStatus.CHECKED


def test_the_sweep_leaves_live_runs_and_finished_batches_alone(organisation, manager, write, frozen_now):
    running = upload(organisation, manager, write, three_good_rows())
    services.batch_check(batch=running, actor=manager, inline=False)
    done = check(upload(organisation, manager, write, three_good_rows(), name="other.csv"), manager)
    with later(frozen_now, LIMIT + 120 + REDELIVERY - 60):
        ImportBatch.objects.filter(pk=running.pk).update(started_at=services.timezone.now())  # begun just now
    with later(frozen_now, LIMIT + 120 + REDELIVERY + 60):
        assert services.stopped_runs_fail() == 0
    assert ImportBatch.objects.get(pk=running.pk).status == BatchStatus.CHECKING
    assert ImportBatch.objects.get(pk=done.pk).status == BatchStatus.CHECKED


def test_cancelling_a_dead_import_after_its_limit_ends_it_at_once(
    organisation, manager, write, monkeypatch, frozen_now
):
    batch = dead_apply(organisation, manager, write, monkeypatch)
    batch = services.batch_cancel(batch=batch, actor=manager)
    assert (batch.status, batch.cancel_requested) == (BatchStatus.APPLYING, True)  # it may still be running
    with later(frozen_now, LIMIT + 121):
        batch = services.batch_cancel(batch=batch, actor=manager)
    assert (batch.status, batch.error) == (BatchStatus.CANCELLED, "Cancelled: nothing was imported.")
    assert AuditEvent.objects.filter(summary="Import cancelled (no run was on it)").exists()
    assert nothing_imported()


def test_a_cancel_nobody_read_ends_when_the_run_is_known_dead(organisation, manager, write, monkeypatch, frozen_now):
    """Cancelled while the dead run was within its limit: the sweep, or the
    task delivered again, ends it as cancelled and imports nothing."""
    swept = dead_apply(organisation, manager, write, monkeypatch)
    services.batch_cancel(batch=swept, actor=manager)
    with later(frozen_now, LIMIT + 121):
        assert services.stopped_runs_fail() == 0  # cancelled, not failed
    swept.refresh_from_db()
    assert swept.status == BatchStatus.CANCELLED

    redelivered = dead_apply(organisation, manager, write, monkeypatch)
    services.batch_cancel(batch=redelivered, actor=manager)
    with later(frozen_now, LIMIT + 121):
        assert tasks.apply_batch.run(redelivered.pk, manager.pk) == "not-claimed"
    redelivered.refresh_from_db()
    assert redelivered.status == BatchStatus.CANCELLED
    assert nothing_imported()


def test_a_cancelled_check_waiting_for_the_worker_goes_back_to_uploaded(organisation, manager, write):
    batch = upload(organisation, manager, write, three_good_rows())
    batch = services.batch_check(batch=batch, actor=manager, inline=False)
    batch = services.batch_cancel(batch=batch, actor=manager)
    assert (batch.status, batch.error) == (BatchStatus.DRAFT, "Cancelled")
    assert services.run_check(batch.pk) == "not-claimed"


def test_a_check_that_fails_is_not_left_checking(organisation, manager, write, monkeypatch):
    batch = upload(organisation, manager, write, three_good_rows())
    services.batch_check(batch=batch, actor=manager, inline=False)

    def lost_database(*args, **kwargs):
        raise services.DatabaseError("connection lost")

    monkeypatch.setattr(services._Run, "run", lost_database)
    with pytest.raises(services.DatabaseError):
        services.run_check(batch.pk)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED
    assert batch.error == "The check failed (DatabaseError): nothing was imported. Check the file again."


def test_the_page_says_when_the_run_began(organisation, manager, write, client, frozen_now):
    batch = upload(organisation, manager, write, three_good_rows())
    services.batch_check(batch=batch, actor=manager, inline=False)
    client.force_login(manager)
    assert "Waiting to start since 7 Dec 2026 at 10:00." in client.get(f"/import/{batch.pk}/").content.decode()
    ImportBatch.objects.filter(pk=batch.pk).update(started_at=frozen_now)
    assert "Started on 7 Dec 2026 at 10:00." in client.get(f"/import/{batch.pk}/").content.decode()


def test_on_the_page_a_cancel_nobody_has_to_read_says_cancelled(organisation, manager, write, client):
    batch = upload(organisation, manager, write, three_good_rows())
    services.batch_check(batch=batch, actor=manager, inline=False)
    client.force_login(manager)
    page = client.post(f"/import/{batch.pk}/cancel/", follow=True).content.decode()
    assert "Cancelled." in page
    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.DRAFT
