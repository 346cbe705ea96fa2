"""Writes for the base layer: typed, keyword-only, one transaction each."""

from __future__ import annotations

from django.db import transaction

from operations.core.models import Membership, User


@transaction.atomic
def user_switch_organisation(*, user: User, membership: Membership) -> None:
    if membership.user_id != user.pk or not membership.is_active:
        raise ValueError("A user can only switch to an organisation they belong to.")
    user.active_organisation_id = membership.organisation_id
    user.save(update_fields=["active_organisation"])
    user.__dict__.pop("active_membership", None)
