"""Rows of Django's admin site outside the apps: its own pages, the base
layer's models, and the third-party models (auth, API tokens, lockout,
authenticators) only superusers reach. An app's admin models are in its module."""

from __future__ import annotations

from tests.security.matrix.answers import (
    LOGIN,
    REDIRECT,
    Case,
    admin_model,
    admin_only,
    answers,
)

# The admin site: managers of an organisation, scoped to it; superusers run the installation.
PAGES: dict[str, list[Case]] = {
    "admin:index": [Case(admin_only(200))],
    "admin:login": [Case(answers(*[LOGIN] * 6), note="one sign-in page for the whole site")],
    # Django's admin sends a non-manager's GET to the admin index (which sends them to sign in).
    "admin:logout": [Case(answers(LOGIN, REDIRECT, REDIRECT, REDIRECT, 405, REDIRECT, federation_officer=REDIRECT))],
    "admin:password_change": [Case(admin_only(200))],
    "admin:password_change_done": [Case(admin_only(200))],
    "admin:autocomplete": [Case(admin_only(403), note="no model named: refused")],
    "admin:jsi18n": [Case(admin_only(200))],
    "admin:view_on_site": [Case(admin_only(404), args=("service_content_type", "service"))],
    "admin:app_list": [Case(admin_only(200), args=("core",))],
    "admin/(?P<url>.*)$": [Case(admin_only(404), path="/admin/no-such-page/")],
    **admin_model(
        "core_service",
        "service",
        changelist=200,
        add=200,
        change=200,
        history=200,
        delete=403,
        other_organisation_obj="other_service",
    ),
    **admin_model("core_membership", "membership", changelist=200, add=403, change=200, history=200, delete=403),
    **admin_model(
        "core_organisation",
        "organisation",
        changelist=200,
        add=403,
        change=200,
        history=200,
        delete=403,
        other_organisation_obj="other_organisation",
    ),
    **admin_model("core_councilarea", "council_area", changelist=200, add=403, change=200, history=200, delete=403),
    # Superusers only: the audit log (managers use /audit/), users, heartbeats,
    # groups, API tokens, lockout records and authenticators.
    **admin_model("core_auditevent", "audit_event", changelist=403, add=403, change=403, history=403, delete=403),
    **admin_model("core_user", "volunteer_user", changelist=403, add=403, change=403, history=403, delete=403),
    "admin:auth_user_password_change": [Case(admin_only(403), args=("volunteer_user",))],
    **admin_model("core_workerheartbeat", "heartbeat", changelist=403, add=403, change=403, history=403, delete=403),
    # Federations and their officers (issue 24): superusers only.
    **admin_model("core_federation", "federation", changelist=403, add=403, change=403, history=403, delete=403),
    **admin_model("auth_group", "group", changelist=403, add=403, change=403, history=403, delete=403),
    **admin_model("authtoken_tokenproxy", "token_owner", changelist=403, add=403, change=403, history=403, delete=403),
    **admin_model("axes_accessattempt", "access_attempt", changelist=403, add=403, change=403, history=403, delete=403),
    **admin_model("axes_accesslog", "access_log", changelist=403, add=403, change=403, history=403, delete=403),
    **admin_model(
        "axes_accessfailurelog", "access_failure_log", changelist=403, add=403, change=403, history=403, delete=403
    ),
    **admin_model("otp_totp_totpdevice", "totp_device", changelist=403, add=403, change=403, history=403, delete=403),
    "admin:otp_totp_totpdevice_config": [Case(admin_only(403), args=("totp_device",))],
    "admin:otp_totp_totpdevice_qrcode": [Case(admin_only(403), args=("totp_device",))],
    **admin_model(
        "otp_static_staticdevice", "static_device", changelist=403, add=403, change=403, history=403, delete=403
    ),
}

# The admin site has no API operations.
API: dict[str, list[Case]] = {}
