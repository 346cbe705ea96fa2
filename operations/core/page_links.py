"""Links that a higher layer adds to a lower layer's pages, such as "Find a
volunteer or PSO" (matching, in volunteers/) on a referral's page
(referrals/). The higher app registers them in its AppConfig.ready; the
page asks for them with ``{% page_links "referral" referral %}`` and so
never names the higher app's URLs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PageLink:
    label: str
    url: Callable[[Any], str]
    #: Shown only when this returns True for the record.
    shown: Callable[[Any], bool] = lambda record: True


LINKS: dict[str, list[PageLink]] = {}


def register_link(page: str, link: PageLink) -> None:
    links = LINKS.setdefault(page, [])
    if link.label not in {existing.label for existing in links}:
        links.append(link)


def links_for(page: str, record: Any) -> list[tuple[str, str]]:
    """(label, url) of the links registered for ``page`` that apply to ``record``."""
    return [(link.label, link.url(record)) for link in LINKS.get(page, []) if link.shown(record)]
