"""Records named in words, for the audit log: "Referral of Yasmin Turnbull
(#41)" with a link to the referral, not ``referrals.Referral 41``.

An audit event keeps only the record's model label and id (its summary
never holds personal data). The page names them when it shows them: each
app that has records worth naming keeps a ``record_names.py``, found by
convention, with ``NAMES``: model label -> ``Namer``. A namer reads the
records of one type that the viewer may see (the model's ``visible_to``) in
one query, so a page of fifty events costs one query per type on it, not
one per row. Any other record, or one the viewer may not open (erased, of
another organisation), is named by its kind and number without a link:
"Training record #5"."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import QuerySet

from operations.core import conventions
from operations.core.links import record_url
from operations.core.models import Membership, Service, User, active_membership


@dataclass(frozen=True)
class Namer:
    #: The records of this type the viewer may open, with what ``words`` reads.
    records: Callable[[Any], QuerySet]
    #: "Referral of Yasmin Turnbull": the number is added after it.
    words: Callable[[Any], str]
    #: The record's page; every record ``records`` gives may open it.
    url: Callable[[Any], str] | None = None


@dataclass(frozen=True)
class RecordName:
    text: str
    url: str = ""


def _organisation_id(user) -> int | None:
    membership = active_membership(user)
    return membership.organisation_id if membership else None


def _members(user):
    """The people of the viewer's organisation (a record of someone else is named by its number)."""
    return User.objects.filter(memberships__organisation_id=_organisation_id(user))


def _base_namers() -> dict[str, Namer]:
    """The base layer's own records: services, people and their sign-in devices."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return {
        "core.Service": Namer(
            records=lambda user: Service.objects.visible_to(user),
            words=lambda service: f"Service {service.name}",
            url=lambda service: record_url("service-detail", service.pk),
        ),
        "core.User": Namer(records=lambda user: _members(user).distinct(), words=lambda person: f"Account of {person}"),
        "core.Membership": Namer(
            records=lambda user: Membership.objects.filter(organisation_id=_organisation_id(user)).select_related(
                "user"
            ),
            words=lambda membership: f"Role of {membership.user} ({membership.get_role_display()})",
        ),
        "otp_totp.TOTPDevice": Namer(
            records=lambda user: TOTPDevice.objects.filter(user__in=_members(user)).select_related("user"),
            words=lambda device: f"Authenticator app of {device.user}",
        ),
        "otp_static.StaticDevice": Namer(
            records=lambda user: StaticDevice.objects.filter(user__in=_members(user)).select_related("user"),
            words=lambda device: f"Recovery codes of {device.user}",
        ),
    }


def _namers() -> dict[str, Namer]:
    """The base layer's, then each installed app's ``record_names.NAMES``."""
    found = _base_namers()
    for module in conventions.app_modules("record_names"):
        found.update(module.NAMES)
    return found


#: Other apps' models, in this project's words.
SIGN_IN_RECORDS = {"otp_totp.TOTPDevice": "Authenticator app", "otp_static.StaticDevice": "Recovery codes"}


def type_words(label: str) -> str:
    """``referrals.Referral`` -> "Referral", ``outcomes.SafetyAlert`` -> "Safety alert"."""
    if label in SIGN_IN_RECORDS:
        return SIGN_IN_RECORDS[label]
    try:
        name = str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        # A model that no longer exists: its class name in words.
        name = re.sub(r"(?<!^)(?=[A-Z][a-z])", " ", label.rpartition(".")[2]).lower()
    return name[:1].upper() + name[1:]


def record_names(user, records: Iterable[tuple[str, str]]) -> dict[tuple[str, str], RecordName]:
    """(model label, id) -> its name for ``user``, for every record given:
    one query per type that has a namer."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for label, object_id in records:
        if label:
            wanted[label].add(object_id)
    namers = _namers()
    names: dict[tuple[str, str], RecordName] = {}
    for label, ids in wanted.items():
        namer = namers.get(label)
        pks = [int(pk) for pk in ids if pk.isdigit()]
        if namer is not None and pks:
            for record in namer.records(user).filter(pk__in=pks):
                url = namer.url(record) if namer.url else ""
                names[(label, str(record.pk))] = RecordName(f"{namer.words(record)} (#{record.pk})", url)
        kind = type_words(label)
        for object_id in ids:
            names.setdefault((label, object_id), RecordName(f"{kind} #{object_id}" if object_id else kind))
    return names


#: The apps whose records the project audits (besides the sign-in devices).
AUDITED_APPS = ("operations.", "referrals", "volunteers")


def type_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The kinds of record the audit log's filter offers, in words, grouped
    by the part of the system they belong to (its app's name): the project's
    own models and the two-factor sign-in devices (their pages audit them)."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith(AUDITED_APPS):
            continue
        models = sorted(
            ((model._meta.label, type_words(model._meta.label)) for model in config.get_models()),
            key=lambda choice: choice[1],
        )
        if models:
            groups.append((str(config.verbose_name), models))
    groups.append(("Two-factor sign-in", list(SIGN_IN_RECORDS.items())))
    return groups
