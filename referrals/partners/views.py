"""Managers' pages for partner API credentials: list, make (the token is
shown once, on the answer to the form), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from operations.core.access import manager_required, require_membership
from operations.core.forms import apply_service_errors
from referrals.partners import services
from referrals.partners.access import get_credential_for
from referrals.partners.forms import PartnerCredentialForm
from referrals.partners.models import PartnerCredential


@manager_required
def credential_list(request: HttpRequest) -> HttpResponse:
    credentials = (
        PartnerCredential.objects.visible_to(request.user)
        .select_related("referring_organisation", "referrer", "created_by")
        .annotate(referrals=Count("referrals_made"))
        .order_by("-created_at", "-pk")
    )
    return render(request, "partners/credential_list.html", {"credentials": credentials})


@manager_required
@never_cache
def credential_new(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    form = PartnerCredentialForm(request.POST or None, organisation_id=membership.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            credential, token = services.partner_credential_create(
                actor=request.user, organisation=membership.organisation, data=form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            # The only time the token is shown: it is not stored, and this answer is never cached.
            return render(request, "partners/credential_made.html", {"credential": credential, "token": token})
    return render(request, "partners/credential_form.html", {"form": form})


@manager_required
@require_POST
def credential_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    credential = get_credential_for(request.user, pk)
    try:
        services.partner_credential_revoke(actor=request.user, credential=credential)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"“{credential.name}” is revoked: its token no longer works.")
    return redirect("partners:list")
