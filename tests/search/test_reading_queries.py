"""How a query is read and how a parent's search text is written: pure rules,
no database."""

from __future__ import annotations

import pytest

from operations.core.searching import MAX_QUERY_LENGTH, fold, read_query, searchable_text

YASMIN = searchable_text(names=["Yasmin", "", "Turnbull"], postcode="TD7 4EG", phone="07700 900123")


def test_a_parent_is_kept_as_folded_names_a_compact_postcode_and_national_digits():
    assert YASMIN == "yasmin turnbull td74eg 07700900123"


@pytest.mark.parametrize(
    "typed",
    ["Yasmin Turnbull", "turnbull yasmin", "TURNBULL", "yas", "td74eg", "TD7 4EG", "td7", "Turnbull TD7"],
)
def test_names_in_any_order_parts_and_postcodes_find_her(typed):
    assert read_query(typed).matches(YASMIN)


@pytest.mark.parametrize("typed", ["07700 900123", "+44 7700 900123", "07700900123", "0044 7700 900123", "900123"])
def test_a_phone_number_in_any_format_finds_her(typed):
    assert read_query(typed).matches(YASMIN)


def test_a_number_with_a_leading_zero_or_country_code_is_never_a_record_number():
    assert read_query("07700 900123").record_number is None
    assert read_query("+44 7700 900123").record_number is None
    # Six digits or more may be either: both are looked for.
    assert read_query("900123").record_number == 900123


@pytest.mark.parametrize("typed", ["Yasmin Smith", "td74ef", "07700 900124"])
def test_every_word_must_match(typed):
    assert not read_query(typed).matches(YASMIN)


def test_accents_and_case_are_ignored_both_ways():
    zoe = searchable_text(names=["Zoë", "", "Ó Briain"])
    assert read_query("zoe briain").matches(zoe)
    assert read_query("ZOË").matches(searchable_text(names=["Zoe", "", "Smith"]))
    assert fold("Łucja Ørsted-Smith") == "lucja orstedsmith"


@pytest.mark.parametrize(("typed", "number"), [("#41", 41), ("# 41", 41), ("41", 41)])
def test_a_short_number_is_a_record_number_not_part_of_a_phone(typed, number):
    query = read_query(typed)
    assert query.record_number == number
    assert query.terms == ()


def test_nothing_typed_is_an_empty_query():
    assert read_query("   ").is_empty
    assert read_query("").is_empty
    assert not read_query("").matches(YASMIN)


def test_a_query_is_read_to_its_cap_only():
    assert len(read_query("a" * (MAX_QUERY_LENGTH + 50)).text) == MAX_QUERY_LENGTH
