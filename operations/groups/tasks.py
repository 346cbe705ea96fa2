"""Celery tasks of the groups app: thin, they call a service."""

from __future__ import annotations

from celery import shared_task

from operations.groups.services import sessions_generate_all


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def generate_group_sessions() -> int:
    """Creates every active group's sessions for the weeks ahead. Idempotent:
    an occurrence that exists is left alone, so a retry or a second run
    creates nothing twice."""
    return sessions_generate_all()
