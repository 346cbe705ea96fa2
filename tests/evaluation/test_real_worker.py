"""An export built by a real Celery worker process through a real broker
(Redis when REDIS_URL is set, the filesystem transport otherwise): the
manager's request reaches the worker, the progress ends at 100, the ZIP is
in the private folder and the requester is told."""

from __future__ import annotations

import pytest

from operations.evaluation.models import EvaluationExport, ExportStatus
from operations.evaluation.services import export_request, project_create
from operations.evaluation.tasks import build_export
from operations.notifications.models import Notification
from tests.evaluation.conftest import build_cohort, read_zip
from tests.worker import RealWorker, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_builds_the_export_and_the_requester_is_told(
    organisation, service, manager, tmp_path, exports_dir
):
    build_cohort(organisation, service, size=12)
    project = project_create(organisation=organisation, by=manager, name="Worker study")
    export = export_request(project=project, by=manager, format="xlsx")
    worker = RealWorker(tmp_path, extra_env={"EXPORTS_DIR": str(exports_dir)})
    worker.start()
    try:
        with worker.broker_connection() as conn:
            build_export.apply_async((export.pk,), queue=worker.queue, connection=conn)

        def finished() -> bool:
            return EvaluationExport.objects.get(pk=export.pk).status not in {ExportStatus.QUEUED, ExportStatus.RUNNING}

        assert wait_until(finished, timeout=90)
    finally:
        worker.stop()
    export.refresh_from_db()
    assert (export.status, export.progress, export.error) == (ExportStatus.DONE, 100, "")
    assert export.path.parent == exports_dir
    assert "export.xlsx" in read_zip(export).namelist()
    assert export.participant_rows + export.suppressed_rows == 12
    assert Notification.objects.filter(kind="export_ready", recipient_user=manager).count() == 2
