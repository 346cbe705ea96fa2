from __future__ import annotations

import sys
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from operations.core import downloads, health, record_names, services
from operations.core import retention as retention_rules
from operations.core.access import get_service_for, manager_required, require_membership
from operations.core.audit import AuditAction, AuditEvent, audit_log
from operations.core.forms import AuditFilterForm, OTPTokenForm, RetentionForm, TwoFactorVerifyForm
from operations.core.models import Membership, Service
from operations.core.retention import RetentionRun
from operations.core.security import ENROLLED_SESSION_KEY, confirmed_device, two_factor_required
from operations.core.services import (
    recovery_code_use,
    recovery_codes_generate,
    recovery_codes_left,
    totp_device_confirm,
    totp_device_start,
    user_switch_organisation,
)


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": health.database_status(), "broker": health.broker_status()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


def service_list(request: HttpRequest) -> HttpResponse:
    require_membership(request)
    services = Service.objects.visible_to(request.user)
    return render(request, "core/service_list.html", {"services": services})


def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_service_for(request.user, pk)
    return render(request, "core/service_detail.html", {"service": service})


@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.active().select_related("organisation"),
        user_id=request.user.pk,
        organisation_id=request.POST.get("organisation"),
    )
    user_switch_organisation(user=request.user, membership=membership)
    messages.success(request, f"You are now working in {membership.organisation}.")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "home"
    return redirect(next_url)


def about(request: HttpRequest) -> HttpResponse:
    """What this system is and holds. Also the benchmark suite's floor: the
    cheapest signed-in page through the same middleware and base template."""
    return render(request, "core/about.html", {"source_code_url": settings.SOURCE_CODE_URL})


