"""Scoring of every measure against its published rules and tables (pure, no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from operations.outcomes import measures
from operations.outcomes.measures import CORE10, EPDS, GAD7, MEASURES, PHQ9, SWEMWBS, WEMWBS, ScoringError, score

# Positions are what the form stores: 0 is the first option printed on the paper form.


def epds_positions(item_scores: list[int]) -> list[int]:
    """The positions a parent ticks to get these EPDS item scores: items 3
    and 5–10 print their highest-scoring option first."""
    return [3 - s if n in {3, 5, 6, 7, 8, 9, 10} else s for n, s in enumerate(item_scores, start=1)]


# --- EPDS ------------------------------------------------------------------


def test_epds_first_option_everywhere_scores_the_reverse_items_at_three():
    result = score(EPDS, [0] * 10)
    assert result.item_scores == (0, 0, 3, 0, 3, 3, 3, 3, 3, 3)
    assert result.total == Decimal(21)


def test_epds_reverse_items_are_items_3_and_5_to_10():
    assert EPDS.reverse_items == frozenset({3, 5, 6, 7, 8, 9, 10})
    for item in range(1, 11):
        positions = [0 if n in EPDS.reverse_items else 3 for n in range(1, 11)]
        # Every item at its worst: 30, whichever way each item runs.
        assert score(EPDS, positions).total == Decimal(30), item


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "below"), (9, "below"), (10, "possible"), (12, "possible"), (13, "probable"), (30, "probable")],
)
def test_epds_bands_at_10_and_13(total, band):
    item_scores = [3] * (total // 3) + ([total % 3] if total % 3 else [])
    item_scores += [0] * (10 - len(item_scores))
    result = score(EPDS, epds_positions(item_scores))
    assert result.total == Decimal(total)
    assert result.band_code == band


def test_epds_item_10_alerts_whatever_the_total():
    item_scores = [0] * 9 + [1]  # "hardly ever" thoughts of self-harm, total 1
    result = score(EPDS, epds_positions(item_scores))
    assert result.total == Decimal(1)
    assert result.band_code == "below"
    assert result.alert_items == (10,)


def test_epds_item_10_never_alerts_at_zero_even_with_a_high_total():
    result = score(EPDS, epds_positions([3] * 9 + [0]))
    assert result.total == Decimal(27)
    assert result.alert_items == ()


def test_epds_mixed_form_scores_each_item_the_way_it_is_printed():
    # Cox et al.'s scoring: 1, 2 and 4 score 0–3 down the page; 3 and 5–10 score 3–0.
    positions = [1, 0, 1, 2, 0, 2, 3, 1, 3, 3]
    result = score(EPDS, positions)
    assert result.item_scores == (1, 0, 2, 2, 3, 1, 0, 2, 0, 0)
    assert result.total == Decimal(11)
    assert result.band_code == "possible"
    assert result.alert_items == ()


# --- PHQ-9 and GAD-7 --------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
        (15, "moderately_severe"), (19, "moderately_severe"), (20, "severe"), (27, "severe"),
    ],
)  # fmt: skip
def test_phq9_bands_at_5_10_15_20(total, band):
    positions = [3] * (total // 3) + ([total % 3] if total % 3 else [])
    positions = positions + [0] * (9 - len(positions))
    result = score(PHQ9, positions)
    assert result.total == Decimal(total)
    assert result.band_code == band


def test_phq9_item_9_alerts_at_any_score_above_zero():
    assert score(PHQ9, [0] * 8 + [1]).alert_items == (9,)
    assert score(PHQ9, [3] * 8 + [0]).alert_items == ()
    assert score(PHQ9, [3] * 9).alert_items == (9,)


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"), (15, "severe"),
     (21, "severe")],
)  # fmt: skip
def test_gad7_bands_at_5_10_15(total, band):
    positions = [3] * (total // 3) + ([total % 3] if total % 3 else [])
    positions = positions + [0] * (7 - len(positions))
    result = score(GAD7, positions)
    assert result.total == Decimal(total)
    assert result.band_code == band
    assert result.alert_items == ()


def test_phq9_and_gad7_ship_their_free_response_labels():
    assert PHQ9.labels() == ("Not at all", "Several days", "More than half the days", "Nearly every day")
    assert GAD7.labels() == PHQ9.labels()


# --- WEMWBS and SWEMWBS ----------------------------------------------------------


def test_wemwbs_runs_from_14_to_70():
    assert score(WEMWBS, [0] * 14).total == Decimal(14)
    assert score(WEMWBS, [4] * 14).total == Decimal(70)
    assert score(WEMWBS, [2] * 14).total == Decimal(42)
    assert (WEMWBS.min_total, WEMWBS.max_total) == (Decimal(14), Decimal(70))


def test_wemwbs_has_no_reverse_items_bands_or_alerts():
    result = score(WEMWBS, [0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3])
    assert result.item_scores == (1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4)
    assert result.total == Decimal(40)
    assert result.band is None
    assert result.alert_items == ()


# The published Rasch conversion of SWEMWBS raw totals to metric scores
# (Warwick Medical School, SWEMWBS conversion table), row by row.
SWEMWBS_TABLE = [
    (7, "7.00"), (8, "9.51"), (9, "11.25"), (10, "12.40"), (11, "13.33"), (12, "14.08"), (13, "14.75"),
    (14, "15.32"), (15, "15.84"), (16, "16.36"), (17, "16.88"), (18, "17.43"), (19, "17.98"), (20, "18.59"),
    (21, "19.25"), (22, "19.98"), (23, "20.73"), (24, "21.54"), (25, "22.35"), (26, "23.21"), (27, "24.11"),
    (28, "25.03"), (29, "26.02"), (30, "27.03"), (31, "28.13"), (32, "29.31"), (33, "30.70"), (34, "32.55"),
    (35, "35.00"),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "metric"), SWEMWBS_TABLE)
def test_swemwbs_every_raw_total_converts_by_the_published_table(raw, metric):
    extra = raw - 7  # spread the raw total over the seven items, 1–5 each
    positions = [min(4, max(0, extra - 4 * i)) for i in range(7)]
    assert sum(positions) + 7 == raw
    assert score(SWEMWBS, positions).total == Decimal(metric)


def test_swemwbs_table_covers_every_raw_total_and_rises():
    assert sorted(SWEMWBS.conversion) == list(range(7, 36))
    values = [SWEMWBS.conversion[raw] for raw in range(7, 36)]
    assert values == sorted(values)
    assert (SWEMWBS.min_total, SWEMWBS.max_total) == (Decimal("7.00"), Decimal("35.00"))


# --- CORE-10 ----------------------------------------------------------------------


def test_core10_items_2_and_3_are_reversed():
    result = score(CORE10, [0] * 10)
    assert result.item_scores == (0, 4, 4, 0, 0, 0, 0, 0, 0, 0)
    assert result.total == Decimal("8.0")  # mean 0.8 × 10


def test_core10_all_answered_is_the_sum_of_items():
    positions = [2, 2, 2, 2, 2, 0, 2, 2, 2, 2]  # every item scores 2, item 6 at 0
    result = score(CORE10, positions)
    assert result.total == Decimal("18.0")
    assert result.band_code == "moderate"
    assert result.alert_items == ()


def test_core10_one_missing_item_is_prorated_as_mean_times_ten():
    positions = [3, 1, 1, 3, 3, 0, 3, 3, 3, None]  # nine items scoring 3, 3, 3, 3, 3, 0, 3, 3, 3
    result = score(CORE10, positions)
    assert result.item_scores[-1] is None
    assert result.total == Decimal("26.7")  # 24 / 9 × 10, rounded to one decimal
    assert result.band_code == "severe"


def test_core10_two_missing_items_are_refused():
    with pytest.raises(ScoringError, match="at most 1"):
        score(CORE10, [0, 0, 0, 0, 0, 0, 0, 0, None, None])


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "healthy"), (5, "healthy"), (6, "low"), (10, "low"), (11, "mild"), (14, "mild"), (15, "moderate"),
     (19, "moderate"), (20, "moderate_severe"), (24, "moderate_severe"), (25, "severe"), (40, "severe")],
)  # fmt: skip
def test_core10_bands(total, band):
    assert CORE10.band_for(Decimal(total)).code == band


def test_core10_item_6_alerts_above_zero():
    positions = [0, 4, 4, 0, 0, 1, 0, 0, 0, 0]
    result = score(CORE10, positions)
    assert result.total == Decimal("1.0")
    assert result.alert_items == (6,)


def test_core10_reliable_change_is_6():
    assert measures.reliably_improved(CORE10, Decimal(20), Decimal(14))
    assert not measures.reliably_improved(CORE10, Decimal(20), Decimal("14.1"))


# --- change -----------------------------------------------------------------------


def test_change_is_positive_when_the_parent_is_better_whichever_way_the_measure_runs():
    assert measures.change(EPDS, Decimal(15), Decimal(9)) == Decimal(6)
    assert measures.change(WEMWBS, Decimal(40), Decimal(46)) == Decimal(6)
    assert measures.reliably_improved(EPDS, Decimal(15), Decimal(11))
    assert not measures.reliably_improved(EPDS, Decimal(15), Decimal(12))
    assert not measures.reliably_improved(WEMWBS, Decimal(46), Decimal(40))


# --- custom questionnaires ---------------------------------------------------------


def test_custom_questionnaire_sums_its_items_with_reverse_items():
    rules = measures.custom_measure(
        code="custom-1", name="Isolation", items=4, scale_min=1, scale_max=5, reverse_items=frozenset({2})
    )
    result = score(rules, [4, 4, 0, 2])  # 5, reverse of 5 = 1, 1, 3
    assert result.item_scores == (5, 1, 1, 3)
    assert result.total == Decimal(10)
    assert result.band is None
    assert result.alert_items == ()
    assert rules.labels() == ("1", "2", "3", "4", "5")


def test_custom_questionnaire_on_a_zero_based_scale():
    rules = measures.custom_measure(code="custom-2", name="Confidence", items=3, scale_min=0, scale_max=10)
    assert score(rules, [10, 0, 5]).total == Decimal(15)
    with pytest.raises(ScoringError):
        score(rules, [11, 0, 5])


# --- refusals ----------------------------------------------------------------------


@pytest.mark.parametrize("measure", list(MEASURES.values()), ids=list(MEASURES))
def test_wrong_number_of_responses_is_refused(measure):
    with pytest.raises(ScoringError, match=f"{measure.items} items"):
        score(measure, [0] * (measure.items - 1))
    with pytest.raises(ScoringError, match=f"{measure.items} items"):
        score(measure, [0] * (measure.items + 1))


@pytest.mark.parametrize("measure", list(MEASURES.values()), ids=list(MEASURES))
@pytest.mark.parametrize("bad", [-1, "options", 1.5, "1", True, False])
def test_out_of_range_and_wrong_types_are_refused(measure, bad):
    positions = [0] * measure.items
    positions[0] = bad if bad != "options" else measure.options
    with pytest.raises(ScoringError, match="Item 1"):
        score(measure, positions)


@pytest.mark.parametrize("measure", [EPDS, WEMWBS, SWEMWBS, PHQ9, GAD7], ids=lambda m: m.code)
def test_a_missing_item_is_refused_where_the_measure_allows_none(measure):
    positions = [0] * measure.items
    positions[2] = None
    with pytest.raises(ScoringError, match="every item must be answered"):
        score(measure, positions)


# --- labels ------------------------------------------------------------------------


def test_neutral_labels_give_each_items_own_scores():
    assert EPDS.item_labels(1) == ("Option 1 (scores 0)", "Option 2 (scores 1)", "Option 3 (scores 2)",
                                   "Option 4 (scores 3)")  # fmt: skip
    assert EPDS.item_labels(3)[0] == "Option 1 (scores 3)"
    assert CORE10.item_labels(2)[-1] == "Option 5 (scores 0)"
    assert PHQ9.item_labels(9) == PHQ9.labels()


def test_every_measure_names_its_citation_and_copyright():
    for measure in MEASURES.values():
        assert measure.citation
        assert measure.copyright


@pytest.mark.parametrize("measure", list(MEASURES.values()), ids=list(MEASURES))
def test_position_for_is_the_inverse_of_item_score(measure):
    for item in measure.item_numbers:
        for position in range(measure.options):
            assert measure.position_for(item, measure.item_score(item, position)) == position
