"""Checks behind /healthz: can we reach the database and the broker?"""

from __future__ import annotations

import logging

from django.db import connection

from operations.celery import app

logger = logging.getLogger(__name__)


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ok"; the reason is logged
        logger.warning("health: database check failed: %s", exc.__class__.__name__)
        return "unavailable"
    return "ok"


def broker_status() -> str:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        logger.warning("health: broker check failed: %s", exc.__class__.__name__)
        return "unavailable"
    return "ok"
