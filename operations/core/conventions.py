"""Plug-ins found by convention: an app that takes part in a base-layer
feature has a module of an agreed name (``gdpr.py``, ``retention.py``,
``page_links.py``, ``caseload.py``), and the base layer finds it through the
app registry. Nothing is registered in ``ready()``, the base layer never
imports the apps above it, and an app cannot forget to register."""

from __future__ import annotations

from functools import cache
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule

#: The base layer hosts the features; its own modules of these names are the features themselves.
HOST = "operations.core"


@cache
def app_modules(name: str) -> tuple[ModuleType, ...]:
    """Each installed app's ``<app>.<name>`` module, in INSTALLED_APPS order (lowest layer first)."""
    return tuple(
        import_module(f"{config.name}.{name}")
        for config in apps.get_app_configs()
        if config.name != HOST and module_has_submodule(config.module, name)
    )
