"""The anonymised export against PostgreSQL's own COPY of the same rows.

Runs in a child process (`python -m tests.bench.export_bench`), so its peak
resident memory is the export's alone: one export over the whole scale data
set (every consenting parent, their assessments and contact logs), then the
same participant and assessment queries sent through `COPY (...) TO STDOUT`
— the physical floor. Prints one JSON line: rows, seconds, peak memory."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMORY_TARGET_MB = 300
SPEED_TARGET = 1 / 3


def _status_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process from /proc, in MB. Not
    ru_maxrss: Linux carries that across exec from the parent that forked us,
    so it would report the benchmark runner's memory, not the export's."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: an upper bound


def _reset_peak() -> None:
    """Starts the peak-memory count afresh (Linux: clear_refs 5 resets VmHWM)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def copy_sql(queryset) -> tuple[str, tuple]:
    """The SQL and parameters of ``queryset``, to send through COPY. Django
    has no public call for this (``str(queryset.query)`` inlines the
    parameters unquoted), so it uses the query's own method: the one place
    the bench relies on an ORM internal, checked by
    tests/core/test_framework_internals.py."""
    return queryset.query.sql_with_params()


def _copy_seconds(querysets) -> tuple[float, int]:
    from django.db import connection

    started, copied = time.perf_counter(), 0
    with connection.cursor() as cursor:
        for queryset in querysets:
            sql, params = copy_sql(queryset)
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT", params) as copy:
                for data in copy:
                    copied += len(data)
    return time.perf_counter() - started, copied


def child() -> None:
    import django

    os.environ["EXPORTS_DIR"] = tempfile.mkdtemp(prefix="bench-exports-")
    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from operations.evaluation import sources
    from operations.evaluation.models import EvaluationExport, EvaluationProject
    from operations.evaluation.services import export_build
    from operations.outcomes.models import Assessment
    from referrals.models import Referral

    baseline_mb = _status_mb("VmRSS")
    project = EvaluationProject.objects.filter(name="Scale evaluation").order_by("pk").first()
    with transaction.atomic():
        # One national export over the whole data set, as the issue asks: every
        # referral and assessment is lent to the first organisation inside this
        # transaction, which is rolled back at the end.
        Referral.objects.update(organisation_id=project.organisation_id)
        Assessment.objects.update(organisation_id=project.organisation_id)
        export = EvaluationExport.objects.create(
            organisation_id=project.organisation_id, project=project, expires_at=timezone.now()
        )
        _reset_peak()
        started = time.perf_counter()
        status = export_build(export_id=export.pk)
        build_seconds = time.perf_counter() - started
        if status != "done":
            raise RuntimeError(f"export ended {status}")
        peak_mb = _status_mb("VmHWM")
        export.refresh_from_db()
        scope = sources.scope_of(export)
        copy_seconds, copy_bytes = _copy_seconds([sources.participant_rows(scope), sources.assessment_rows(scope)])
        transaction.set_rollback(True)
    # The rolled-back lending left a dead copy of every referral and
    # assessment (and their index entries): vacuumed, so a later --reuse run
    # times pages on the data as seed_scale left it, not on twice the rows
    # (autovacuum may be off, as on the development machine).
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Referral._meta.db_table}, {Assessment._meta.db_table}")
    shutil.rmtree(settings.EXPORTS_DIR, ignore_errors=True)
    print(json.dumps({
        "participants": export.participant_rows + export.suppressed_rows, "suppressed": export.suppressed_rows,
        "assessments": export.assessment_rows, "build_seconds": build_seconds, "copy_seconds": copy_seconds,
        "copy_bytes": copy_bytes, "zip_bytes": export.file_size, "baseline_mb": baseline_mb, "peak_mb": peak_mb,
    }))  # fmt: skip


def export_cases(repeat: int) -> list[dict]:
    """One row: the export's rows per second, its peak memory, and its speed
    as a share of COPY's (the target is at least a third)."""
    completed = subprocess.run(  # noqa: S603 - our own module, our own interpreter
        [sys.executable, "-m", "tests.bench.export_bench"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(f"export bench failed:\n{completed.stderr[-3000:]}")
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    rows = result["participants"] + result["assessments"]
    speed = result["copy_seconds"] / result["build_seconds"] if result["build_seconds"] else 0
    memory_ok = result["peak_mb"] < MEMORY_TARGET_MB
    return [
        {
            "case": f"export: one national export, {result['participants']:,} participants "
            f"({result['suppressed']:,} suppressed) + {result['assessments']:,} assessments "
            f"({rows / result['build_seconds']:,.0f} rows/s; "
            f"COPY of the same rows {rows / result['copy_seconds']:,.0f} rows/s)",
            "kind": "export",
            "median_ms": round(result["build_seconds"] * 1000),
            "p95_ms": round(result["build_seconds"] * 1000),
            "queries": "—",
            "ratio": f"{speed:.2f} of COPY",
            "target": f"peak {result['peak_mb']:.0f} MB (baseline {result['baseline_mb']:.0f} MB) < "
            f"{MEMORY_TARGET_MB} MB: {'ok' if memory_ok else 'OVER'}; ≥ 1/3 of COPY: "
            f"{'ok' if speed >= SPEED_TARGET else 'UNDER'}",
        }
    ]


if __name__ == "__main__":
    child()
