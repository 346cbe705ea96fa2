"""Thin tasks of the online forms: a service call each."""

from __future__ import annotations

from celery import shared_task

from referrals.online import services


@shared_task(name="referrals.online.tasks.purge_spam", acks_late=True, soft_time_limit=120, time_limit=180)
def purge_spam() -> int:
    return services.online_spam_purge()
