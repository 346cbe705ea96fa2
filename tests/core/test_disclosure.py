"""Suppression of aggregate counts: what a reader who knows the rules can
and cannot work out from a published line and its total."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from operations.core.disclosure import SECONDARY, SHOWN, SMALL, bounds, protect, protect_line


def shown(line):
    return [cell.display for cell in line.cells], line.total.display


def test_a_count_under_ten_shows_as_under_ten_and_zero_as_zero():
    assert protect(7).display == "<10"
    assert protect(7).public is None
    assert protect(0).display == "0"
    assert protect(10).display == "10"
    assert protect(10).public == 10


def test_the_threshold_is_the_setting(settings):
    settings.DISCLOSURE_SUPPRESS_BELOW = 5
    assert protect(7).display == "7"
    assert protect(4).display == "<5"


def test_a_single_small_cell_beside_its_total_takes_the_next_smallest_with_it():
    line = protect_line([7, 25, 40])
    assert shown(line) == (["<10", "suppressed", "40"], "72")


def test_two_small_cells_that_cannot_be_pinned_need_nothing_more():
    line = protect_line([4, 5, 30])
    assert shown(line) == (["<10", "<10", "30"], "39")


@pytest.mark.parametrize("values", [[1, 1, 30], [9, 9, 30]], ids=["sum of 2", "sum of 18"])
def test_two_small_cells_whose_sum_pins_both_take_a_third(values):
    line = protect_line(values)
    assert [cell.status for cell in line.cells] == [SMALL, SMALL, SECONDARY]


def test_when_nothing_else_can_be_hidden_the_total_is():
    # 1 + 10 = 11: hiding the 10 still leaves 1 as the only possibility.
    line = protect_line([1, 10])
    assert shown(line) == (["<10", "suppressed"], "suppressed")


def test_a_zero_is_never_the_second_cell():
    line = protect_line([3, 0, 12, 0])
    assert [cell.status for cell in line.cells] == [SMALL, SHOWN, SECONDARY, SHOWN]


def test_a_small_total_hides_every_cell_zeros_included():
    line = protect_line([1, 0, 1, 1, 1, 1, 1, 1, 1, 1])
    assert {cell.display for cell in line.cells} == {"<10"}
    assert line.total.display == "<10"


def test_a_total_published_elsewhere_hidden_there_is_hidden_here_with_a_cell():
    # The cells alone would add up to the total: the smallest goes too.
    line = protect_line([12, 0, 30], hide_total=True)
    assert shown(line) == (["suppressed", "0", "30"], "suppressed")


def test_a_hidden_total_beside_a_hidden_cell_needs_nothing_more():
    line = protect_line([4, 30], hide_total=True)
    assert shown(line) == (["<10", "30"], "suppressed")


def test_nothing_is_hidden_when_nothing_is_small():
    line = protect_line([10, 0, 55])
    assert shown(line) == (["10", "0", "55"], "65")


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        protect_line([3, -1])


def _possible_values(index: int, ranges: list[tuple[int, int]], hidden: list[int], remainder: int) -> set[int]:
    """Brute force: every value of cell ``index`` for which the other hidden
    cells, each within its range, can make up the rest of the total."""
    sums = {0}
    for other in hidden:
        if other == index:
            continue
        low, high = ranges[other]
        sums = {s + v for s in sums for v in range(low, high + 1) if s + v <= remainder}
    low, high = ranges[index]
    return {v for v in range(low, high + 1) if remainder - v in sums}


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=6),
    threshold=st.integers(min_value=3, max_value=12),
    hide_total=st.booleans(),
)
def test_no_hidden_cell_can_be_worked_out_from_the_total(values, threshold, hide_total):
    line = protect_line(values, threshold, hide_total=hide_total)
    statuses = [cell.status for cell in line.cells]
    # The published figures never contradict the truth.
    assert line.total.value == sum(values)
    for cell in line.cells:
        assert cell.public in (None, cell.value)
        if cell.status == SHOWN and 0 < cell.value < threshold:
            pytest.fail("a small count was shown")
    if line.total.hidden:
        # No equation to subtract from, and the cells cannot rebuild the total.
        assert sum(values) == 0 or any(cell.hidden and cell.value for cell in line.cells)
        return
    ranges = bounds(values, statuses, threshold)
    hidden = [i for i, status in enumerate(statuses) if status != SHOWN]
    remainder = line.total.value - sum(values[i] for i, s in enumerate(statuses) if s == SHOWN)
    for i in hidden:
        low, high = ranges[i]
        assert low <= values[i] <= high, "the reader's range must hold the true value"
        possible = _possible_values(i, ranges, hidden, remainder)
        assert values[i] in possible
        assert len(possible) >= 2, f"cell {i} of {values} can be worked out as {possible}"
