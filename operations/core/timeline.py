"""One timeline per parent: everything that happened for her, newest first,
gathered from every app without the parent's page (referrals, a low layer)
importing the apps above it.

Each app that has something to say keeps a ``timeline.py``, found by
convention, with

- ``KINDS``: the kinds of entry it gives, ``{"visit": "Visits", ...}`` (the
  filter's checkboxes, in the apps' order);
- ``entries(parent, *, user, kinds, limit)``: at most ``limit`` of its newest
  entries of those kinds, newest first, read in a fixed number of queries
  whatever the length of her history (none at all for a kind not asked).

A page of ``size`` entries is the merge of each app's newest ``page * size + 1``
(the one more says whether there is an older page): every entry of the page is
among its app's newest that many, so nothing can be missed, and the queries
stay the same in number on every page."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from itertools import islice

from django.utils import timezone

from operations.core import conventions
from operations.core.dates import short_date

PAGE_SIZE = 50


@dataclass(frozen=True)
class Entry:
    """One line of the timeline, in plain words. ``when`` is an aware moment
    for ordering; ``timed`` says whether its time of day is known (a visit at
    10:00, a concern raised at 14:05) or only its day (a contact log)."""

    when: datetime
    timed: bool
    kind: str
    label: str
    link: str = ""
    detail: str = ""
    #: Beside the label, quieter: who did it ("by Jo Bloggs").
    by: str = ""
    #: The kind in plain words ("Contact logs"): filled in by ``timeline_page``.
    kind_label: str = ""

    @property
    def when_text(self) -> str:
        """``14 Feb 2028 14:05``, or ``14 Feb 2028`` when only the day is known."""
        local = timezone.localtime(self.when)
        return f"{short_date(local.date())} {local:%H:%M}" if self.timed else short_date(local.date())


def at(moment: datetime, **fields) -> Entry:
    """An entry at a known moment."""
    return Entry(when=moment, timed=True, **fields)


def on(day: date, at_time: time | None = None, **fields) -> Entry:
    """An entry on a day, at a time when one is known. A day alone sorts as
    its start: what is recorded only by day (a contact, an assessment) is
    usually the cause of what was entered later that day (a concern, an
    alert), so it reads first."""
    moment = timezone.make_aware(datetime.combine(day, at_time or time.min))
    return Entry(when=moment, timed=at_time is not None, **fields)


def newest_first(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def kinds() -> dict[str, str]:
    """Every kind of entry, code -> plain words, in the apps' order."""
    found: dict[str, str] = {}
    for module in conventions.app_modules("timeline"):
        found.update(module.KINDS)
    return found


@dataclass(frozen=True)
class TimelinePage:
    entries: list[Entry]
    number: int
    has_previous: bool
    has_next: bool


def timeline_page(parent, *, user, kinds: Iterable[str], number: int = 1, size: int = PAGE_SIZE) -> TimelinePage:
    """Page ``number`` (from 1) of the parent's timeline, newest first, of the
    chosen kinds, each app's rows as ``user`` may see them."""
    chosen = frozenset(kinds)
    labels: dict[str, str] = {}
    number = max(number, 1)
    limit = number * size + 1
    streams = []
    for module in conventions.app_modules("timeline"):
        labels.update(module.KINDS)
        asked = chosen & module.KINDS.keys()
        if asked:
            found = module.entries(parent, user=user, kinds=asked, limit=limit)
            streams.append(newest_first(found)[:limit])
    # heapq.merge keeps each stream's order and takes ties from the earlier stream: the same page every time.
    merged = list(islice(heapq.merge(*streams, key=lambda entry: entry.when, reverse=True), limit))
    start = (number - 1) * size
    return TimelinePage(
        entries=[replace(entry, kind_label=labels[entry.kind]) for entry in merged[start : start + size]],
        number=number,
        has_previous=number > 1,
        has_next=len(merged) > start + size,
    )
