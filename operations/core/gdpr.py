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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from types import ModuleType
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst

from operations.core import conventions
from operations.core.dates import short_date

#: What a row holds where nothing is recorded; the page shows it as "—".
EMPTY = ""


@dataclass
class Section:
    """One part of a subject access report: a title and rows of human label →
    human value (see ``readable``), and the model they come from (JSON metadata)."""

    title: str
    rows: list[dict[str, str]] = field(default_factory=list)
    source: str = ""


#: Models with a path to a parent that hold nothing about them, and why.
NOT_PERSONAL: dict[str, str] = {
    "matching.MatchingNeeds": (
        "What the volunteer must offer (gender, times of day, interpreter arranged): no text about the parent"
    ),
    "expenses.ExpenseClaim": (
        "A volunteer's claim for her own costs (miles, a fare, a receipt): it points at the contact it was for, "
        "a link emptied when that log is erased, and holds nothing about the parent"
    ),
    "groups.SessionExpenseClaim": (
        "Which group session a volunteer's expense claim was for: a claim and a session, nothing about a parent"
    ),
}


def readable_value(value: Any) -> str:
    """A stored value as a person reads it: "Yes"/"No", "14 Feb 2028",
    "14 Feb 2028 10:30" (local time), "10:30", "12.5", lists joined with
    commas; ``EMPTY`` for nothing recorded."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{short_date(moment.date())} {moment:%H:%M}"
    if isinstance(value, date):
        return short_date(value)
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, Mapping):
        return "; ".join(f"{key}: {readable_value(item)}" for key, item in value.items())
    if isinstance(value, Iterable) and not isinstance(value, str):
        return ", ".join(readable_value(item) for item in value)
    return str(value)


def _related_value(related: models.Model) -> str:
    """A related row by a readable name: a record this report lists by its
    kind and number ("Match #12", matching its own "Reference"), a member of
    staff or a volunteer by first name only (they are not the subject), and
    anything else (a service, a group, an area) by its name."""
    if related._meta.label == settings.AUTH_USER_MODEL:
        return related.first_name or "a member of staff"
    if related._meta.label in reported_models():
        return f"{capfirst(related._meta.verbose_name)} #{related.pk}"
    return str(related)


def readable(
    instance: models.Model,
    *,
    exclude: Iterable[str] = (),
    labels: Mapping[str, str] | None = None,
    values: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """One record as an ordered dict of human label → human value, in the
    order of the model's fields (many-to-many last), for a subject access
    report that a parent can read and that matches its JSON word for word.

    The label is the field's verbose name, capitalised, unless ``labels``
    (an app's ``LABELS``) gives a clearer one; the first row is the record's
    "Reference" ("Visit #3"), which other rows name it by. A choice reads as
    its display text, a relation as ``_related_value`` says. ``values`` gives
    the value of a field that no generic rule reads well (codes stored in
    JSON); ``exclude`` leaves out fields that hold nothing about the person
    (the organisation, internal keys). Relations and many-to-many fields
    should be fetched with ``select_related``/``prefetch_related``."""
    labels = labels or {}
    values = values or {}
    skip = set(exclude)
    row: dict[str, str] = {}
    opts = instance._meta
    for model_field in [*opts.concrete_fields, *opts.many_to_many]:
        name = model_field.name
        if name in skip:
            continue
        label = labels.get(name) or ("Reference" if model_field.primary_key else capfirst(model_field.verbose_name))
        if name in values:
            row[label] = readable_value(values[name])
        elif model_field.primary_key:
            row[label] = f"{capfirst(opts.verbose_name)} #{instance.pk}"
        elif model_field.many_to_many:
            row[label] = ", ".join(_related_value(item) for item in getattr(instance, name).all())
        elif model_field.is_relation:
            related = getattr(instance, name) if getattr(instance, model_field.attname) is not None else None
            row[label] = EMPTY if related is None else _related_value(related)
        elif model_field.choices and getattr(instance, name) not in (None, ""):
            raw = getattr(instance, name)
            row[label] = str(dict(model_field.flatchoices).get(raw, raw))
        else:
            row[label] = readable_value(getattr(instance, name))
    return row


@cache
def reported_models() -> frozenset[str]:
    """The labels of every model some app's ``gdpr`` module answers for."""
    return frozenset(model._meta.label for module in app_modules() for model in module.HOLDS)


def app_modules() -> tuple[ModuleType, ...]:
    """Each installed app's ``gdpr`` module, in INSTALLED_APPS order (lowest layer first)."""
    return conventions.app_modules("gdpr")


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
