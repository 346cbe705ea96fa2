"""Proposals for a whole waiting list: an assignment problem (no database).

Rows are waiting parents, columns are volunteers; each volunteer can take as
many parents as their spare capacity. We solve it with scipy's
``linear_sum_assignment`` on an expanded matrix in which each volunteer's
column is repeated once per unit of spare capacity. Why not a min-cost flow:
capacities here are small (1–3, at most the organisation's caseload limit),
so the expansion stays at most a few times wider, and scipy's compiled
Jonker–Volgenant solver on a dense 500 × ~4,000 matrix runs in well under a
second; a flow would mean networkx (pure Python, much slower at this size)
or a heavy new dependency such as OR-Tools, for no gain in optimality —
both give the exact optimum.

The objective is lexicographic, packed into one number per cell so a single
solve is exact:
  mode "score":  maximise total score, then the tie-break;
  mode "count":  maximise the number matched, then total score, then the tie-break.
Scores are compared in tenths of a point (as shown to the coordinator);
the tie-break prefers matching the most urgent parents and those with the
fewest days left before ageing out (``priorities``: 0 = first on the list).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

MODE_SCORE = "score"
MODE_COUNT = "count"
MODES = (MODE_SCORE, MODE_COUNT)


@dataclass(frozen=True)
class Proposal:
    row: int  # parent index
    column: int  # volunteer index
    score: float


@dataclass(frozen=True)
class Solution:
    proposals: list[Proposal]

    @property
    def total(self) -> float:
        return round(sum(p.score for p in self.proposals), 1)

    @property
    def matched(self) -> int:
        return len(self.proposals)


def _units(score: float) -> int:
    return round(score * 10)


def solve(
    scores: Sequence[Sequence[float | None]],
    capacities: Sequence[int],
    *,
    priorities: Sequence[int] | None = None,
    mode: str = MODE_SCORE,
) -> Solution:
    """The optimal proposals. ``scores[i][j]`` is None where parent i may not
    be matched with volunteer j; ``capacities[j]`` is j's spare capacity."""
    if mode not in MODES:
        raise ValueError(f"Unknown mode {mode!r}")
    n_rows = len(scores)
    if n_rows == 0:
        return Solution([])
    n_cols = len(capacities)
    matrix = np.array([[np.nan if s is None else _units(s) for s in row] for row in scores], dtype=float).reshape(
        n_rows, n_cols
    )
    feasible = ~np.isnan(matrix)
    # A volunteer never needs more copies than parents they could take.
    copies = np.minimum(np.asarray(capacities, dtype=int), feasible.sum(axis=0))
    columns = np.repeat(np.arange(n_cols), np.maximum(copies, 0))
    if columns.size == 0:
        return Solution([])
    expanded = matrix[:, columns]
    usable = feasible[:, columns]

    if priorities is None:
        priorities = list(range(n_rows))
    # Tie-break weight: the first on the list gets n_rows, the last 1. K is
    # above the largest possible sum of tie-break weights, so a tenth of a
    # point always outweighs any tie-break.
    tie = (n_rows - np.asarray(priorities, dtype=float)).reshape(n_rows, 1)
    k = float(n_rows * n_rows + 1)
    value = expanded * k + tie
    if mode == MODE_COUNT:
        # One more match outweighs any total of scores and tie-breaks.
        big = float(np.nanmax(value, initial=0.0)) * n_rows + 1.0
        value = value + big
    value = np.where(usable, value, 0.0)
    # All packed values stay below 2**53, so float64 sums are exact.
    rows, cols = linear_sum_assignment(value, maximize=True)
    proposals = [
        Proposal(row=int(r), column=int(columns[c]), score=float(expanded[r, c]) / 10)
        for r, c in zip(rows, cols, strict=True)
        if usable[r, c]
    ]
    proposals.sort(key=lambda p: p.row)
    return Solution(proposals)


def greedy(
    scores: Sequence[Sequence[float | None]],
    capacities: Sequence[int],
    *,
    order: Sequence[int] | None = None,
) -> Solution:
    """First come, first served: each parent in ``order`` (default: as
    given) takes the best-scoring volunteer who still has room. What a
    coordinator working down the list by hand would get."""
    left = list(capacities)
    proposals = []
    for row in order if order is not None else range(len(scores)):
        best = None
        for column, score in enumerate(scores[row]):
            if score is None or left[column] <= 0:
                continue
            if best is None or score > scores[row][best]:
                best = column
        if best is not None:
            left[best] -= 1
            proposals.append(Proposal(row=row, column=best, score=float(scores[row][best])))
    proposals.sort(key=lambda p: p.row)
    return Solution(proposals)
