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

from collections.abc import Mapping, Sequence
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
    pairs = {(i, j): s for i, row in enumerate(scores) for j, s in enumerate(row) if s is not None}
    return solve_pairs(pairs, len(scores), capacities, priorities=priorities, mode=mode)


def solve_pairs(
    pairs: Mapping[tuple[int, int], float],
    n_rows: int,
    capacities: Sequence[int],
    *,
    priorities: Sequence[int] | None = None,
    mode: str = MODE_SCORE,
) -> Solution:
    """As ``solve``, from the feasible pairs only ({(row, column): score})."""
    if mode not in MODES:
        raise ValueError(f"Unknown mode {mode!r}")
    if n_rows == 0 or not pairs:
        return Solution([])
    # Only volunteers in some feasible pair take part; each needs no more
    # copies than the parents they could take.
    feasible_count: dict[int, int] = {}
    for _, column in pairs:
        feasible_count[column] = feasible_count.get(column, 0) + 1
    used_columns = sorted(c for c in feasible_count if capacities[c] > 0)
    if not used_columns:
        return Solution([])
    position = {c: k for k, c in enumerate(used_columns)}
    copies = np.array([min(capacities[c], feasible_count[c]) for c in used_columns])
    starts = np.concatenate(([0], np.cumsum(copies)[:-1]))
    width = int(copies.sum())
    columns = np.repeat(np.array(used_columns), copies)

    if priorities is None:
        priorities = list(range(n_rows))
    # Tie-break weight: the first on the list gets n_rows, the last 1. K is
    # above the largest possible sum of tie-break weights, so a tenth of a
    # point always outweighs any tie-break.
    k = float(n_rows * n_rows + 1)
    rows_idx = np.fromiter((r for r, _ in pairs), dtype=np.int64, count=len(pairs))
    cols_idx = np.fromiter((position.get(c, -1) for _, c in pairs), dtype=np.int64, count=len(pairs))
    units = np.fromiter((_units(s) for s in pairs.values()), dtype=float, count=len(pairs))
    keep = cols_idx >= 0
    rows_idx, cols_idx, units = rows_idx[keep], cols_idx[keep], units[keep]
    tie = n_rows - np.asarray(priorities, dtype=float)[rows_idx]
    packed = units * k + tie
    if mode == MODE_COUNT:
        # One more match outweighs any total of scores and tie-breaks.
        packed = packed + (float(packed.max()) * n_rows + 1.0)
    value = np.zeros((n_rows, width))
    usable = np.zeros((n_rows, width), dtype=bool)
    score_units = np.zeros((n_rows, width))
    for copy in range(int(copies.max())):
        has_copy = copies[cols_idx] > copy
        target = starts[cols_idx[has_copy]] + copy
        value[rows_idx[has_copy], target] = packed[has_copy]
        usable[rows_idx[has_copy], target] = True
        score_units[rows_idx[has_copy], target] = units[has_copy]
    # All packed values stay below 2**53, so float64 sums are exact.
    rows, cols = linear_sum_assignment(value, maximize=True)
    proposals = [
        Proposal(row=int(r), column=int(columns[c]), score=float(score_units[r, c]) / 10)
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


def greedy_pairs(
    pairs: Mapping[tuple[int, int], float],
    n_rows: int,
    capacities: Sequence[int],
    *,
    order: Sequence[int] | None = None,
) -> Solution:
    """As ``greedy``, from the feasible pairs only."""
    options: dict[int, list[tuple[float, int]]] = {}
    for (row, column), score in pairs.items():
        options.setdefault(row, []).append((score, column))
    left = list(capacities)
    proposals = []
    for row in order if order is not None else range(n_rows):
        # Best score first; equal scores: the lower column, as ``greedy`` does.
        for score, column in sorted(options.get(row, []), key=lambda o: (-o[0], o[1])):
            if left[column] > 0:
                left[column] -= 1
                proposals.append(Proposal(row=row, column=column, score=float(score)))
                break
    proposals.sort(key=lambda p: p.row)
    return Solution(proposals)
