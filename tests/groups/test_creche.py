"""Crèche staffing arithmetic: table-driven, no database."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from operations.groups import creche
from operations.groups.creche import THREE_PLUS, TWO_TO_3, UNDER_2, Capacity, Ratios


@pytest.mark.parametrize(
    ("under_2", "two_to_3", "three_plus", "adults"),
    [
        (0, 0, 0, 0),  # nobody in the crèche needs nobody
        (1, 0, 0, 2),  # never fewer than 2
        (3, 0, 0, 2),
        (6, 0, 0, 2),
        (7, 0, 0, 3),  # 7/3 → 3
        (9, 0, 0, 3),
        (10, 0, 0, 4),
        (0, 5, 0, 2),
        (0, 11, 0, 3),  # 11/5 → 3
        (0, 0, 8, 2),
        (0, 0, 17, 3),  # 17/8 → 3
        (0, 0, 24, 3),
        (3, 5, 8, 3),  # 1 + 1 + 1
        (4, 5, 8, 4),  # 4/3 + 1 + 1 = 3.33 → 4
        (2, 3, 4, 2),  # 2/3 + 3/5 + 1/2 = 1.77 → 2
        (5, 4, 7, 4),  # 5/3 + 4/5 + 7/8 = 3.34 → 4
        (6, 0, 8, 3),  # exactly 3: fractions summed, not rounded per band
        (1, 1, 1, 2),
    ],
)
def test_adults_needed_for_mixed_ages(under_2, two_to_3, three_plus, adults):
    counts = {UNDER_2: under_2, TWO_TO_3: two_to_3, THREE_PLUS: three_plus}
    assert creche.adults_needed(counts) == adults


def test_an_organisations_own_ratios_apply():
    stricter = Ratios(under_2=2, two_to_3=4, three_plus=6, minimum_adults=3)
    assert creche.adults_needed({UNDER_2: 5}, stricter) == 3
    assert creche.adults_needed({UNDER_2: 7}, stricter) == 4
    assert creche.adults_needed({THREE_PLUS: 1}, stricter) == 3


@pytest.mark.parametrize(
    ("born", "on", "band"),
    [
        (dt.date(2025, 11, 27), dt.date(2026, 11, 27), UNDER_2),  # 1 today
        (dt.date(2024, 11, 28), dt.date(2026, 11, 27), UNDER_2),  # 2 tomorrow
        (dt.date(2024, 11, 27), dt.date(2026, 11, 27), TWO_TO_3),  # 2 today
        (dt.date(2023, 11, 28), dt.date(2026, 11, 27), TWO_TO_3),
        (dt.date(2023, 11, 27), dt.date(2026, 11, 27), THREE_PLUS),
        # Born 29 February: turns 2 on 1 March in a common year.
        (dt.date(2024, 2, 29), dt.date(2026, 2, 28), UNDER_2),
        (dt.date(2024, 2, 29), dt.date(2026, 3, 1), TWO_TO_3),
    ],
)
def test_age_band_on_the_session_date(born, on, band):
    assert creche.age_band(born, on) == band


@pytest.mark.parametrize(
    ("born", "problem"),
    [
        (dt.date(2026, 11, 28), "after the session date"),
        (dt.date(2014, 11, 27), "under 12"),  # 12 on the day
        (dt.date(2010, 1, 1), "under 12"),
        (dt.date(2014, 11, 28), None),  # 11, the day before turning 12
        (dt.date(2026, 11, 27), None),  # born that day
    ],
)
def test_date_of_birth_for_a_creche_place(born, problem):
    found = creche.date_of_birth_problem(born, dt.date(2026, 11, 27))
    if problem is None:
        assert found is None
    else:
        assert problem in found


def test_fits_checks_adult_places_staffing_and_cap():
    capacity = Capacity(adult_places=5, creche_on=True, creche_adults=2, creche_child_cap=7)
    assert creche.fits(capacity, adults_booked=4, children_booked={}, new_children={UNDER_2: 1})
    assert not creche.fits(capacity, adults_booked=5, children_booked={}, new_children={})
    # 6 babies need 2 adults; a seventh needs a third.
    assert creche.fits(capacity, adults_booked=0, children_booked={UNDER_2: 5}, new_children={UNDER_2: 1})
    assert not creche.fits(capacity, adults_booked=0, children_booked={UNDER_2: 6}, new_children={UNDER_2: 1})
    # With 6 babies the crèche still takes a three-year-old? 6/3 + 1/8 > 2: no.
    assert not creche.fits(capacity, adults_booked=0, children_booked={UNDER_2: 6}, new_children={THREE_PLUS: 1})
    # The cap binds before the ratio.
    assert not creche.fits(capacity, adults_booked=0, children_booked={THREE_PLUS: 7}, new_children={THREE_PLUS: 1})
    no_creche = Capacity(adult_places=5, creche_on=False, creche_adults=0)
    assert not creche.fits(no_creche, adults_booked=0, children_booked={}, new_children={TWO_TO_3: 1})
    assert creche.fits(no_creche, adults_booked=0, children_booked={}, new_children={})


def test_child_places_left_by_age_band():
    capacity = Capacity(adult_places=20, creche_on=True, creche_adults=2)
    assert creche.child_places_left(capacity, children_booked=Counter()) == {UNDER_2: 6, TWO_TO_3: 10, THREE_PLUS: 16}
    # 3 babies use half the staffing: 3 more babies, or 5 two-year-olds, or 8 older.
    assert creche.child_places_left(capacity, children_booked=Counter({UNDER_2: 3})) == {
        UNDER_2: 3,
        TWO_TO_3: 5,
        THREE_PLUS: 8,
    }
    capped = Capacity(adult_places=20, creche_on=True, creche_adults=2, creche_child_cap=4)
    assert creche.child_places_left(capped, children_booked=Counter({UNDER_2: 1}))[THREE_PLUS] == 3
    off = Capacity(adult_places=20, creche_on=False, creche_adults=0)
    assert creche.child_places_left(off, children_booked=Counter()) == {UNDER_2: 0, TWO_TO_3: 0, THREE_PLUS: 0}


@pytest.mark.parametrize(
    ("minutes", "days", "flag"),
    [(120, 52, False), (121, 52, True), (150, 6, True), (150, 5, False), (90, 365, False)],
)
def test_care_inspectorate_registration_threshold(minutes, days, flag):
    assert creche.needs_care_inspectorate_registration(minutes_per_day=minutes, days_per_year=days) is flag
