from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.urls import reverse

from operations.core import context
from operations.core.models import Membership
from operations.core.network import client_ip


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


class SessionIdleRefresh:
    """Keeps SESSION_COOKIE_AGE an idle timeout without writing the session
    on every request: a signed-in session is saved (which moves its expiry
    and the cookie's on) when its last refresh is a minute old or more, so the
    idle timeout is exact to within that minute."""

    REFRESH_SECONDS = 60
    KEY = "_refreshed_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            if time.time() - session.get(self.KEY, 0) >= self.REFRESH_SECONDS:
                self.stamp(session)
        return response

    @classmethod
    def stamp(cls, session) -> None:
        """Marks the session saved now (sign-in saves it anyway)."""
        session[cls.KEY] = int(time.time())


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
                user.__dict__.pop("organisation_services", None)
                user.__dict__.pop("active_memberships", None)
        return self.get_response(request)


class ActingContextMiddleware:
    """Sets who is acting and from where (``operations.core.context``) for
    the rest of the request, so services and the audit log need not be handed
    the request; puts the previous context back after the response.

    The request id is the caller's X-Request-ID when it is short and safe
    (a proxy's, so its log lines and ours match), else a new one; either way
    it is sent back in the response's X-Request-ID."""

    HEADER = "X-Request-ID"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        signed_in = user.is_authenticated
        membership = user.active_membership if signed_in else None
        request_id = context.request_id_from(request.headers.get(self.HEADER))
        with context.acting(
            user_id=user.pk if signed_in else None,
            username=user.get_username() if signed_in else "",
            organisation_id=membership.organisation_id if membership is not None else None,
            client_address=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
            request_id=request_id,
            source="web",
        ):
            response = self.get_response(request)
        response.headers[self.HEADER] = request_id
        return response


class TwoFactorRequired:
    """Sends a person who must use two-factor authentication and has not
    verified this session to enrol or verify before any other page.

    The API is left to DRF's authentication classes (``operations.core.security``),
    which answer with a 403 rather than a redirect."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from operations.core.security import confirmed_device, two_factor_required

        user = request.user
        if (
            user.is_authenticated
            and not request.path_info.startswith(self._exempt_prefixes())
            and not user.is_verified()
            and two_factor_required(request)
        ):
            target = "two-factor-verify" if confirmed_device(user) is not None else "two-factor-setup"
            return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _exempt_prefixes() -> tuple[str, ...]:
        return (
            reverse("two-factor-setup"),  # also covers the verify page beneath it
            reverse("logout"),
            "/api/",
            f"/{settings.STATIC_URL.lstrip('/')}",
        )


class SecurityHeaders:
    """Content-Security-Policy and Permissions-Policy on every response.

    The policy has no 'unsafe-inline': templates load scripts and styles from
    static files only (tests/security/test_headers.py scans every template)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RefuseControlCharacters:
    """Refuses control characters where no person types them: anywhere in a
    query string, and NUL (or any control character but tab and line breaks)
    in a submitted form or JSON body. PostgreSQL cannot store NUL, so without
    this one place such input reached the database as a 500 from filters,
    choice fields and lookups. The answer is a 400 naming the field."""

    QUERY_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f]")
    BODY_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
    MESSAGE = "Remove the control character from this value: it cannot be stored."

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = self._first_bad_field(request)
        if field is not None:
            return self._refusal(request, field)
        return self.get_response(request)

    def _first_bad_field(self, request: HttpRequest) -> str | None:
        for key, values in request.GET.lists():
            if self.QUERY_FORBIDDEN.search(key) or any(self.QUERY_FORBIDDEN.search(v) for v in values):
                return self._name(key)
        if request.method not in ("POST", "PUT", "PATCH"):
            return None
        if request.content_type == "application/json":
            try:
                data = json.loads(request.body or b"null")
            except (ValueError, UnicodeDecodeError):
                return None  # not JSON: the API's parser answers that
            return self._bad_in_json(data, "")
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            try:
                fields = request.POST.lists()
            except MultiPartParserError:
                return None  # not a readable form: the view's parser answers that (DRF: a JSON 400)
            for key, values in fields:
                if self.BODY_FORBIDDEN.search(key) or any(self.BODY_FORBIDDEN.search(v) for v in values):
                    return self._name(key)
        return None

    def _bad_in_json(self, value, path: str) -> str | None:
        if isinstance(value, str):
            return path or "non_field_errors" if self.BODY_FORBIDDEN.search(value) else None
        if isinstance(value, dict):
            for key, item in value.items():
                if self.BODY_FORBIDDEN.search(str(key)):
                    return "non_field_errors"
                found = self._bad_in_json(item, path or str(key))
                if found:
                    return found
        if isinstance(value, list):
            for item in value:
                found = self._bad_in_json(item, path)
                if found:
                    return found
        return None

    def _name(self, key: str) -> str:
        return self.QUERY_FORBIDDEN.sub("", key) or "non_field_errors"

    def _refusal(self, request: HttpRequest, field: str) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            return JsonResponse({field: [self.MESSAGE]}, status=400)
        return HttpResponseBadRequest(
            render_to_string("400.html", {"field": field, "message": self.MESSAGE}), content_type="text/html"
        )
