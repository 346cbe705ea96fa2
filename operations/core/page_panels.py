"""Panels that a higher layer adds to a lower layer's pages, such as the
outcome measures (operations/outcomes) on a parent's page (referrals/). The
higher app says them in its ``page_panels.py`` (``PANELS``: page name ->
panels), found by convention; the page's view asks ``panels_for`` and the
template shows what comes back, so the lower app never imports the higher one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from operations.core import conventions


@dataclass(frozen=True)
class PagePanel:
    template: str
    #: (the person looking, the record) -> the template's context.
    context: Callable[[Any, Any], dict[str, Any]]


def panels_for(page: str, request: HttpRequest, record: Any) -> list[SafeString]:
    """Each app's panels for ``page``, rendered for ``record`` (in INSTALLED_APPS order)."""
    return [
        render_to_string(panel.template, panel.context(request.user, record), request=request)
        for module in conventions.app_modules("page_panels")
        for panel in module.PANELS.get(page, [])
    ]
