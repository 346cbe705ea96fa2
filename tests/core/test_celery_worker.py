"""One task through a real broker to a real worker process and into the
database: Redis when REDIS_URL is set, the filesystem transport otherwise."""

from __future__ import annotations

import pytest

from operations.core.models import WorkerHeartbeat
from operations.core.tasks import record_heartbeat
from tests.worker import real_worker, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_runs_a_task_end_to_end(tmp_path):
    with real_worker(tmp_path) as worker:
        with worker.broker_connection() as conn:
            record_heartbeat.apply_async(kwargs={"name": "end-to-end"}, queue=worker.queue, connection=conn)
        assert wait_until(lambda: WorkerHeartbeat.objects.filter(name="end-to-end").exists(), timeout=60)


def test_settings_send_every_task_as_json_without_results():
    from operations.celery import app

    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_ignore_result is True
    assert app.conf.task_acks_late is True
    assert app.conf.task_time_limit > app.conf.task_soft_time_limit
