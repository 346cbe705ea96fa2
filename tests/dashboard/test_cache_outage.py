"""With the cache's Redis gone, the dashboard is counted afresh instead of
failing, and the outage is logged once a minute at most."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import caches
from django.urls import reverse

from operations.core import cache as forgiving

NOWHERE_DEFAULT = {
    "default": {
        "BACKEND": "operations.core.cache.ForgivingRedisCache",
        # Nothing listens on port 1: every call fails to connect.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture
def redis_down(settings, monkeypatch):
    settings.CACHES = {**settings.CACHES, **NOWHERE_DEFAULT}
    monkeypatch.setattr(forgiving, "_last_warning", 0.0)
    yield
    caches.close_all()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["dashboard:index", "dashboard:summary"])
def test_the_dashboard_is_counted_afresh_while_the_cache_is_down(redis_down, manager_client, url_name, caplog):
    with caplog.at_level(logging.WARNING, logger="operations.core.cache"):
        for _ in range(2):
            response = manager_client.get(reverse(url_name))
            assert response.status_code == 200
            assert "Referrals" in response.content.decode()
    warnings = [r for r in caplog.records if r.name == "operations.core.cache"]
    assert len(warnings) == 1  # several failed calls, one warning this minute
    assert "cache unavailable" in warnings[0].getMessage()


def test_a_read_is_a_miss_and_a_write_is_skipped():
    cache = forgiving.ForgivingRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    assert cache.get("key", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set("key", 1) is None
    assert cache.add("key", 1) is False
    assert cache.delete("key") is False
