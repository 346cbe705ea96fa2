"""What a claim may be for besides one of the claimant's contact logs: a
plug-in, so that an app above volunteers/ (which expenses must never
import) offers its own things to claim against.

A higher app says them in its ``expense_targets.py``: ``TARGETS``, a dict of
the claim field's name (``"group_session"``: the page's, the API's and the
service's name for it) to a :class:`Target`. The app keeps the link from its
own record to the claim (the claim knows nothing of it), found by
convention like ``form_choices``. The claim service asks :func:`find` while
it checks the claim and calls ``attach`` in the claim's transaction, so a
refusal writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from operations.core import conventions
from operations.core.dates import short_date

if TYPE_CHECKING:
    from operations.core.models import User
    from volunteers.expenses.models import ExpenseClaim


@dataclass(frozen=True)
class Found:
    """One of her own things to claim against: its service (the dashboard's
    totals by service) and its day (the claim's date unless she gives one)."""

    service_id: int | None
    day: dt.date


@dataclass(frozen=True)
class Target:
    #: Heading of its options on the claim form: "Group sessions".
    label: str
    #: Said when the id given is not one of hers: "Choose one of the group sessions you helped at."
    refused: str
    #: Hers to choose from, newest first: ``(id, words)``.
    options: Callable[[User], list[tuple[int, str]]]
    #: One of hers by id, or None when it is not hers or not in her organisation.
    find: Callable[[User, int], Found | None]
    #: Links ``claim`` to it (``None``: removes the link), checking again it is
    #: hers; raises ValidationError keyed by the field's name when not.
    attach: Callable[[ExpenseClaim, int | None, User], None]
    #: ``(id, words)`` of what ``claim`` is linked to, or None; reads only ``related``.
    linked: Callable[[ExpenseClaim], tuple[int, str] | None]
    #: The ``select_related`` path of the link from the claim, so lists read no more queries.
    related: str


def targets() -> dict[str, Target]:
    """Every app's targets by field name, lowest layer first."""
    return {
        name: target for module in conventions.app_modules("expense_targets") for name, target in module.TARGETS.items()
    }


def related_paths() -> list[str]:
    return [target.related for target in targets().values()]


def contact_words(log) -> str:
    """A contact without naming the family (a finance file, a worklist row): "Home visit, 2 Mar 2027"."""
    return f"{log.get_mode_display()}, {short_date(log.contact_date)}"


def for_words(claim: ExpenseClaim) -> str:
    """What ``claim`` was for, in words: its contact, or what a plug-in links it to."""
    if claim.contact_log_id:
        return contact_words(claim.contact_log)
    for target in targets().values():
        linked = target.linked(claim)
        if linked is not None:
            return linked[1]
    return "No longer on record"
