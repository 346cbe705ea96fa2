"""Statistical disclosure control for aggregate counts: pure rules, no database.

Every count the dashboard (page, printable summary and API) publishes goes
through here; its internal mode, for managers who may see every record
anyway, shows the same counts exact (``exact``), marked as not for
publishing. The rules, following domain.md ("Evaluation exports"):

Primary suppression
    A count from 1 to ``threshold - 1`` (default 1–9) is shown as "<10".

Zero
    A true 0 is shown as 0, except in a line whose total is itself under the
    threshold: there every cell shows "<10" (true of 0 as well), or counting
    the non-zero cells could pin them (nine cells under a total of "<10" are
    all 1). It says nothing about any one person, and hiding
    it would turn every chart of a small or new service into "<10". A zero is
    never chosen as a secondary cell: a reader who knows the rules would know
    a hidden cell that is not "<10" is either 0 or at least the threshold,
    and with a small remainder that pins it.

Secondary suppression (a table's line: its cells and their total)
    A total lets a reader work out a single hidden cell by subtraction, and
    two hidden cells that sum to 2 or to 18 are both pinned too. So, while
    any hidden cell of a line can still be worked out, the smallest cell
    still shown that is at least the threshold is hidden as well (shown as
    "suppressed"). If no such cell is left, the total itself is hidden.
    Cells are hidden rather than the total first, because a total is often
    published elsewhere (a headline figure, the sibling table): hiding it
    here would not stop the subtraction there. A caller that publishes the
    same total in two tables must hide it in both when either hides it
    (``hide_total``); a line whose total is hidden always hides at least
    one non-zero cell too, or its cells would add up to the total.

What the reader is assumed to know (the test of "can be worked out"): the
shown cells and total, the threshold, that "<10" is 1 to threshold − 1, and
that a "suppressed" cell is at least the threshold and at most the smallest
cell still shown at or above the threshold (it was the smallest candidate).
A hidden total is 1 to threshold − 1 when it is itself small (and then
every cell is 0 to threshold − 1), otherwise unknown. Under that knowledge every hidden cell has at least two possible
values; the interval arithmetic below is exact for one line, and the tests
check it by brute force.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

SHOWN = "shown"
SMALL = "small"  # primary: 1 to threshold - 1
SECONDARY = "secondary"  # hidden so that a small cell cannot be worked out
SECONDARY_LABEL = "suppressed"


def default_threshold() -> int:
    return settings.DISCLOSURE_SUPPRESS_BELOW


def small_label(threshold: int) -> str:
    return f"<{threshold}"


@dataclass(frozen=True)
class Figure:
    """One published count. ``value`` is the true count and stays on the
    server: templates and the API read ``public`` and ``display`` only."""

    value: int
    status: str
    threshold: int

    @property
    def hidden(self) -> bool:
        return self.status != SHOWN

    @property
    def public(self) -> int | None:
        """The number to plot, or None for a hidden count."""
        return None if self.hidden else self.value

    @property
    def display(self) -> str:
        if self.status == SMALL:
            return small_label(self.threshold)
        if self.status == SECONDARY:
            return SECONDARY_LABEL
        return str(self.value)

    def as_json(self) -> int | str:
        """A shown count as a number, a hidden one as its label."""
        return self.value if not self.hidden else self.display


@dataclass(frozen=True)
class Line:
    """A protected line of a table: its cells and their total."""

    cells: tuple[Figure, ...]
    total: Figure


def protect(value: int, threshold: int | None = None) -> Figure:
    """A count published on its own (no total beside it to subtract from)."""
    threshold = threshold if threshold is not None else default_threshold()
    if value < 0:
        raise ValueError("A count cannot be negative.")
    return Figure(value, SMALL if 0 < value < threshold else SHOWN, threshold)


def exact(value: int, threshold: int | None = None) -> Figure:
    """A count shown as it is: for staff who may see every record anyway
    (the dashboard's internal mode), never for anything published."""
    threshold = threshold if threshold is not None else default_threshold()
    if value < 0:
        raise ValueError("A count cannot be negative.")
    return Figure(value, SHOWN, threshold)


def exact_line(values: Sequence[int], threshold: int | None = None) -> Line:
    """A line shown as it is (see ``exact``)."""
    return Line(cells=tuple(exact(v, threshold) for v in values), total=exact(sum(values), threshold))


def protect_line(values: Sequence[int], threshold: int | None = None, *, hide_total: bool = False) -> Line:
    """Protects ``values`` and their sum, published together."""
    threshold = threshold if threshold is not None else default_threshold()
    if any(v < 0 for v in values):
        raise ValueError("A count cannot be negative.")
    total = sum(values)
    if 0 < total < threshold:
        # Zeros too ("<10" is true of 0): counting the non-zero cells could pin them.
        cells = tuple(Figure(v, SMALL, threshold) for v in values)
        return Line(cells=cells, total=Figure(total, SMALL, threshold))
    statuses = [SMALL if 0 < v < threshold else SHOWN for v in values]
    total_status = SECONDARY if hide_total and total else SHOWN
    if total_status == SECONDARY and not any(v and s != SHOWN for v, s in zip(values, statuses, strict=True)):
        # Shown cells would add up to the hidden total: hide the smallest of them.
        statuses[min((i for i, v in enumerate(values) if v), key=lambda i: (values[i], i))] = SECONDARY
    while total_status == SHOWN and _some_cell_pinned(values, statuses, threshold):
        candidates = [i for i, v in enumerate(values) if statuses[i] == SHOWN and v >= threshold]
        if not candidates:
            total_status = SECONDARY
            break
        statuses[min(candidates, key=lambda i: (values[i], i))] = SECONDARY
    cells = tuple(Figure(v, s, threshold) for v, s in zip(values, statuses, strict=True))
    return Line(cells=cells, total=Figure(total, total_status, threshold))


def bounds(values: Sequence[int], statuses: Sequence[str], threshold: int) -> list[tuple[int, int]]:
    """What a reader who knows the rules can say about each cell from the
    cells alone: its exact value when shown, otherwise a range."""
    total = sum(values)
    largest_shown = [v for v, s in zip(values, statuses, strict=True) if s == SHOWN and v >= threshold]
    secondary_max = min(largest_shown) if largest_shown else total
    ranges = []
    for value, status in zip(values, statuses, strict=True):
        if status == SHOWN:
            ranges.append((value, value))
        elif status == SMALL:
            ranges.append((1, threshold - 1))
        else:
            ranges.append((threshold, secondary_max))
    return ranges


def _some_cell_pinned(values: Sequence[int], statuses: Sequence[str], threshold: int) -> bool:
    """With the total known, can any hidden cell be worked out exactly?

    For one equation with independent ranges the possible values of a cell
    are exactly [max(lo, T - sum of others' hi), min(hi, T - sum of others' lo)]."""
    ranges = bounds(values, statuses, threshold)
    hidden = [i for i, s in enumerate(statuses) if s != SHOWN]
    if not hidden:
        return False
    remainder = sum(values[i] for i in hidden)
    low_sum = sum(ranges[i][0] for i in hidden)
    high_sum = sum(ranges[i][1] for i in hidden)
    for i in hidden:
        low, high = ranges[i]
        possible_low = max(low, remainder - (high_sum - high))
        possible_high = min(high, remainder - (low_sum - low))
        if possible_low >= possible_high:
            return True
    return False
