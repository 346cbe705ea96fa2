"""Helpers for the outcomes tests and the permission matrix."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from referrals.models import Referral
from tests.factories import ParentFactory, ReferralFactory


def assessable_referral(*, organisation, service, days_ago: int = 30, **parent_fields) -> Referral:
    """A referral whose parent has a lawful basis for health data recorded."""
    parent = ParentFactory(organisation=organisation, lawful_basis_article9="not_for_profit", **parent_fields)
    return ReferralFactory(
        organisation=organisation,
        parent=parent,
        service=service,
        received_on=timezone.localdate() - timedelta(days=days_ago),
    )
