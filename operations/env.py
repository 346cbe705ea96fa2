"""Typed readers for environment variables: the only place settings come from.

Every reader raises ``SettingError`` naming the variable when a value is
missing or malformed, so start-up stops with one line a person can act on
(``manage.py``, ``wsgi.py`` and the Celery app print it and exit).
A secret may also be given as ``<NAME>_FILE``: the path of a file holding it,
as Docker and Kubernetes secrets are mounted.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_MISSING = object()


class SettingError(ImproperlyConfigured):
    """A required environment variable is missing or malformed."""


def _raw(name: str) -> str | None:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text().strip()
        except OSError as exc:
            raise SettingError(f"{name}_FILE: cannot read {file_path} ({exc.strerror})") from None
    return os.environ.get(name)


def env_str(name: str, default: str | object = _MISSING) -> str:
    value = _raw(name)
    if value is None or value == "":
        if default is _MISSING:
            raise SettingError(f"{name} is required but not set")
        return default  # type: ignore[return-value]
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise SettingError(f"{name} must be true or false (1/0, yes/no, on/off), got {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingError(f"{name} must be a whole number, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise SettingError(f"{name} must be at least {minimum}, got {number}")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None or value.strip() == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_url(name: str, default: str | None, *, schemes: tuple[str, ...]) -> str | None:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme not in schemes:
        allowed = ", ".join(f"{s}://" for s in schemes)
        raise SettingError(f"{name} must be a URL starting with {allowed}, got {value!r}")
    return value


def env_prefixed(prefix: str) -> dict[str, str]:
    """Every variable named ``<prefix><NAME>`` (or ``<prefix><NAME>_FILE``)
    as ``{NAME: value}``: for libraries configured by a dict of names that
    depend on the operator's choice, such as django-anymail's provider keys."""
    names = {key[len(prefix) :].removesuffix("_FILE") for key in os.environ if key.startswith(prefix)}
    found = {name: _raw(prefix + name) for name in sorted(names) if name}
    return {name: value for name, value in found.items() if value}
