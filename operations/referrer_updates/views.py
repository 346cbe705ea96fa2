"""Pages of word back to the referrer: the public status page a referrer
opens from an update, a coordinator's note, and the managers' wording."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from operations.core.access import manager_required, require_membership, staff_required
from operations.core.audit import AuditAction, audit_log
from operations.core.dates import short_date
from operations.core.forms import apply_service_errors
from operations.core.network import client_ip
from operations.referrer_updates import services, status_link
from operations.referrer_updates.forms import ReferrerNoteForm, ReferrerUpdateSettingsForm
from operations.referrer_updates.selectors import settings_for
from referrals.access import get_referral_for
from referrals.for_referrers import referral_reference, status_for_referrer


def _over_the_limit(request: HttpRequest) -> bool:
    """Counts this address's opens of status links in a fixed window
    (Django's cache; shared by every web process when it is Redis): guessing
    links fails on the signature anyway, the limit keeps it slow and cheap."""
    key = f"referrer-status-opens:{client_ip(request) or 'unknown'}"
    window = settings.REFERRER_STATUS_RATE_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        opens = cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first of a new window
        cache.set(key, 1, timeout=window)
        opens = 1
    return opens > settings.REFERRER_STATUS_RATE_LIMIT


def _public(response: HttpResponse) -> HttpResponse:
    # A private link: never indexed, never kept by a shared cache.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_not_required
@never_cache
@require_GET
def status_page(request: HttpRequest, token: str) -> HttpResponse:
    """What a referrer sees from the link in an update: the reference, the
    service, the state in words and two dates. Every failure (forged,
    expired, no longer allowed) is the same plain page."""
    if _over_the_limit(request):
        return _public(render(request, "referrer_updates/status_too_many.html", status=429))
    referral = status_link.referral_for_token(token)
    if referral is None:
        audit_log(action=AuditAction.VIEW, summary="Referral status link refused (not valid, expired or withdrawn)")
        return _public(render(request, "referrer_updates/status_unavailable.html", status=404))
    audit_log(
        action=AuditAction.VIEW,
        obj=referral,
        organisation=referral.organisation_id,
        summary="Referral status opened through the referrer's link",
    )
    context = {
        "organisation": referral.organisation.name,
        "reference": referral_reference(referral.pk),
        "service": referral.service.name,
        "status": status_for_referrer(referral.status),
        "received": short_date(referral.received_on),
        "changed": short_date(timezone.localtime(referral.status_changed_at).date()),
    }
    return _public(render(request, "referrer_updates/status.html", context))


@staff_required
@require_POST
def note_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Sends a coordinator's note to the referral's referrer; on refusal
    the note comes back with its errors, nothing sent."""
    referral = get_referral_for(request.user, pk)
    form = ReferrerNoteForm(request.POST)
    if form.is_valid():
        try:
            services.referrer_note_send(
                actor=request.user, referral=referral, text=form.cleaned_data["text"], key=form.cleaned_data["key"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Your note to the referrer is on its way.")
            return redirect("referrals:referral-detail", referral.pk)
    return render(request, "referrer_updates/note_form.html", {"form": form, "referral": referral}, status=400)


@manager_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    """The organisation's wording of each update to referrers."""
    membership = require_membership(request)
    form = ReferrerUpdateSettingsForm(request.POST or None, instance=settings_for(membership.organisation_id))
    if request.method == "POST" and form.is_valid():
        services.referrer_update_settings_save(form=form, actor=request.user)
        messages.success(request, "Wording saved. The next updates to referrers use it.")
        return redirect("referrer_updates:settings")
    return render(
        request, "referrer_updates/settings.html", {"form": form, "link_days": settings.REFERRER_STATUS_LINK_DAYS}
    )
