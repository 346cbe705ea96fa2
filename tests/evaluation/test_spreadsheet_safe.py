"""Values a spreadsheet would run are quoted; real numbers stay numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from operations.core.spreadsheet_safe import neutralise


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+44 7700", "'+44 7700"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ('   =HYPERLINK("http://x")', '\'   =HYPERLINK("http://x")'),
        ("NHS Lothian", "NHS Lothian"),
        ("25-29", "25-29"),
        ("", ""),
    ],
)
def test_text_that_would_run_as_a_formula_is_quoted(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize("value", [-3, 0, 2.5, Decimal("-1.50"), None, True])
def test_numbers_and_empty_cells_are_left_alone(value):
    assert neutralise(value) is value


@pytest.mark.parametrize("value", ["-3", "-1.5", "42"])
def test_text_that_is_exactly_a_number_stays_a_number(value):
    assert neutralise(value) == value
