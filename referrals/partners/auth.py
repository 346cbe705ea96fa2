"""The partner API's authentication: ``Authorization: Bearer <token>`` with
a partner credential's token. It is the only authentication of the partner
endpoints, and no other endpoint accepts it: it gives no user and no
session, so everywhere else a partner token is "not signed in" (401)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission

from operations.core import context
from referrals.partners.models import PartnerCredential
from referrals.partners.services import partner_credential_for_token

KEYWORD = "Bearer"
INVALID = "The partner token is not valid, or it was revoked. Ask the charity for a new one."


class PartnerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request) -> tuple[AnonymousUser, PartnerCredential] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Give the partner token after “Bearer ”, as one word.")
        try:
            token = parts[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(INVALID) from None
        credential = partner_credential_for_token(token)
        if credential is None:
            raise exceptions.AuthenticationFailed(INVALID)
        # The audit log names the credential (the middleware ran before DRF knew who calls).
        context.identify(
            user_id=None, username=f"partner credential #{credential.pk}", organisation_id=credential.organisation_id
        )
        return AnonymousUser(), credential

    def authenticate_header(self, request) -> str:
        return f'{KEYWORD} realm="partner API"'


class IsPartner(BasePermission):
    message = "Only a partner system's credential may do this."

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, PartnerCredential)


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    """Documents the partner token in the OpenAPI schema."""

    target_class = "referrals.partners.auth.PartnerTokenAuthentication"
    name = "partnerToken"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A partner system's token (made by the charity's manager; shown once). "
            "Only the /api/v1/partner/ endpoints accept it.",
        }
