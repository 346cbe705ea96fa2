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


def test_compose_has_a_backup_service_that_up_does_not_start():
    backup = compose()["services"]["backup"]
    assert backup["profiles"] == ["backup"]  # run on a schedule, never by `docker compose up`
    assert backup["command"] == ["python", "manage.py", "backup"]
    assert backup["restart"] == "no"
    assert "${BACKUP_VOLUME:-backups}:/app/var/backups" in backup["volumes"]
    assert "backups" in compose()["volumes"]
    assert "BACKUP_VOLUME" in (ROOT / ".env.example").read_text()


def test_the_backup_service_sees_every_private_folder_the_app_writes():
    # A private folder mounted on the web app or the worker but not on the
    # backup service would silently be missing from every backup.
    services = compose()["services"]
    backup_mounts = set(services["backup"]["volumes"])
    for name in ("web", "worker"):
        for mount in services[name].get("volumes", []):
            assert mount in backup_mounts, f"{name} mounts {mount}, the backup service does not"


def test_the_image_has_pg_dump_of_the_compose_servers_major_version():
    # pg_dump refuses a server newer than itself: the image's client and the
    # compose server are upgraded together.
    dockerfile = (ROOT / "Dockerfile").read_text()
    (client_major,) = re.findall(r"^ARG POSTGRES_MAJOR=(\d+)$", dockerfile, flags=re.MULTILINE)
    assert "postgresql-client-${POSTGRES_MAJOR}" in dockerfile
    server_image = compose()["services"]["postgres"]["image"]
    assert server_image.startswith(f"postgres:{client_major}-") or server_image == f"postgres:{client_major}"
