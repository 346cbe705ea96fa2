"""Data-subject rights across apps, found by convention.

Every app that holds something about a supported parent has a ``gdpr``
module (``referrals/gdpr.py``, ``volunteers/matching/gdpr.py`` …) with:

- ``HOLDS``: the models it answers for;
- ``subject_access(parent) -> list[Section]``: what it holds, for the report;
- ``erase(parent)``: erases or anonymises it.

This base layer finds them through the app registry, so it never imports
the apps above it, and a test (tests/core/test_gdpr_coverage.py) fails for
any model with a path to Parent that no module answers for and that is not
listed in ``NOT_PERSONAL`` with the reason: a model added later cannot be
missed by subject access or by erasure."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from types import ModuleType
from typing import Any

from django.apps import apps
from django.utils.module_loading import module_has_submodule


@dataclass
class Section:
    """One part of a subject access report: a title and rows of fields."""

    title: str
    rows: list[dict[str, Any]] = field(default_factory=list)


#: Models with a path to a parent that hold nothing about them, and why.
NOT_PERSONAL: dict[str, str] = {
    "matching.MatchingNeeds": (
        "What the volunteer must offer (gender, times of day, interpreter arranged): no text about the parent"
    ),
}


@cache
def app_modules() -> tuple[ModuleType, ...]:
    """Each installed app's ``gdpr`` module, in INSTALLED_APPS order (lowest layer first)."""
    found = []
    for config in apps.get_app_configs():
        if f"{config.name}.gdpr" != __name__ and module_has_submodule(config.module, "gdpr"):
            found.append(import_module(f"{config.name}.gdpr"))
    return tuple(found)


def subject_access_report(parent) -> list[Section]:
    sections: list[Section] = []
    for module in app_modules():
        sections.extend(module.subject_access(parent))
    return sections


def erase_everywhere(parent) -> None:
    """Runs every app's eraser inside the caller's transaction, the highest
    layer first: what refers to the parent goes before the parent's own row."""
    for module in reversed(app_modules()):
        module.erase(parent)
