"""An organisation's configuration rows, kept in memory between requests.

Services, the council areas an organisation covers, volunteer, group and
matching settings, courses, the lived-experience vocabulary, the map of
neighbouring council areas and the count of crèches that may need
registering are read on nearly every staff page and change a few times a
year, when a manager edits them. Each read is a query
(about a millisecond of Django's work on top of the database's); a kept copy
is a read of the process's own memory (the ``config`` cache: a shared cache
would cost a network round trip, half of what the copy saves).

Entries are filed under the organisation's ``config_stamp``, a random value
that comes with the membership every request already loads. Any save or
delete of a configuration row replaces the stamp in the same transaction
(``renew_on_change``), so the old entries become unreachable at the moment
the change commits, in every process of every server (a request that
started just before may still read the copies it began with). A copy can
therefore be stale only if a row is changed without Django (SQL by hand, a
restored backup): ``CONFIG_CACHE_SECONDS`` bounds that, and 0 turns keeping
off. Never keep anything here that is not an organisation's configuration:
families' and volunteers' records are always read fresh.

Only a request keeps copies: ``CurrentMembershipMiddleware`` names the
organisation it works in (``keeping_for``), and a read for any other
organisation, or outside a request (tasks, the shell, services called from
tests), goes to the database."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")
_MISSING = object()


#: The organisation whose configuration this request may keep copies of.
_keeping: ContextVar = ContextVar("config_cache_organisation", default=None)


@contextmanager
def keeping_for(organisation) -> Iterator[None]:
    token = _keeping.set(organisation)
    try:
        yield
    finally:
        _keeping.reset(token)


def kept(organisation_id: int, name: str, load: Callable[[], T]) -> T:
    """``load()``'s answer for the organisation, from the cache when a copy
    made since its configuration last changed is there (and this request
    works in that organisation)."""
    organisation = _keeping.get()
    seconds = settings.CONFIG_CACHE_SECONDS
    if organisation is None or organisation.pk != organisation_id or not seconds:
        return load()
    kept_copies = caches["config"]
    value = kept_copies.get(_key(organisation, name), _MISSING)
    if value is _MISSING:
        value = load()
        # Filed under the stamp as it is now: loading may have written the
        # configuration's first row (settings made with their defaults).
        kept_copies.set(_key(organisation, name), value, seconds)
    return value


def _key(organisation, name: str) -> str:
    return f"config:{organisation.pk}:{organisation.config_stamp.hex}:{name}"


def renew_stamp(organisation_id: int) -> None:
    """Make every kept copy of this organisation's configuration unreachable.
    An UPDATE, not ``save()``: no signal, and no other column rewritten."""
    from operations.core.models import Organisation

    stamp = uuid.uuid4()
    Organisation.objects.filter(pk=organisation_id).update(config_stamp=stamp)
    # The rest of this request reads what it has just written, not a copy.
    organisation = _keeping.get()
    if organisation is not None and organisation.pk == organisation_id:
        organisation.config_stamp = stamp


def renew_every_stamp() -> None:
    """For national reference data kept with every organisation's
    configuration (the map of neighbouring council areas)."""
    from operations.core.models import Organisation

    stamp = uuid.uuid4()
    Organisation.objects.update(config_stamp=stamp)  # ids in the keys keep them apart
    organisation = _keeping.get()
    if organisation is not None:
        organisation.config_stamp = stamp


def renew_on_change(model: type[models.Model], organisation_field: str = "organisation_id") -> None:
    """Renew the owning organisation's stamp whenever a row of ``model`` is
    saved or deleted (called once per model from an app's ``ready()``)."""

    def renew(sender, instance, **kwargs) -> None:
        organisation_id = getattr(instance, organisation_field)
        if organisation_id is not None:
            renew_stamp(organisation_id)

    uid = f"config-cache:{model._meta.label}"
    post_save.connect(renew, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(renew, sender=model, weak=False, dispatch_uid=uid)


def renew_on_organisation_change() -> None:
    """The organisation's own row and the council areas it covers (and the
    map of neighbouring areas, kept for every organisation). Saving the
    organisation renews the stamp too, so a form holding an older copy of
    the row cannot write an older stamp back."""
    from operations.core.models import CouncilArea, Organisation

    def renew(sender, instance, **kwargs) -> None:
        renew_stamp(instance.pk)

    def areas_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
        if not reverse:
            if action.startswith("post_"):
                renew_stamp(instance.pk)
            return
        # From a council area's side (migrations): the organisations named,
        # or before a clear every organisation still linked.
        if action in ("post_add", "post_remove"):
            organisation_ids = pk_set
        elif action == "pre_clear":
            organisation_ids = list(Organisation.objects.filter(council_areas=instance).values_list("pk", flat=True))
        else:
            return
        for organisation_id in organisation_ids:
            renew_stamp(organisation_id)

    post_save.connect(renew, sender=Organisation, weak=False, dispatch_uid="config-cache:organisation")
    m2m_changed.connect(
        areas_changed, sender=Organisation.council_areas.through, weak=False, dispatch_uid="config-cache:areas"
    )

    def neighbours_changed(sender, action, **kwargs) -> None:
        if action.startswith("post_"):
            renew_every_stamp()

    m2m_changed.connect(
        neighbours_changed, sender=CouncilArea.neighbours.through, weak=False, dispatch_uid="config-cache:neighbours"
    )
