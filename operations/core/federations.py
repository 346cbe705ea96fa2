"""Federations: the federation officer role and what members share.

A federation officer belongs to a federation (``FederationMembership``), not
to any organisation, so every model's ``visible_to(user)`` gives them nothing.
The federation pages (``/federation/``) are the only ones they may open, and
what those pages count comes from ``sharing_members``: the members whose
manager switched sharing on. Nothing of a member that does not share is
counted anywhere federation-wide, and what is shown is suppressed for
publication, never a record.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from operations.core.models import Federation, Organisation


def federation_of(user) -> Federation | None:
    """The federation ``user`` works in as its officer, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    membership = user.federation_membership
    return membership.federation if membership is not None else None


def is_federation_officer(user) -> bool:
    return federation_of(user) is not None


def sharing_members(federation: Federation | None):
    """The members of ``federation`` that share their figures with it (none
    for no federation). The one place that decides whose figures count."""
    if federation is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(member_of=federation, shares_with_federation=True).order_by("name")


def federation_officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let through federation officers only (403 for everyone else); the
    view finds the federation with ``federation_of(request.user)``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_federation_officer(request.user):
            raise PermissionDenied("Only a federation's officers can open this page.")
        return view(request, *args, **kwargs)

    return wrapper
