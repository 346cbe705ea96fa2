"""Importing N rows (50,000 at full size) of volunteers, of parents, then of
those parents' referrals: each file checked then applied all or nothing on
PostgreSQL, through the same services as the import page.

Runs in a child process (`python -m tests.bench.import_bench`), so its peak
resident memory is the import's alone; everything it writes is rolled back
at the end, so the bench database stays as seed_scale left it. Prints one
JSON line: per file, rows, seconds to check, seconds to apply, peak memory."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.export_bench import _reset_peak, _status_mb

ROOT = Path(__file__).resolve().parents[2]
ROWS = {"full": 50_000, "small": 1_000, "tiny": 100}
#: The issue's budget: 50,000 rows applied in 2 minutes (scaled by rows for smaller sizes).
BUDGET_SECONDS_PER_ROW = 120 / 50_000
MEMORY_TARGET_MB = 300


def _write_csv(path: Path, headers: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)


def write_file(path: Path, rows: int) -> None:
    headers = [
        "External ID", "First name", "Last name", "Email", "Roles", "Status", "Council areas", "Languages",
        "Availability", "PVG number", "PVG scheme", "PVG issued", "Training",
    ]  # fmt: skip
    _write_csv(path, headers, (
        [
            f"BENCH-{n:06d}", f"Bench{n}", "Volunteer", f"bench-volunteer-{n}@example.org",
            "Volunteer befriender", "Active", "Glasgow City; East Renfrewshire", "English; Polish",
            "Mon am; Wed pm", f"9{n:09d}", "Children and protected adults", "14/04/2026",
            "Safeguarding: 12/10/2025",
        ]
        for n in range(rows)
    ))  # fmt: skip


def write_parents(path: Path, rows: int) -> None:
    """A family file as a Lamplight or CiviCRM export gives it: one parent per row, a child and safe contact."""
    headers = [
        "External ID", "First name", "Last name", "Date of birth", "Phone", "Postcode", "Council area",
        "Children's dates of birth", "Safe to contact by",
    ]  # fmt: skip
    _write_csv(path, headers, (
        [
            f"BENCH-P{n:06d}", f"Bench{n}", "Parent", "03/05/1994", "07700 900123", "TD1 1EN",
            "Scottish Borders", "03/09/2026", "Text; Phone",
        ]
        for n in range(rows)
    ))  # fmt: skip


def write_referrals(path: Path, rows: int, service: str) -> None:
    """One waiting referral per parent of write_parents, from a health visitor."""
    headers = [
        "External ID", "Parent External ID", "Service", "Date received", "Status", "Source", "Referrer name",
        "Referrer organisation", "Reason for referral",
    ]  # fmt: skip
    _write_csv(path, headers, (
        [
            f"BENCH-R{n:06d}", f"BENCH-P{n:06d}", service, "12/10/2026", "Waiting", "Health visitor",
            "Fiona Gilmour", "Galashiels health visiting team", "Low mood since the birth",
        ]
        for n in range(rows)
    ))  # fmt: skip


def child() -> None:
    import django

    folder = Path(tempfile.mkdtemp(prefix="bench-imports-"))
    os.environ["IMPORTS_DIR"] = str(folder / "private")
    django.setup()
    from django.db import transaction

    from operations.core.models import Membership, Role, Service

    # BENCH_IMPORT_ROWS overrides the size's row count (e.g. 5000 for a per-row figure);
    # BENCH_IMPORT_KINDS chooses the files (volunteers, parents, referrals: the parents file comes first).
    rows = int(os.environ.get("BENCH_IMPORT_ROWS") or ROWS[os.environ.get("BENCH_SIZE", "full")])
    kinds = os.environ.get("BENCH_IMPORT_KINDS", "volunteers,parents,referrals").split(",")
    manager = Membership.objects.filter(role=Role.MANAGER, is_active=True).select_related("user", "organisation")
    membership = manager.order_by("pk").first()
    service = Service.objects.filter(organisation=membership.organisation, is_active=True).order_by("pk").first()
    files = {"volunteers": folder / "volunteers.csv", "parents": folder / "parents.csv"}
    write_file(files["volunteers"], rows)
    write_parents(files["parents"], rows)
    files["referrals"] = folder / "referrals.csv"
    write_referrals(files["referrals"], rows, service.name)
    if "referrals" in kinds and "parents" not in kinds:
        kinds.insert(kinds.index("referrals"), "parents")
    results = []
    with transaction.atomic():
        for kind in kinds:
            results.append(_one_file(kind, files[kind], rows, membership))
        transaction.set_rollback(True)
    shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(results))


def _one_file(kind: str, source: Path, rows: int, membership) -> dict:
    """Uploads, checks and applies one file; its figures (the peak is the process's so far)."""
    from operations.imports import services
    from operations.imports.models import ApplyMode, BatchStatus

    baseline_mb = _status_mb("VmRSS")
    _reset_peak()
    started = time.perf_counter()
    batch = services.batch_create(
        organisation=membership.organisation, actor=membership.user, kind=kind, source=source, file_name=source.name
    )
    batch = services.batch_check(batch=batch, actor=membership.user, inline=True)
    check_seconds = time.perf_counter() - started
    if batch.rows_with_problems:
        raise RuntimeError(f"{kind}: {batch.rows_with_problems} rows with problems: {list(batch.problems.all()[:3])}")
    started = time.perf_counter()
    batch = services.batch_apply(batch=batch, actor=membership.user, mode=ApplyMode.ALL_OR_NOTHING, inline=True)
    apply_seconds = time.perf_counter() - started
    if batch.status != BatchStatus.APPLIED or batch.created_count != rows:
        raise RuntimeError(f"{kind}: import ended {batch.status} with {batch.created_count} created: {batch.error}")
    return {
        "kind": kind,
        "rows": rows,
        "check_seconds": check_seconds,
        "apply_seconds": apply_seconds,
        "baseline_mb": baseline_mb,
        "peak_mb": _status_mb("VmHWM"),
    }


def import_cases(repeat: int) -> list[dict]:
    """One row per file (volunteers; parents; their referrals): checked and applied, against the budget."""
    completed = subprocess.run(  # noqa: S603 - our own module, our own interpreter
        [sys.executable, "-m", "tests.bench.import_bench"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(f"import bench failed:\n{completed.stderr[-3000:]}")
    cases = []
    for result in json.loads(completed.stdout.strip().splitlines()[-1]):
        rows, seconds = result["rows"], result["check_seconds"] + result["apply_seconds"]
        budget = rows * BUDGET_SECONDS_PER_ROW
        cases.append(
            {
                "case": f"import: {rows:,} {LABELS[result['kind']]} checked ({result['check_seconds']:.1f} s) and "
                f"applied all or nothing ({result['apply_seconds']:.1f} s; {rows / seconds:,.0f} rows/s)",
                "kind": "import",
                "median_ms": round(seconds * 1000),
                "p95_ms": round(seconds * 1000),
                "queries": "—",
                "ratio": "—",
                "target": f"≤ {budget:.1f} s: {'ok' if seconds <= budget else 'OVER'}; peak {result['peak_mb']:.0f} MB "
                f"(baseline {result['baseline_mb']:.0f} MB) < {MEMORY_TARGET_MB} MB: "
                f"{'ok' if result['peak_mb'] < MEMORY_TARGET_MB else 'OVER'}",
            }
        )
    return cases


LABELS = {"volunteers": "volunteer rows", "parents": "parent rows", "referrals": "referral rows"}


if __name__ == "__main__":
    child()
