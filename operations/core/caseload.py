"""A PSO's caseload: the parents they support. Matches live in a higher
layer (volunteers.matching), so it says how to find them in its
``caseload.py`` (``parent_ids(user)``), found by convention; the layers
below (the outcome assessments a PSO enters) ask here without importing it."""

from __future__ import annotations

from operations.core import conventions


def parent_ids(user) -> list[int]:
    ids: set[int] = set()
    for module in conventions.app_modules("caseload"):
        ids.update(module.parent_ids(user))
    return sorted(ids)
