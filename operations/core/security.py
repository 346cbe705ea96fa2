"""Sign-in protection: lockout answers, two-factor rules and the API's
authentication classes that enforce them.

Who must use two-factor authentication is decided here and nowhere else:
a person whose role in the organisation they work in is listed in
``TWO_FACTOR_REQUIRED_ROLES``, or anyone who has enrolled an authenticator
(their sign-in then needs it too; the flag is set in the session at login).
"""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models import Q, QuerySet
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication

from operations.core import context
from operations.core.models import Membership, User, active_membership

#: Session key set at sign-in when the person has a confirmed authenticator.
ENROLLED_SESSION_KEY = "two_factor_enrolled"

TWO_FACTOR_API_MESSAGE = (
    "Two-factor authentication is required for your account: enrol or verify on the website, "
    "or request a token with your authenticator code (otp_token)."
)


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """What a locked-out person sees (django-axes' AXES_LOCKOUT_CALLABLE):
    a page for people, a JSON error for API clients, never a 500."""
    minutes = lockout_minutes()
    message = f"Too many failed sign-in attempts. Try again in {minutes} minutes, or ask your manager for help."
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "registration/locked_out.html", {"message": message, "minutes": minutes}, status=429)


def sign_in_attempts_due(organisation_id: int, cutoff: dt.datetime) -> QuerySet[AccessAttempt]:
    """Lockout counters (a typed username, an address, a browser) older than
    the period: those naming a member of the organisation, and those naming
    nobody we know, which belong to no organisation and would otherwise be
    kept for ever. django-axes drops counters itself after the lockout time,
    but only when someone signs in; this rule is the backstop."""
    members = User.objects.filter(memberships__organisation_id=organisation_id).values("username")
    known = User.objects.values("username")
    return AccessAttempt.objects.filter(attempt_time__lt=cutoff).filter(
        Q(username__in=members) | Q(username__isnull=True) | ~Q(username__in=known)
    )


def sign_in_attempts_remove(attempts: QuerySet[AccessAttempt]) -> int:
    _, per_model = attempts.delete()
    return per_model.get(AccessAttempt._meta.label, 0)


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def role_requires_two_factor(role: str | None) -> bool:
    return role is not None and role in settings.TWO_FACTOR_REQUIRED_ROLES


def two_factor_required(request: HttpRequest) -> bool:
    """Whether this signed-in request must be verified with a second factor."""
    if request.session.get(ENROLLED_SESSION_KEY):
        return True
    membership = active_membership(request.user)
    return membership is not None and role_requires_two_factor(membership.role)


def user_requires_two_factor(user: User) -> bool:
    """For token requests, where no organisation is chosen yet: any role that needs it."""
    if not settings.TWO_FACTOR_REQUIRED_ROLES:
        return False
    return Membership.objects.active().filter(user_id=user.pk, role__in=settings.TWO_FACTOR_REQUIRED_ROLES).exists()


@receiver(user_logged_in)
def _start_idle_clock(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        from operations.core.middleware import SessionIdleRefresh

        SessionIdleRefresh.stamp(request.session)


@receiver(user_logged_in)
def _remember_enrolment(sender, request, user, **kwargs) -> None:
    # Someone who enrolled an authenticator voluntarily is asked for it at
    # every sign-in; deciding it once here keeps each later request query-free.
    if request is not None and hasattr(request, "session"):
        request.session[ENROLLED_SESSION_KEY] = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


class TwoFactorSessionAuthentication(SessionAuthentication):
    """Session API calls: refused until a required second factor is verified."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, auth = result
        if two_factor_required(request._request) and not user.is_verified():
            raise exceptions.AuthenticationFailed(TWO_FACTOR_API_MESSAGE)
        return user, auth


class TwoFactorTokenAuthentication(TokenAuthentication):
    """Token API calls: a token is only issued after the second factor (see
    ``obtain_token``), so a token is trusted as verified; a token of a user
    whose role needs two-factor but who has no authenticator (a token made
    before the rule, or by an administrator) is refused."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        membership = active_membership(user)
        if membership is not None and role_requires_two_factor(membership.role) and confirmed_device(user) is None:
            raise exceptions.AuthenticationFailed(TWO_FACTOR_API_MESSAGE)
        # The middleware ran before DRF knew who holds the token.
        context.identify(
            user_id=user.pk,
            username=user.get_username(),
            organisation_id=membership.organisation_id if membership is not None else None,
        )
        return user, token


class TwoFactorSessionScheme(SessionScheme):
    """Documents the session class in the OpenAPI schema like DRF's own."""

    target_class = "operations.core.security.TwoFactorSessionAuthentication"
