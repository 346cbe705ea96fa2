"""The one Celery app. Configured from Django settings (CELERY_* names).

Run exactly one beat process per deployment (never `worker -B` in
production): two beats would scan twice. Workers scale freely.
"""

from __future__ import annotations

import os
from pathlib import Path

from celery import Celery, Task
from celery.schedules import crontab

from operations.core import context

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "operations.settings")


class ActingTask(Task):
    """Every task runs as the worker, with the task's id as the request id,
    so what it writes to the audit log says it came from this task. A task's
    arguments are ids only; who asked for it is in the audit entry written
    when it was asked for."""

    def __call__(self, *args, **kwargs):
        with context.acting(request_id=self.request.id or "", source="worker"):
            return super().__call__(*args, **kwargs)


app = Celery("operations", task_cls=ActingTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _create_filesystem_broker_folders(sender: Celery, **kwargs) -> None:
    """The filesystem transport (the embedded default) needs its folders to
    exist before any process publishes or consumes."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


QUEUES = ("default", "reminders", "exports")

# The beat schedule: every periodic task, in one place, each with why it runs.
app.conf.beat_schedule = {
    # Proves beat and a worker are alive: /healthz and the admin show when
    # the last heartbeat was recorded.
    "worker-heartbeat": {
        "task": "operations.core.tasks.record_heartbeat",
        "schedule": 30.0,
    },
    # Sends every pending notification that has become due (reminders
    # written for a later time, rows left pending while the broker was
    # down, retries) and re-offers rows whose worker died mid-send.
    "notifications-sweep": {
        "task": "operations.notifications.tasks.sweep_notifications",
        "schedule": 60.0,
    },
    # Escalates concerns nobody acknowledged in time to the managers and the
    # deputy lead. Every minute, because "danger now" escalates after 30
    # minutes by default: a minute late at most. Cheap when nothing is due
    # (a partial index holds only new, unescalated concerns), and each
    # concern escalates once however many runs overlap.
    "concerns-escalate": {
        "task": "volunteers.safeguarding.tasks.escalate_concerns",
        "schedule": 60.0,
    },
    # Monthly retention dry run for every organisation: nothing is removed
    # until a manager reviews it on the Retention page and applies it.
    "retention-dry-runs": {
        "task": "operations.core.tasks.retention_dry_runs",
        "schedule": crontab(minute=30, hour=6, day_of_month=1),
    },
    # Finds what has become due (PVG renewals, training expiring,
    # supervision, …) and writes outbox rows. Hourly in the working day, so a
    # reminder found at 07:05 reaches people in the morning; re-runs write
    # nothing new because every reminder has a unique key.
    "reminders-scan": {
        "task": "operations.notifications.tasks.scan_due_reminders",
        "schedule": crontab(minute=5, hour="7-20"),
    },
    # Creates each active group's sessions for the weeks ahead (default 12),
    # so coordinators can book into them; nightly, when nobody is booking.
    # Idempotent: existing, moved or cancelled sessions are left alone.
    "groups-generate-sessions": {
        "task": "operations.groups.tasks.generate_group_sessions",
        "schedule": crontab(hour=2, minute=30),
    },
    # Deletes online referral forms held apart as spam 30 days after they
    # came in: a bot's text is kept only long enough for a person to spot a
    # real parent among it. Idempotent: a second run finds nothing older.
    "online-referrals-purge-spam": {
        "task": "referrals.online.tasks.purge_spam",
        "schedule": crontab(hour=3, minute=45),
    },
    # Deletes evaluation export files (and their records) past their
    # retention date: pseudonymised health data must not outlive it.
    "evaluation-purge-expired-exports": {
        "task": "operations.evaluation.tasks.purge_expired_exports",
        "schedule": crontab(hour=3, minute=15),
    },
    # Deletes uploaded import files and their problem lists (which quote the
    # file's cells) IMPORT_RETENTION_DAYS after the upload.
    # Ends the checks and imports whose worker died (killed, machine
    # restarted) and that no redelivered task took up again: marked failed
    # (an import rolled back whole), so the manager can check the file again
    # instead of watching "Importing" forever. Cheap: few batches run at once.
    "imports-sweep-stopped": {
        "task": "operations.imports.tasks.sweep_stopped_imports",
        "schedule": 300.0,
    },
    "imports-purge-expired": {
        "task": "operations.imports.tasks.purge_expired_imports",
        "schedule": crontab(hour=3, minute=20),
    },
}
