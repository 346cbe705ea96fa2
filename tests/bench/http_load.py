"""HTTP load on loopback: gunicorn serving the benchmark database, wrk
driving it with a signed-in session. Pages are compared with the same
server's floor page (/about/). Skipped, with a row saying why, when wrk is
not installed (apt-get install wrk)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.request import urlopen

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from operations.core.models import User

ROOT = Path(__file__).resolve().parents[2]
DURATION = os.environ.get("BENCH_WRK_DURATION", "10s")
CONNECTIONS = os.environ.get("BENCH_WRK_CONNECTIONS", "16")


def contact_log_path() -> str | None:
    """The contact-log form of the bench volunteer's first open match (None
    when the data gives them none, as the tiny size may)."""
    from volunteers.matching.models import Match, MatchStatus

    match = (
        Match.objects.filter(
            volunteer__user__username="bench-volunteer",
            status__in=[MatchStatus.ACTIVE, MatchStatus.INTRODUCED, MatchStatus.ENDING],
        )
        .order_by("status", "pk")
        .first()
    )
    return f"/matching/matches/{match.pk}/log/" if match else None


#: (case, user, path); a callable path is resolved when the case runs, after seed_scale.
TARGETS = [
    ("floor: /about/", "bench-coordinator", "/about/"),
    ("triage board", "bench-coordinator", "/referrals/"),
    ("volunteer contact-log page", "bench-volunteer", contact_log_path),
    ("volunteer home", "bench-volunteer", "/"),
]


def session_cookie(username: str) -> str:
    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


#: The budget under load (issue 17): p99 at most this, and no non-2xx answer.
HTTP_P99_MS = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def parse_wrk(output: str) -> dict:
    def ms(value: str) -> float:
        number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
        return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]

    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", output, flags=re.MULTILINE))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": round(rps, 1),
        "p50_ms": round(ms(latency["50"]), 1),
        "p90_ms": round(ms(latency["90"]), 1),
        "p99_ms": round(ms(latency["99"]), 1),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


@contextmanager
def gunicorn_server() -> Iterator[str]:
    """gunicorn serving the benchmark database on a free loopback port, with
    the production settings the bench configured; yields its base URL."""
    port = free_port()
    workers = str(max(2, (os.cpu_count() or 2)))
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "operations.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", workers, "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ},
        start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def http_load(repeat: int) -> list[dict]:
    if shutil.which("wrk") is None:
        return [{"case": "HTTP load", "kind": "http", "median_ms": "—", "p95_ms": "—", "target": "skipped: no wrk"}]
    workers = str(max(2, (os.cpu_count() or 2)))
    with gunicorn_server() as base:
        rows, floor_rps = [], None
        for name, username, path in TARGETS:
            path = path() if callable(path) else path
            if path is None:
                rows.append({"case": f"HTTP {name} (skipped: not in this size's data)", "kind": "http",
                             "median_ms": "—", "p95_ms": "—", "target": "—"})  # fmt: skip
                continue
            cookie = session_cookie(username)
            command = ["wrk", "-t", "2", "-c", CONNECTIONS, "-d", DURATION, "--latency", "-H", f"Cookie: {cookie}",
                       f"{base}{path}"]  # fmt: skip
            result = parse_wrk(subprocess.run(command, capture_output=True, text=True, check=True).stdout)  # noqa: S603
            floor_rps = floor_rps or result["rps"]
            rows.append(
                {
                    "case": f"HTTP {name} ({CONNECTIONS} connections, {workers} gunicorn workers)",
                    "kind": "http",
                    "median_ms": result["p50_ms"],
                    "p95_ms": result["p90_ms"],
                    "queries": "—",
                    "ratio": round(floor_rps / result["rps"], 2) if result["rps"] else "—",
                    "target": f"{result['rps']} req/s, p99 {result['p99_ms']} ms (≤{HTTP_P99_MS}), "
                    f"non-2xx {result['non_2xx']}: "
                    + ("ok" if result["p99_ms"] <= HTTP_P99_MS and not result["non_2xx"] else "OVER"),
                }
            )
        return rows
