"""Recompute stored eligibility when a service's policy changes."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from operations.core.models import Service


@receiver(post_save, sender=Service, dispatch_uid="referrals-service-policy-changed")
def _service_saved(sender, instance: Service, created: bool, raw: bool = False, **kwargs) -> None:
    if created or raw:
        return
    from referrals.services import service_recompute_eligibility

    service_id = instance.pk
    transaction.on_commit(lambda: service_recompute_eligibility(service_id=service_id))
