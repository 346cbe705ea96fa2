"""Starts the embedded default: web server, one Celery worker and Celery
beat, all on the SQLite file and the filesystem broker in the data folder.
Ctrl-C (or SIGTERM) stops all three."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from operations.celery import QUEUES
from operations.core.demo import USERS


class Command(BaseCommand):
    help = "Runs the web server, a Celery worker and Celery beat together (development)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000", help="host:port for the web server")

    def handle(self, *args, addr: str, **options) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        python = sys.executable
        commands = {
            "web": [python, "manage.py", "runserver", addr, "--noreload"],
            "worker": [
                python, "-m", "celery", "-A", "operations", "worker", "--loglevel", "INFO",
                "--queues", ",".join(QUEUES), "--concurrency", "2", "--hostname", "local@%h",
            ],
            "beat": [
                python, "-m", "celery", "-A", "operations", "beat", "--loglevel", "INFO",
                "--schedule", settings.CELERY_BEAT_SCHEDULE_FILE,
            ],
        }  # fmt: skip
        processes: dict[str, subprocess.Popen] = {}
        stopping = False

        def stop(signum=None, frame=None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            for name, command in commands.items():
                # Own process group: Ctrl-C reaches us once, and we stop the
                # children in order rather than all at once mid-task.
                processes[name] = subprocess.Popen(command, env=os.environ.copy(), start_new_session=True)  # noqa: S603
            self._print_banner(addr)
            while not stopping:
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(f"{name} stopped (exit code {process.returncode}); stopping the rest.")
                        stopping = True
                time.sleep(0.5)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for name, process in processes.items():
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    self.stderr.write(f"{name} did not stop in time; killing it.")
                    process.kill()
            self.stdout.write("Stopped web server, worker and beat.")

    def _print_banner(self, addr: str) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Peer support is running on http://{addr}/"))
        self.stdout.write(f"Demo logins (development only), password {settings.DEMO_PASSWORD}:")
        self.stdout.write("  " + ", ".join(username for username, *_ in USERS))
        self.stdout.write("Press Ctrl-C to stop the web server, the worker and beat.")
        self.stdout.write("")
