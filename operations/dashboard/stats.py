"""Plain statistics over small lists of numbers (no database)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal


def percentile(values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks, as PostgreSQL's
    ``percentile_cont`` does: the median of 1, 2, 3, 10 is 2.5."""
    if not values:
        raise ValueError("No values.")
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def mean(values: Sequence[Decimal]) -> Decimal:
    """The mean to one decimal place, halves rounded away from zero."""
    if not values:
        raise ValueError("No values.")
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"), ROUND_HALF_UP)
