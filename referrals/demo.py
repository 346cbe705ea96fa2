"""Demo data of the referrals app, called by `manage.py seed_demo` after the
organisations, services and users exist. Must be idempotent."""

from __future__ import annotations


def seed(*, organisations: dict, users: dict) -> None:
    """Nothing to add yet: this app has no models so far."""
