"""Every volunteers test runs on a fixed day: due dates are computed from today."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC), tick=False):
        yield TODAY


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The personas' passwords are hashed on creation; a fast hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
