"""A PSO's caseload: the parents they support. Matches live in a higher
layer (volunteers.matching), so it registers how to find them here, and the
layers below (the outcome assessments a PSO enters) ask without importing it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: Callables taking a user and returning the ids of the parents on their
#: open caseload (a queryset of ids or a list).
PROVIDERS: list[Callable[[Any], Any]] = []


def register(provider: Callable[[Any], Any]) -> None:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def parent_ids(user) -> list[int]:
    ids: set[int] = set()
    for provider in PROVIDERS:
        ids.update(provider(user))
    return sorted(ids)
