from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse

from operations.core.models import Membership


class HealthCheckMiddleware:
    """Serves /healthz ahead of host checks and the HTTPS redirect, so load
    balancers and container healthchecks can probe plain HTTP on localhost."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.rstrip("/") == "/healthz":
            from operations.core.views import healthz

            return healthz(request)
        return self.get_response(request)


class LoginRequired(LoginRequiredMiddleware):
    """Deny by default for pages. The API is left to DRF, which authenticates
    tokens itself and denies by default through DEFAULT_PERMISSION_CLASSES;
    redirecting an API client to an HTML login page would help nobody."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class CurrentMembershipMiddleware:
    """Makes sure a signed-in user works in an organisation they belong to.

    A user whose chosen organisation is unset or no longer theirs is moved
    to their first active membership, so every scoped query has one answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.active_membership is None:
            first = Membership.objects.active().filter(user_id=user.pk).order_by("pk").first()
            if first is not None:
                user.active_organisation_id = first.organisation_id
                user.save(update_fields=["active_organisation"])
                user.__dict__.pop("active_membership", None)
        return self.get_response(request)
