"""Benchmark cases. Each returns a row: name, median and p95 (ms), SQL
queries, the ratio to its floor, and the target it is held to."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from operations.core.models import User

PAGE_TARGET_RATIO = 3.0
PAGE_MAX_QUERIES = 20


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_page(client: Client, path: str, repeat: int) -> dict:
    for _ in range(3):  # warm caches and connections
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(_percentile(timings, 0.95), 2),
        "queries": len(captured),
    }


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


#: (case name, user, path). Each app's pages join this list as they land.
PAGES: list[tuple[str, str, str]] = [
    ("coordinator home", "bench-coordinator", "/"),
    ("volunteer home", "bench-volunteer", "/"),
    ("services list", "bench-coordinator", "/services/"),
    ("triage board", "bench-coordinator", "/referrals/"),
    ("waiting list", "bench-coordinator", "/referrals/waiting/"),
    ("volunteer list", "bench-coordinator", "/volunteers/"),
    ("compliance page", "bench-coordinator", "/volunteers/compliance/"),
    ("PSO home", "bench-pso", "/"),
    ("notification log", "bench-coordinator", "/notifications/log/"),
    ("notification centre", "bench-coordinator", "/notifications/"),
]


def page_cases(repeat: int) -> list[dict]:
    rows = []
    floors: dict[str, float] = {}
    for username in sorted({user for _, user, _ in PAGES}):
        floor = time_page(client_for(username), "/about/", repeat)
        floors[username] = floor["median_ms"]
        rows.append({"case": f"floor: /about/ as {username}", "kind": "floor", **floor, "ratio": 1.0, "target": "—"})
    for name, username, path in PAGES:
        measured = time_page(client_for(username), path, repeat)
        ratio = measured["median_ms"] / floors[username]
        verdict = "ok" if ratio <= PAGE_TARGET_RATIO and measured["queries"] <= PAGE_MAX_QUERIES else "OVER"
        rows.append(
            {
                "case": f"page: {name}",
                "kind": "page",
                **measured,
                "ratio": round(ratio, 2),
                "target": f"≤{PAGE_TARGET_RATIO:g}× floor, ≤{PAGE_MAX_QUERIES} queries: {verdict}",
            }
        )
    return rows


def beat_scan(repeat: int) -> list[dict]:
    """The reminders scan over the whole data set (every organisation): the
    first run writes what is due, re-runs must write nothing and stay fast."""
    from operations.notifications.due import reminders_scan

    started = time.perf_counter()
    first_written = reminders_scan()
    first_ms = (time.perf_counter() - started) * 1000
    timings, written = [], 0
    for _ in range(max(3, repeat // 5)):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            written += reminders_scan()
        timings.append((time.perf_counter() - started) * 1000)
    median = statistics.median(timings)
    return [
        {
            "case": f"beat scan: first run ({first_written} reminders written)",
            "kind": "beat",
            "median_ms": round(first_ms, 1),
            "p95_ms": round(first_ms, 1),
            "queries": "—",
            "ratio": "—",
            "target": "—",
        },
        {
            "case": f"beat scan: re-run ({written} new rows across re-runs)",
            "kind": "beat",
            "median_ms": round(median, 1),
            "p95_ms": round(_percentile(timings, 0.95), 1),
            "queries": len(captured),
            "ratio": "—",
            "target": f"< 1000 ms: {'ok' if median < 1000 else 'OVER'}",
        },
    ]


#: Other measurements (matching, exports, booking race, HTTP load) register
#: here as functions returning rows.
def _http_load(repeat: int) -> list[dict]:
    from tests.bench.http_load import http_load

    return http_load(repeat)


EXTRA_CASES: list[Callable[[int], list[dict]]] = [beat_scan, _http_load]


def run_all(*, repeat: int) -> list[dict]:
    rows = page_cases(repeat)
    for case in EXTRA_CASES:
        rows.extend(case(repeat))
    return rows


def table(report: dict) -> str:
    header = (
        f"Benchmark ({report['size']} scale, {report['repeat']} runs per case) "
        f"on {report['machine']}, {report['database']}"
    )
    if report.get("seed_scale_seconds") is not None:
        header += f"; seed_scale took {report['seed_scale_seconds']} s"
    lines = [
        header,
        "",
        "| case | median ms (HTTP: p50) | p95 ms (HTTP: p90) | queries | × floor | target |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in report["cases"]:
        lines.append(
            f"| {row['case']} | {row['median_ms']} | {row['p95_ms']} | {row.get('queries', '—')} | "
            f"{row.get('ratio', '—')} | {row.get('target', '')} |"
        )
    return "\n".join(lines)