def account(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own page: role, password and two-factor status."""
    return render(
        request,
        "core/account.html",
        {
            "device": confirmed_device(request.user),
            "two_factor_required": two_factor_required(request),
            "recovery_codes_left": recovery_codes_left(request.user),
        },
    )


@never_cache
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the key), then
    confirm with one code. Shown instead of any page to a person whose role
    requires two-factor authentication and who has not enrolled."""
    if confirmed_device(request.user) is not None:
        return redirect(_safe_next(request, "account") if request.user.is_verified() else "two-factor-verify")
    device = totp_device_start(user=request.user)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_device_confirm(device=device, token=form.cleaned_data["otp_token"]):
            otp_login(request, device)
            request.session[ENROLLED_SESSION_KEY] = True
            messages.success(request, "Two-factor authentication is on. You will be asked for a code at each sign-in.")
            return _show_recovery_codes(request, recovery_codes_generate(user=request.user))
        form.add_error("otp_token", "That code did not match. Check the time on your phone and try the newest code.")
    uri = device.config_url
    return render(
        request,
        "core/two_factor_setup.html",
        {
            "form": form,
            "otpauth_uri": uri,
            "secret": b32encode(device.bin_key).decode(),
            "qr_data_uri": segno.make(uri, error="m").svg_data_uri(scale=4, dark="#000", light="#fff"),
            "next": request.GET.get("next", ""),
        },
    )


@never_cache
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in, for anyone with an enrolled authenticator."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect(f"{reverse('two-factor-setup')}?{request.GET.urlencode()}")
    if request.user.is_verified():
        return redirect(_safe_next(request, "home"))
    form = TwoFactorVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["otp_token"]
        if form.is_recovery_code:
            recovery = recovery_code_use(user=request.user, typed=token)
            if recovery is not None:
                otp_login(request, recovery)
                left = recovery_codes_left(request.user)
                messages.warning(
                    request,
                    f"You signed in with a recovery code; it will not work again. {left} left. "
                    "If your phone is lost, ask for the old authenticator to be removed and make new codes.",
                )
                return redirect(_safe_next(request, "home"))
        else:
            allowed, _ = device.verify_is_allowed()
            if allowed and device.verify_token(token):
                otp_login(request, device)
                audit_log(action=AuditAction.LOGIN, actor=request.user, summary="Two-factor code accepted")
                return redirect(_safe_next(request, "home"))
        audit_log(action=AuditAction.LOGIN_FAILED, actor=request.user, summary="Wrong two-factor code")
        form.add_error(
            "otp_token",
            "That code did not match. Try the newest code, or a recovery code you have not used; after several "
            "wrong codes you must wait a little.",
        )
    return render(request, "core/two_factor_verify.html", {"form": form, "next": request.GET.get("next", "")})


def _show_recovery_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    """The only time the codes are shown: the page is not cached and they are
    stored only as single-use secrets."""
    return render(request, "core/two_factor_recovery_codes.html", {"codes": codes, "next": _safe_next(request, "home")})


@never_cache
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many recovery codes are left, and a button to make new ones
    (the old ones then stop working). Needs a verified sign-in: this page is
    under the two-factor pages that the enforcing middleware lets through."""
    if confirmed_device(request.user) is None:
        return redirect("two-factor-setup")
    if not request.user.is_verified():
        return redirect(f"{reverse('two-factor-verify')}?{urlencode({'next': request.get_full_path()})}")
    if request.method == "POST":
        return _show_recovery_codes(request, recovery_codes_generate(user=request.user))
    return render(request, "core/two_factor_recovery_status.html", {"left": recovery_codes_left(request.user)})


AUDIT_PAGE_SIZE = 50


#: The audit log's download: the page's columns, the browser written out.
AUDIT_COLUMNS = [
    downloads.Column("When", lambda event: event.created_at),
    downloads.Column("Who", lambda event: event.actor_username),
    downloads.Column("Action", lambda event: event.get_action_display()),
    # Kind and number ("Referral #41"): a download of 50,000 rows names no one and reads nothing more.
    downloads.Column(
        "Record",
        lambda event: f"{record_names.type_words(event.object_type)} #{event.object_id}" if event.object_type else "",
    ),
    downloads.Column("Summary", lambda event: event.summary),
    downloads.Column("Address", lambda event: event.ip_address),
    downloads.Column("Browser", lambda event: event.user_agent),
    downloads.Column("Request id", lambda event: event.request_id),
]


@manager_required
def audit_log_list(request: HttpRequest) -> HttpResponse:
    """Managers search their organisation's audit log. Read-only: nothing in
    the application edits or deletes an audit event."""
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.visible_to(request.user)
    if form.is_bound and form.is_valid():
        events = events.search(**form.cleaned_data)
    elif form.is_bound:
        events = events.none()
    if fmt := downloads.requested_format(request):
        return downloads.download(
            request,
            fmt=fmt,
            title="Audit log",
            filename="audit-log",
            columns=AUDIT_COLUMNS,
            rows=events.iterator(chunk_size=2000),
            filters=downloads.filters_described(form),
        )
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    # Each record in words with a link where the manager may open it: one query per kind of record on the page.
    names = record_names.record_names(request.user, ((event.object_type, event.object_id) for event in page))
    rows = [(event, names.get((event.object_type, event.object_id))) for event in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "core/audit_list.html", {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    )


def _safe_next(request: HttpRequest, default: str) -> str:
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse(default)


@manager_required
def retention(request: HttpRequest) -> HttpResponse:
    """Retention periods per kind of record, dry runs and applying them."""
    membership = require_membership(request)
    organisation_id = membership.organisation_id
    current = retention_rules.months_for(organisation_id)
    form = RetentionForm(request.POST or None, rules=retention_rules.rules(), initial=current)
    action = request.POST.get("action")
    if request.method == "POST":
        if action == "save" and form.is_valid():
            services.retention_settings_save(
                organisation_id=organisation_id, months=form.cleaned_data, actor=request.user
            )
            messages.success(request, "Retention periods saved. Run a dry run to see what they would remove.")
            return redirect("retention")
        if action == "dry-run":
            retention_rules.retention_dry_run(organisation_id=organisation_id, by=request.user)
            return redirect("retention")
        if action == "apply":
            dry_run = get_object_or_404(
                RetentionRun.objects.filter(organisation_id=organisation_id, dry_run=True, applied_at__isnull=True),
                pk=request.POST.get("run"),
            )
            run = retention_rules.retention_apply(dry_run=dry_run, by=request.user)
            messages.success(request, f"Applied: {sum(run.counts.values())} records removed or anonymised.")
            return redirect("retention")
    labels = {key: rule.label for key, rule in retention_rules.rules().items()}
    runs = [
        (run, [(labels.get(key, key), count) for key, count in run.counts.items()])
        for run in RetentionRun.objects.filter(organisation_id=organisation_id).select_related("by")[:12]
    ]
    fixed = [(rule.label, rule.period_set_by) for rule in retention_rules.rules().values() if rule.period_set_by]
    return render(request, "core/retention.html", {"form": form, "runs": runs, "fixed": fixed})


#: A database that cannot be reached for a moment (a restart, a fail-over, a
#: full connection pool) is not a bug: people are told to try again shortly.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: 503 with Retry-After while the database is out of reach,
    Django's plain 500 page otherwise. Rendered without a request context: the
    context processors would ask the database again."""
    if isinstance(sys.exception(), DATABASE_UNAVAILABLE):
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": "The system will be back shortly. Try again in a minute."}, status=503)
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(render_to_string("500.html"), status=500)


_logout = LogoutView.as_view()


def sign_out(request: HttpRequest) -> HttpResponse:
    """Django's sign-out, which also tells the browser to forget what the
    phone app kept (its caches, its queue and its worker): on a shared phone
    the next person finds nothing of the families. The phone's page warns
    first when something is not sent yet (matching/phone.js)."""
    response = _logout(request)
    if request.method == "POST":
        response["Clear-Site-Data"] = '"cache", "storage"'
    return response
