"""The whole-list assignment: optimal (checked by brute force), capacity
never exceeded, the two modes, tie-breaks and the greedy comparison."""

from __future__ import annotations

import itertools
import random

import pytest

from volunteers.matching.assignment import MODE_COUNT, MODE_SCORE, greedy, solve


def brute_force(scores, capacities, *, mode: str) -> tuple[float, int]:
    """Best (total, matched) over every assignment, by enumeration."""
    n_rows, n_cols = len(scores), len(capacities)
    best = None
    for choice in itertools.product([None, *range(n_cols)], repeat=n_rows):
        used = [0] * n_cols
        total, matched, ok = 0.0, 0, True
        for row, col in enumerate(choice):
            if col is None:
                continue
            if scores[row][col] is None:
                ok = False
                break
            used[col] += 1
            total += scores[row][col]
            matched += 1
        if not ok or any(u > c for u, c in zip(used, capacities, strict=True)):
            continue
        key = (round(total, 1), matched) if mode == MODE_SCORE else (matched, round(total, 1))
        if best is None or key > best:
            best = key
    return best if mode == MODE_SCORE else (best[1], best[0])


def random_case(rng: random.Random):
    n_rows, n_cols = rng.randint(1, 5), rng.randint(1, 3)
    scores = [
        [None if rng.random() < 0.3 else round(rng.uniform(0, 100), 1) for _ in range(n_cols)] for _ in range(n_rows)
    ]
    capacities = [rng.randint(0, 3) for _ in range(n_cols)]
    return scores, capacities


@pytest.mark.parametrize("mode", [MODE_SCORE, MODE_COUNT])
def test_optimal_on_small_cases_checked_by_brute_force(mode) -> None:
    rng = random.Random(5)
    for _ in range(150):
        scores, capacities = random_case(rng)
        solution = solve(scores, capacities, mode=mode)
        expected_total, expected_matched = brute_force(scores, capacities, mode=mode)
        if mode == MODE_SCORE:
            assert solution.total == pytest.approx(expected_total, abs=0.05)
        else:
            assert solution.matched == expected_matched
            assert solution.total == pytest.approx(expected_total, abs=0.05)


def test_capacity_is_never_exceeded_and_excluded_pairs_never_proposed() -> None:
    rng = random.Random(9)
    for _ in range(100):
        scores, capacities = random_case(rng)
        for mode in (MODE_SCORE, MODE_COUNT):
            solution = solve(scores, capacities, mode=mode)
            used = [0] * len(capacities)
            rows = [p.row for p in solution.proposals]
            assert len(rows) == len(set(rows))
            for p in solution.proposals:
                assert scores[p.row][p.column] is not None
                used[p.column] += 1
            assert all(u <= c for u, c in zip(used, capacities, strict=True))


def test_the_two_modes_differ_where_they_should() -> None:
    # Parent 0 fits A very well and B poorly; parent 1 fits only A.
    scores = [[90, 10], [50, None]]
    assert (solve(scores, [1, 1]).total, solve(scores, [1, 1]).matched) == (90, 1)
    most = solve(scores, [1, 1], mode=MODE_COUNT)
    assert (most.total, most.matched) == (60, 2)


def test_ties_favour_the_first_on_the_waiting_list() -> None:
    scores = [[50], [50], [50]]
    assert [p.row for p in solve(scores, [1], priorities=[2, 0, 1]).proposals] == [1]
    assert [p.row for p in solve(scores, [2], priorities=[2, 0, 1]).proposals] == [1, 2]


def test_a_tie_break_never_outweighs_a_tenth_of_a_point() -> None:
    scores = [[50.0], [50.1]]
    assert [p.row for p in solve(scores, [1], priorities=[0, 1]).proposals] == [1]


def test_greedy_first_come_can_do_worse() -> None:
    scores = [[60, 55], [70, None]]
    baseline = greedy(scores, [1, 1])
    best = solve(scores, [1, 1])
    assert (baseline.total, baseline.matched) == (60, 1)
    assert (best.total, best.matched) == (125, 2)


def test_empty_inputs() -> None:
    assert solve([], [1]).proposals == []
    assert solve([[None]], [1]).proposals == []
    assert solve([[10]], [0]).proposals == []


def test_the_sparse_greedy_agrees_with_the_dense_one() -> None:
    from volunteers.matching.assignment import greedy_pairs

    rng = random.Random(11)
    for _ in range(100):
        scores, capacities = random_case(rng)
        pairs = {(i, j): s for i, row in enumerate(scores) for j, s in enumerate(row) if s is not None}
        assert greedy_pairs(pairs, len(scores), capacities) == greedy(scores, capacities)
