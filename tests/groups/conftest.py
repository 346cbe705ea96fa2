"""Every groups test runs at a fixed moment: Thursday 26 November 2026,
10:00 in Edinburgh (UTC in winter). Sessions are generated from today."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

TODAY = dt.date(2026, 11, 26)
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now(request):
    if request.node.get_closest_marker("postgres"):
        # The race runs real threads against a real clock.
        yield NOW
        return
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
