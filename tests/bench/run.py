"""The benchmark suite: `make bench` (or `python -m tests.bench.run`).

Builds a fresh benchmark database beside the one DATABASE_URL names (its
name + "_bench", dropped and re-created each run unless --reuse), fills it
with `seed_scale`, then measures every case and prints one table, also
written as JSON. Pages are timed in-process through the full middleware
stack with production settings (DEBUG off), against a floor measured in the
same run: /about/, the cheapest signed-in page on the same base template.
Nothing here fails on time; targets are reported, not enforced."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]


def bench_database_url(base: str) -> str:
    parsed = urlparse(base)
    name = parsed.path.lstrip("/") or "postgres"
    return urlunparse(parsed._replace(path=f"/{name}_bench"))


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    admin = urlunparse(parsed._replace(path="/postgres"))
    name = parsed.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def configure_like_the_deployment(url: str) -> None:
    """The planner costs docker-compose gives PostgreSQL (SSD storage:
    random_page_cost 1.1, not the default 4), set on the bench database only,
    so the figures are those of the documented deployment."""
    import psycopg

    parsed = urlparse(url)
    admin = urlunparse(parsed._replace(path="/postgres"))
    name = parsed.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" SET random_page_cost = 1.1')


def configure(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "operations.settings")
    # Production settings: DEBUG off, as users run it; plain HTTP in-process.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x7" * 30)
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["SECURE_HTTPS"] = "0"
    os.environ["BEHIND_PROXY"] = "0"
    # Bench users sign in with force_login (no authenticator); the two-factor
    # middleware still runs on every request, it just has no role to enforce.
    os.environ["TWO_FACTOR_REQUIRED_ROLES"] = "none"
    os.environ["STATIC_ROOT"] = str(ROOT / "bench-results" / "static")
    import django

    django.setup()


def settle_after_loading() -> None:
    """Write out what the load left in memory before anything is timed: the
    first pages measured were otherwise timed while PostgreSQL flushed
    hundreds of megabytes behind them (a checkpoint a live server has long
    since done)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="full", choices=["full", "small", "tiny"])
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per case")
    parser.add_argument("--reuse", action="store_true", help="keep the benchmark database from the last run")
    parser.add_argument("--json", default=None, help="default bench-results/latest.json (only.json with --only)")
    parser.add_argument(
        "--only",
        action="append",
        metavar="CASE",
        help="run only this case (repeatable): pages, candidates, matching_cases, beat_scan, …",
    )
    args = parser.parse_args()
    args.json = args.json or str(ROOT / "bench-results" / ("only.json" if args.only else "latest.json"))
    # Cases that scale their own work (the import's rows) read the size from here.
    os.environ["BENCH_SIZE"] = args.size

    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        print("make bench needs DATABASE_URL pointing at PostgreSQL (and REDIS_URL for the Redis cases).")
        return 2
    url = bench_database_url(base)
    if not args.reuse:
        recreate_database(url)
    configure_like_the_deployment(url)
    configure(url)

    from django.core.management import call_command

    from tests.bench import cases

    seeded_in = None
    if not args.reuse:
        call_command("migrate", verbosity=0)
        started = time.monotonic()
        call_command("seed_scale", size=args.size, force=True)
        seeded_in = time.monotonic() - started
        settle_after_loading()

    call_command("collectstatic", interactive=False, verbosity=0)
    # --only a --only b, or --only a,b
    only = [name.strip() for value in args.only or [] for name in value.split(",") if name.strip()] or None
    results = cases.run_all(repeat=args.repeat, only=only)
    report = {
        "size": args.size,
        "repeat": args.repeat,
        "seed_scale_seconds": round(seeded_in, 1) if seeded_in is not None else None,
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "database": "PostgreSQL",
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cases": results,
        "only": only,
    }
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(report, indent=2))
    print(cases.table(report))
    print(f"\nwritten to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
