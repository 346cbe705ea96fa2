"""What can be checked of the deployment files without a Docker engine."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_the_five_production_services_each_with_a_healthcheck():
    services = compose()["services"]
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert name in services, name
        assert "healthcheck" in services[name], f"{name} has no healthcheck"


def test_compose_keeps_postgres_data_in_a_named_volume():
    config = compose()
    mounts = config["services"]["postgres"]["volumes"]
    assert any(mount.startswith("postgres-data:") for mount in mounts)
    assert "postgres-data" in config["volumes"]


def test_web_runs_gunicorn_and_beat_runs_alone():
    services = compose()["services"]
    assert "gunicorn" in (ROOT / "Dockerfile").read_text()
    assert "command" not in services["web"]  # the image's CMD: gunicorn
    worker = " ".join(services["worker"]["command"])
    beat = " ".join(services["beat"]["command"])
    assert "worker" in worker
    assert " -B" not in worker
    assert "beat" in beat
    assert "deploy" not in services["beat"]  # never replicated


def test_every_setting_read_from_the_environment_is_documented_in_env_example():
    settings_source = (ROOT / "operations" / "settings.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list|url)\(\s*"([A-Z_]+)"', settings_source))
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), flags=re.MULTILINE))
    assert read, "no settings found: has the settings module moved?"
    assert read - documented == set()


def test_compose_tells_postgres_its_storage_is_ssd():
    assert "random_page_cost=1.1" in compose()["services"]["postgres"]["command"]


def test_compose_publishes_gunicorn_on_this_host_only_by_default():
    # Reached directly, gunicorn would take a client's own X-Forwarded-For as
    # the proxy's, and the sign-in lockout could be dodged on every attempt.
    (published,) = compose()["services"]["web"]["ports"]
    assert published == "${WEB_BIND:-127.0.0.1}:8000:8000"
    assert "WEB_BIND" in (ROOT / ".env.example").read_text()
