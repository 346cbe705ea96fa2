"""The pure anonymisation rules: pseudonyms, bands, the area ladder and the
k-anonymity plan (generalise first, in the issue's order; suppress last)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from operations.evaluation import anonymise
from operations.evaluation.anonymise import AGE, AREA, PARENT_ROLE, AreaLadder, Recoder, plan

AREAS = AreaLadder({"S12000036": "NHS Lothian", "S12000019": "NHS Lothian", "S12000026": "NHS Borders"})
QUASI = (AGE, AREA, PARENT_ROLE)


def test_a_pseudonym_is_stable_within_a_project_and_differs_across_projects():
    first, second = b"a" * 32, b"b" * 32
    assert anonymise.pseudonym(first, 42) == anonymise.pseudonym(first, 42)
    assert anonymise.pseudonym(first, 42) != anonymise.pseudonym(first, 43)
    assert anonymise.pseudonym(first, 42) != anonymise.pseudonym(second, 42)
    assert len(anonymise.pseudonym(first, 42)) == len("P-") + 16


def test_age_is_counted_on_the_referral_day_and_banded_by_five_then_ten_years():
    assert anonymise.age_on(date(1996, 3, 1), date(2026, 2, 28)) == 29
    assert anonymise.age_on(date(1996, 3, 1), date(2026, 3, 1)) == 30
    assert anonymise.age_band(29) == "25-29"
    assert anonymise.age_band(30) == "30-34"
    assert anonymise.age_band(None) == "unknown"
    assert anonymise.widen_age_band("25-29") == "20-29"
    assert anonymise.widen_age_band("30-34") == "30-39"


def test_a_council_area_generalises_to_its_health_board_then_to_scotland():
    assert AREAS.at("S12000036", 0) == "S12000036"
    assert AREAS.at("S12000036", 1) == "NHS Lothian"
    assert AREAS.at("S12000036", 2) == "Scotland"
    assert AREAS.at("", 1) == "unknown"
    assert AREAS.at("", 2) == "Scotland"


def _histogram(*rows: tuple[tuple, int]) -> Counter:
    return Counter(dict(rows))


def test_a_data_set_already_k_anonymous_is_left_as_it_is():
    histogram = _histogram((("25-29", "S12000036", "mother"), 6), (("30-34", "S12000036", "mother"), 5))
    result = plan(histogram, quasi_identifiers=QUASI, k=5, areas=AREAS)
    assert result.levels == {}
    assert result.rows_suppressed == 0
    assert result.k_achieved == 5
    assert result.cells_generalised == 0


def test_age_is_widened_before_the_area_is():
    histogram = _histogram((("25-29", "S12000036", "mother"), 3), (("20-24", "S12000036", "mother"), 3))
    result = plan(histogram, quasi_identifiers=QUASI, k=5, areas=AREAS)
    assert result.levels == {AGE: 1}
    assert result.k_achieved == 6
    assert result.rows_generalised == 6
    assert result.cells_generalised == 6  # one age cell in each of the six rows


def test_areas_are_joined_into_their_health_board_and_then_scotland_when_k_demands():
    histogram = _histogram(
        (("25-29", "S12000036", "mother"), 3),
        (("25-29", "S12000019", "mother"), 3),
        (("25-29", "S12000026", "mother"), 2),
    )
    board = plan(histogram, quasi_identifiers=QUASI, k=5, areas=AREAS, max_suppressed_share=0.25)
    assert board.levels == {AGE: 1, AREA: 1}
    assert board.rows_suppressed == 2  # the two in Borders: 25% allowed
    scotland = plan(histogram, quasi_identifiers=QUASI, k=5, areas=AREAS, max_suppressed_share=0.0)
    assert scotland.levels == {AGE: 1, AREA: 2}
    assert scotland.rows_suppressed == 0
    assert scotland.k_achieved == 8


def test_rows_still_in_a_small_group_after_every_generalisation_are_suppressed():
    histogram = _histogram((("25-29", "S12000036", "mother"), 9), (("25-29", "S12000036", "father"), 1))
    result = plan(histogram, quasi_identifiers=QUASI, k=5, areas=AREAS)
    assert result.levels == {AGE: 1, AREA: 2}
    assert result.rows_suppressed == 1
    assert result.k_achieved == 9
    recoder = Recoder(QUASI, AREAS)
    kept = Counter()
    for key, count in histogram.items():
        recoded = recoder.key(key, result.levels)
        if recoded not in result.suppressed_keys:
            kept[recoded] += count
    assert min(kept.values()) >= 5


def test_only_chosen_quasi_identifiers_are_generalised():
    histogram = _histogram((("S12000036",), 2), (("S12000019",), 3))
    result = plan(histogram, quasi_identifiers=(AREA,), k=5, areas=AREAS)
    assert result.levels == {AREA: 1}
    assert result.k_achieved == 5


def test_the_disclosure_report_names_what_was_done():
    histogram = _histogram((("25-29", "S12000036", "mother"), 9), (("25-29", "S12000036", "father"), 1))
    lines = dict(
        anonymise.disclosure_lines(
            plan(histogram, quasi_identifiers=QUASI, k=5, areas=AREAS), assessments_written=18, assessments_withheld=2
        )
    )
    assert lines["k_required"] == "5"
    assert lines["k_achieved"] == "9"
    assert lines["participant_rows_suppressed"] == "1"
    assert lines["generalisation"] == "age_band: 10-year bands; area: Scotland"
    assert lines["assessment_rows_withheld_with_suppressed_participants"] == "2"
