"""The only framework internals the project relies on, each behind one
function: these tests fail when an upgrade of Celery or Django changes them."""

from __future__ import annotations

import pytest
from django.db import connection

from operations.celery import app as celery_app
from operations.core.models import Service
from tests.bench.export_bench import copy_sql
from tests.factories import ServiceFactory
from tests.worker import point_publisher_at, publisher_settings


def _pool_uri() -> str:
    return celery_app.pool.connection.as_uri()


def test_pointing_the_publisher_elsewhere_drops_the_pools_and_routes_celery_made_first():
    saved = publisher_settings(celery_app)
    before = _pool_uri()  # the pools as the app made them
    celery_app.amqp.router  # noqa: B018 -- and its router
    try:
        point_publisher_at(celery_app, broker_url="memory://", routes={"*": {"queue": "elsewhere"}})
        assert _pool_uri().startswith("memory://")
        assert celery_app.amqp.producer_pool.connections.connection.as_uri().startswith("memory://")
        route = celery_app.amqp.router.route({}, "operations.core.tasks.record_heartbeat")
        assert route["queue"].name == "elsewhere"
    finally:
        point_publisher_at(celery_app, **saved)
    assert _pool_uri() == before


@pytest.mark.django_db
def test_the_bench_copies_the_same_rows_the_queryset_reads(organisation):
    ServiceFactory(organisation=organisation, name="Befriending")
    queryset = Service.objects.filter(organisation=organisation).order_by("pk").values_list("pk", "name")
    sql, params = copy_sql(queryset)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert [tuple(row) for row in cursor.fetchall()] == list(queryset)
