"""Links that a higher layer adds to a lower layer's pages, such as "Find a
volunteer or PSO" (matching, in volunteers/) on a referral's page
(referrals/). The higher app says them in its ``page_links.py`` (``LINKS``:
page name -> links), found by convention; the page asks for them with
``{% page_links "referral" referral as links %}`` and so never names the
higher app's URLs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from operations.core import conventions


@dataclass(frozen=True)
class PageLink:
    label: str
    url: Callable[[Any], str]
    #: Shown only when this returns True for the record.
    shown: Callable[[Any], bool] = lambda record: True


def links_for(page: str, record: Any) -> list[tuple[str, str]]:
    """(label, url) of the links the apps give ``page`` that apply to ``record``."""
    return [
        (link.label, link.url(record))
        for module in conventions.app_modules("page_links")
        for link in module.LINKS.get(page, [])
        if link.shown(record)
    ]
