"""Settings come only from the environment; bad values stop start-up with one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from operations.env import SettingError, env_bool, env_int, env_list, env_str, env_url

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-for-tests-only-9f8a7c6e5d4b3a2f1e0d9c8b7a6f5e4d3c2b1a0",
    "ALLOWED_HOSTS": "peer.example.org",
    "DATABASE_URL": "sqlite:////tmp/settings-test.sqlite3",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("Yes", True), ("0", False), ("off", False), ("", False)]
)
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", default=not expected) is expected


def test_env_bool_rejects_anything_else_naming_the_variable(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(SettingError, match="FLAG must be true or false"):
        env_bool("FLAG", default=False)


def test_env_int_rejects_words_and_values_below_minimum(monkeypatch):
    monkeypatch.setenv("SIZE", "ten")
    with pytest.raises(SettingError, match="SIZE must be a whole number"):
        env_int("SIZE", 1)
    monkeypatch.setenv("SIZE", "-1")
    with pytest.raises(SettingError, match="SIZE must be at least 0"):
        env_int("SIZE", 1, minimum=0)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example.org, b.example.org ,")
    assert env_list("HOSTS") == ["a.example.org", "b.example.org"]


def test_missing_required_value_names_it(monkeypatch):
    monkeypatch.delenv("NEEDED", raising=False)
    with pytest.raises(SettingError, match="NEEDED is required"):
        env_str("NEEDED")


def test_secret_can_come_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("TOKEN_FILE", str(secret))
    assert env_str("TOKEN") == "from-a-file"


def test_url_with_wrong_scheme_is_refused(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://db/test")
    with pytest.raises(SettingError, match="DATABASE_URL must be a URL starting with"):
        env_url("DATABASE_URL", None, schemes=("sqlite", "postgres"))


@pytest.mark.parametrize(
    ("override", "variable"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"DATABASE_URL": "mysql://db/test"}, "DATABASE_URL"),
        ({"DEBUG": "perhaps"}, "DEBUG"),
        ({"SESSION_IDLE_MINUTES": "half an hour"}, "SESSION_IDLE_MINUTES"),
        ({"LOGIN_FAILURE_LIMIT": "0"}, "LOGIN_FAILURE_LIMIT"),
        ({"LOGIN_LOCKOUT_MINUTES": "an hour"}, "LOGIN_LOCKOUT_MINUTES"),
        ({"TWO_FACTOR_REQUIRED_ROLES": "coordinator,admin"}, "TWO_FACTOR_REQUIRED_ROLES"),
    ],
)
def test_start_up_stops_with_one_clear_line(override, variable):
    result = run_manage("check", env={**PRODUCTION_ENV, **override})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Configuration error:")
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _database_options(env: dict[str, str]) -> str:
    code = "from django.conf import settings; print(sorted(settings.DATABASES['default'].get('OPTIONS', {}).items()))"
    result = run_manage("shell", "-c", code, env={**PRODUCTION_ENV, **env})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_postgresql_sends_parameters_apart_so_statements_can_be_prepared_unless_turned_off():
    postgres = {"DATABASE_URL": "postgres://db.example.org:5432/peer"}
    options = _database_options(postgres)
    assert "('server_side_binding', True)" in options
    assert "('prepare_threshold', 5)" in options
    assert "server_side_binding" not in _database_options({**postgres, "DB_PREPARED_STATEMENTS": "0"})
    assert "server_side_binding" not in _database_options({})  # SQLite has no such thing
