"""Data-subject rights across apps: each app registers what it holds about a
supported parent (for subject access) and how to erase it, so this base
layer never imports the apps above it and a new app cannot be forgotten
silently (it registers in its AppConfig.ready)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Section:
    """One part of a subject access report: a title and rows of fields."""

    title: str
    rows: list[dict[str, Any]] = field(default_factory=list)


#: Callables taking a parent and returning the sections an app holds.
SUBJECT_ACCESS: list[Callable[[Any], list[Section]]] = []
#: Callables taking a parent and erasing or anonymising what an app holds.
#: They run inside one transaction, lowest layer last (reverse registration).
ERASERS: list[Callable[[Any], None]] = []


def register(*, subject_access: Callable[[Any], list[Section]], erase: Callable[[Any], None]) -> None:
    if subject_access not in SUBJECT_ACCESS:
        SUBJECT_ACCESS.append(subject_access)
    if erase not in ERASERS:
        ERASERS.append(erase)


def subject_access_report(parent) -> list[Section]:
    sections: list[Section] = []
    for collect in SUBJECT_ACCESS:
        sections.extend(collect(parent))
    return sections


def erase_everywhere(parent) -> None:
    for erase in reversed(ERASERS):
        erase(parent)
