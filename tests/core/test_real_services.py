"""When CI says PostgreSQL and Redis are there, prove the suite really uses them."""

from __future__ import annotations

import os

import pytest
import redis
from django.db import connection


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_suite_runs_on_postgresql():
    assert connection.vendor == "postgresql"


@pytest.mark.redis
def test_redis_answers():
    assert redis.Redis.from_url(os.environ["REDIS_URL"]).ping() is True
