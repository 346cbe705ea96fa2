"""A real Celery worker in a subprocess, for tests where delivery is what is
being tested. It uses Redis when REDIS_URL is set, the filesystem transport
otherwise, and the test database the test process is using."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.db import connection
from kombu import Connection

ROOT = Path(__file__).resolve().parents[1]


def test_database_url() -> str:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or ""
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


class RealWorker:
    """Starts and stops `celery worker` processes on a private queue."""

    def __init__(
        self,
        tmp_path: Path,
        *,
        redis_url: str | None = None,
        queues: str | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.queue = queues or f"test-{uuid.uuid4().hex[:12]}"
        self.redis_url = redis_url or os.environ.get("REDIS_URL")
        self.extra_env = extra_env or {}
        self.data_dir = tmp_path / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.processes: list[subprocess.Popen] = []

    @property
    def broker_url(self) -> str:
        return self.redis_url or "filesystem://"

    def broker_transport_options(self) -> dict[str, object]:
        """Options matching the worker's own (its DATA_DIR is ``data_dir``)."""
        if self.redis_url:
            return {}
        folder = str(self.data_dir / "broker" / "queue")
        Path(folder).mkdir(parents=True, exist_ok=True)
        (self.data_dir / "broker" / "processed").mkdir(parents=True, exist_ok=True)
        control = self.data_dir / "broker" / "control"
        control.mkdir(parents=True, exist_ok=True)
        return {
            "data_folder_in": folder,
            "data_folder_out": folder,
            "store_processed": False,
            "control_folder": str(control),
        }

    def broker_connection(self) -> Connection:
        return Connection(self.broker_url, transport_options=self.broker_transport_options())

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": test_database_url(),
            "DATA_DIR": str(self.data_dir),
        }
        if self.redis_url:
            env["CELERY_BROKER_URL"] = self.redis_url
        else:
            env.pop("CELERY_BROKER_URL", None)
            env.pop("REDIS_URL", None)
        env.update(self.extra_env)
        return env

    def start(self, *, name: str = "w1", concurrency: int = 1, output: Path | None = None) -> subprocess.Popen:
        """``output``: a file for the worker's console (stdout and stderr), e.g.
        what the console email and SMS backends print."""
        command = [
            sys.executable, "-m", "celery", "-A", "operations", "worker",
            "--queues", self.queue, "--concurrency", str(concurrency), "--hostname", f"{name}-{self.queue}@%h",
            "--without-gossip", "--without-mingle", "--loglevel", "WARNING",
        ]  # fmt: skip
        # Own session, so a test can kill the worker with its pool children.
        stream = output.open("ab") if output is not None else None
        process = subprocess.Popen(  # noqa: S603
            command,
            cwd=ROOT,
            env=self.env(),
            start_new_session=True,
            stdout=stream,
            stderr=subprocess.STDOUT if stream else None,
        )
        if stream is not None:
            stream.close()  # the child holds its own copy
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the worker and its pool: a crash, not a shutdown."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@contextlib.contextmanager
def real_worker(tmp_path: Path, **kwargs) -> Iterator[RealWorker]:
    worker = RealWorker(tmp_path)
    worker.start(**kwargs)
    try:
        yield worker
    finally:
        worker.stop()


def wait_until(predicate, *, timeout: float = 60.0, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def publisher_settings(app) -> dict:
    """What ``point_publisher_at`` changes, to put it back afterwards."""
    return {
        "broker_url": app.conf.broker_url,
        "transport_options": dict(app.conf.broker_transport_options or {}),
        "routes": app.conf.task_routes,
    }


@contextlib.contextmanager
def publishing_to(app, worker: RealWorker) -> Iterator[None]:
    """This process publishes every task to ``worker``'s queue (the code under
    test publishes as the web process does); put back as it was afterwards."""
    saved = publisher_settings(app)
    point_publisher_at(
        app,
        broker_url=worker.broker_url,
        transport_options=worker.broker_transport_options(),
        routes={"*": {"queue": worker.queue}},
    )
    try:
        yield
    finally:
        point_publisher_at(app, **saved)


def point_publisher_at(
    app, *, broker_url: str, transport_options: dict | None = None, routes=None, close_connections: bool = False
) -> None:
    """Re-points this process's publisher (the code under test publishes
    with the app's default connection) at another broker and routes.

    The one place the tests reach into Celery's internals: the app keeps the
    connection pool, the producer pool and the router it made first, and
    Celery has no public call that drops them (``app.close()`` also
    deregisters the app). tests/core/test_framework_internals.py fails if an
    upgrade changes this."""
    app.conf.update(broker_url=broker_url, broker_transport_options=transport_options or {}, task_routes=routes or {})
    # Closing the old pool's connections is only safe when nothing else holds
    # them (a live server's thread may): the broker-outage test asks for it,
    # to drop connections to a Redis it shut down.
    if close_connections and app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)
