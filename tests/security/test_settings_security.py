"""The security settings as production and development mode read them."""

from __future__ import annotations

import json

from tests.core.test_settings import PRODUCTION_ENV, run_manage

PRINT = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'roles': s.TWO_FACTOR_REQUIRED_ROLES, 'limit': s.AXES_FAILURE_LIMIT,"
    "'minutes': s.AXES_COOLOFF_TIME.total_seconds() / 60, 'idle': s.SESSION_COOKIE_AGE}))"
)


def read(env: dict[str, str]) -> dict:
    result = run_manage("shell", "-c", PRINT, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_requires_two_factor_of_coordinators_and_managers():
    assert read(PRODUCTION_ENV) == {"roles": ["coordinator", "manager"], "limit": 5, "minutes": 60.0, "idle": 1800}


def test_development_mode_requires_it_of_nobody_unless_told():
    development = {**PRODUCTION_ENV, "DEBUG": "1"}
    assert read(development)["roles"] == []
    assert read({**development, "TWO_FACTOR_REQUIRED_ROLES": "manager"})["roles"] == ["manager"]


def test_every_setting_comes_from_the_environment():
    env = {
        **PRODUCTION_ENV,
        "TWO_FACTOR_REQUIRED_ROLES": "none",
        "LOGIN_FAILURE_LIMIT": "3",
        "LOGIN_LOCKOUT_MINUTES": "15",
        "SESSION_IDLE_MINUTES": "10",
    }
    assert read(env) == {"roles": [], "limit": 3, "minutes": 15.0, "idle": 600}
