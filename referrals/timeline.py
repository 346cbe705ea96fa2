"""The referrals app's entries on a parent's timeline (found by
``operations.core.timeline``): each move of her referrals, and births and
losses. Two queries at most, whatever the length of her history."""

from __future__ import annotations

from django.urls import reverse

from operations.core.timeline import Entry, at, on
from referrals.models import Child, Referral, ReferralTransition
from referrals.workflow import Status

KINDS = {
    "referral": "Referral moves",
    "birth": "Births and losses",
}


def entries(parent, *, user, kinds: frozenset[str], limit: int) -> list[Entry]:
    found: list[Entry] = []
    if "referral" in kinds:
        found += _moves(parent, user=user, limit=limit)
    if "birth" in kinds:
        found += _births(parent, user=user, limit=limit)
    return found


def _moves(parent, *, user, limit: int) -> list[Entry]:
    labels = dict(Status.choices)
    moves = (
        ReferralTransition.objects.filter(referral__parent=parent, referral__in=_visible_referrals(user))
        .select_related("referral__service", "by")
        .order_by("-at", "-pk")[:limit]
    )
    found = []
    for move in moves:
        service = move.referral.service.name
        if move.from_status:
            moved = f"{labels[move.from_status].lower()} to {labels[move.to_status].lower()}"
            label = f"Referral for {service} moved from {moved}"
        else:
            label = f"Referral for {service} received"
        found.append(
            at(
                move.at,
                kind="referral",
                label=label,
                link=reverse("referrals:referral-detail", args=[move.referral_id]),
                detail=move.reason,
                by=f"by {move.by}" if move.by else "",
            )
        )
    return found


def _visible_referrals(user):
    return Referral.objects.visible_to(user).values("pk")


def _births(parent, *, user, limit: int) -> list[Entry]:
    # A parent has a handful of children and pregnancies: all are read in one query.
    children = Child.objects.visible_to(user).filter(parent=parent).exclude(birth_date=None, loss_date=None)
    found = []
    for child in children:
        if child.birth_date:
            found.append(on(child.birth_date, kind="birth", label="Birth", detail=child.name))
        if child.loss_date:
            label = f"Baby loss ({child.get_loss_kind_display().lower()})"
            found.append(on(child.loss_date, kind="birth", label=label))
    return found
