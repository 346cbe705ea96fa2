"""The volunteer's phone app: the service worker (at the site's root, so it
controls every page), the web app manifest, the page shown without signal,
and the list of her own families the phone keeps (volunteers.matching.phone)."""

from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from operations.core.access import require_membership
from volunteers.matching.phone import phone_families

#: What the volunteer's pages load, kept by the worker so they open without signal.
SHELL_FILES = (
    "vendor/bootstrap/bootstrap.min.css",
    "core/site.css",
    "vendor/htmx/htmx.min.js",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "core/confirm.js",
    "matching/matching.css",
    "matching/draft.js",
    "matching/phone.js",
    "safeguarding/raising.css",
    "matching/phone/icon-192.png",
)
#: Bumped when the worker's own logic changes (file versions change it too).
WORKER_VERSION = "1"
THEME_COLOUR = "#0d6efd"


def _shell_version() -> str:
    # The cache-busted names (whitenoise's manifest) change with every file:
    # a new version of any of them makes a new worker and a fresh cache.
    names = "".join(static(name) for name in SHELL_FILES)
    return hashlib.sha256(f"{WORKER_VERSION}:{names}".encode()).hexdigest()[:12]


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    context = {"version": _shell_version(), "shell_files": SHELL_FILES}
    response = render(request, "matching/phone/sw.js", context, content_type="text/javascript; charset=utf-8")
    # The browser must see a new worker at once, never a stale copy of it.
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    body = {
        "name": "Peer support",
        "short_name": "Peer support",
        "description": "Your families, contact logs and visits, with or without signal.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static("matching/phone/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("matching/phone/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("matching/phone/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(body, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_not_required
@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the worker when a page is not kept on the phone and there is
    no signal: the families the phone keeps and what waits to be sent are
    filled in by matching/phone.js. Nothing personal in the page itself."""
    return render(request, "matching/phone/offline.html")


@require_GET
@never_cache
def families(request: HttpRequest) -> JsonResponse:
    require_membership(request)
    return JsonResponse({"families": phone_families(request.user)})
