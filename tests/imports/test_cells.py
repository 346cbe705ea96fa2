"""Reading one cell: dates as people and spreadsheets write them, yes/no,
lists, choices and numbers, with a plain problem and fix when unreadable."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import models

from operations.imports.cells import (
    CellError,
    fold,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    parse_list,
    parse_yes_no,
)

MAY_3 = dt.date(2026, 5, 3)


@pytest.mark.parametrize(
    "text",
    [
        "03/05/2026",
        "3/5/2026",
        "03-05-2026",
        "03.05.2026",
        "3/5/26",
        "3 May 2026",
        "3 May 26",
        "3rd May 2026",
        "03-May-2026",
        "May 3, 2026",
        "2026-05-03",
        "2026-05-03T00:00:00",
        "2026-05-03 14:30:00",
        "46145",
        "46145.0",
        " 3 may 2026 ",
    ],
)
def test_dates_people_and_spreadsheets_write(text):
    assert parse_date(text) == MAY_3


def test_a_blank_date_is_none():
    assert parse_date("") is None
    assert parse_date("   ") is None


def test_excel_serial_days_count_from_the_1900_system():
    assert parse_date("44197") == dt.date(2021, 1, 1)
    assert parse_date("36526") == dt.date(2000, 1, 1)


@pytest.mark.parametrize("text", ["31/02/2026", "next tuesday", "13/13/2026", "1", "May 2026", "3 Smarch 2026"])
def test_unreadable_dates_say_what_and_how_to_fix(text):
    with pytest.raises(CellError) as caught:
        parse_date(text)
    assert text in caught.value.problem
    assert "day/month/year" in caught.value.fix


@pytest.mark.parametrize("text", ["Yes", "y", "TRUE", "1", "ticked", "✓", "x"])
def test_yes(text):
    assert parse_yes_no(text) is True


@pytest.mark.parametrize("text", ["No", "n", "false", "0", "unticked"])
def test_no(text):
    assert parse_yes_no(text) is False


def test_yes_no_blank_and_nonsense():
    assert parse_yes_no("") is None
    with pytest.raises(CellError) as caught:
        parse_yes_no("maybe")
    assert "Yes or No" in caught.value.fix


def test_lists_split_on_semicolons_and_commas():
    assert parse_list("English; Polish, Arabic ;; ") == ["English", "Polish", "Arabic"]
    assert parse_list("") == []


class Colour(models.TextChoices):
    LIGHT_BLUE = "light_blue", "Light blue"
    RED = "red", "Red"


@pytest.mark.parametrize("text", ["light_blue", "Light blue", "LIGHT-BLUE", " light  blue "])
def test_choices_match_value_or_label_folded(text):
    assert parse_choice(text, Colour) == Colour.LIGHT_BLUE
    assert parse_choice(text, Colour.choices) == "light_blue"


def test_an_unknown_choice_lists_the_labels():
    with pytest.raises(CellError) as caught:
        parse_choice("green", Colour)
    assert caught.value.fix == "Use one of: Light blue, Red."
    assert "light_blue" not in caught.value.fix
    assert parse_choice("", Colour) is None


def test_numbers():
    assert parse_int("3") == 3
    assert parse_int("3.0") == 3
    assert parse_int("1,200") == 1200
    assert parse_int("") is None
    assert parse_decimal("£12.50") == Decimal("12.50")
    assert parse_decimal("") is None
    for bad in ("3.5", "three", "nan", "inf"):
        with pytest.raises(CellError):
            parse_int(bad)
    for bad in ("twelve", "nan"):
        with pytest.raises(CellError):
            parse_decimal(bad)


def test_fold():
    assert fold("E-mail Address ") == "emailaddress"
    assert fold("PVG No.") == "pvgno"
    assert fold("Date of Birth") == fold("date_of_birth")
