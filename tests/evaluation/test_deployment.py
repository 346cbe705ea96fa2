"""In production the worker that builds an export and the web app that
serves it run in different containers: they must share the exports folder."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_web_and_worker_share_a_named_exports_volume():
    config = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name in ("web", "worker"):
        mounts = config["services"][name].get("volumes", [])
        assert "exports:/app/var/exports" in mounts, name
    assert "exports" in config["volumes"]
