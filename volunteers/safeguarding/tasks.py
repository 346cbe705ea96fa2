"""Thin tasks: a service call, nothing personal in the arguments."""

from __future__ import annotations

from celery import shared_task

from volunteers.safeguarding import services


@shared_task(name="volunteers.safeguarding.tasks.escalate_concerns", acks_late=True, soft_time_limit=50, time_limit=55)
def escalate_concerns() -> int:
    """Escalates every concern nobody acknowledged in time. Safe to run
    twice at once or again after a lost run: the service claims each concern
    with a conditional update, so each escalates exactly once."""
    return services.concerns_escalate()
