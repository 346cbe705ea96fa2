from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from operations.core import health
from operations.core.access import get_service_for, require_membership
from operations.core.models import Membership, Service
from operations.core.services import user_switch_organisation


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": health.database_status(), "broker": health.broker_status()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


def home(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    services = Service.objects.visible_to(request.user).active()
    areas = membership.organisation.council_areas.all()
    # Each role's home template shows what that role works on.
    return render(
        request,
        f"core/home_{membership.role}.html",
        {"services": services, "council_areas": areas},
    )


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
    return render(request, "core/about.html")
