"""Access helpers: the one way views and API endpoints find what a user may
touch. Scoping itself lives on each model's ``visible_to(user)``; these
helpers add the role checks and the 404 for anything out of reach."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from operations.core.models import Membership, Role, Service, active_membership


def require_membership(request: HttpRequest) -> Membership:
    """The caller's membership in the organisation they work in, or 403."""
    membership = active_membership(request.user)
    if membership is None:
        raise PermissionDenied("You are not a member of an organisation in this system.")
    return membership


def role_required(*roles: str) -> Callable:
    """Let through members whose role is one of ``roles``; 403 for others."""
    allowed = {Role(role) for role in roles}

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = require_membership(request)
            if membership.role not in allowed:
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_required = role_required(Role.COORDINATOR, Role.MANAGER)
manager_required = role_required(Role.MANAGER)


def get_service_for(user, pk: int) -> Service:
    return get_object_or_404(Service.objects.visible_to(user).select_related("organisation"), pk=pk)
