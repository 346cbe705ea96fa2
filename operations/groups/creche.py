"""Crèche staffing arithmetic: pure functions, no database.

Adults needed follow the children's ages on the session date (domain.md,
"Groups and crèche"): under 2 one adult per 3 children, 2 to under 3 one per
5, 3 and over one per 8; with mixed ages the sum of the fractions, rounded
up; never fewer than the minimum (2) once any child is in the crèche. The
ratios are per-organisation settings; these are the defaults."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from operations.core.ages import age_in_years

UNDER_2 = "under_2"
TWO_TO_3 = "2_to_3"
THREE_PLUS = "3_plus"
BANDS = (UNDER_2, TWO_TO_3, THREE_PLUS)
BAND_LABELS = {UNDER_2: "under 2", TWO_TO_3: "2 to under 3", THREE_PLUS: "3 and over"}

#: A crèche place is for a child under this age on the session date.
MAX_CRECHE_AGE_YEARS = 12


@dataclass(frozen=True)
class Ratios:
    """Children per adult in each age band, and the fewest adults in a crèche."""

    under_2: int = 3
    two_to_3: int = 5
    three_plus: int = 8
    minimum_adults: int = 2

    def per_adult(self, band: str) -> int:
        return {UNDER_2: self.under_2, TWO_TO_3: self.two_to_3, THREE_PLUS: self.three_plus}[band]


DEFAULT_RATIOS = Ratios()


def age_band(born: date, on: date) -> str:
    years = age_in_years(born, on)
    if years < 2:
        return UNDER_2
    if years < 3:
        return TWO_TO_3
    return THREE_PLUS


def date_of_birth_problem(born: date, on: date) -> str | None:
    """Why a child born on ``born`` cannot have a crèche place on ``on``, or None."""
    if born > on:
        return "The date of birth is after the session date."
    if age_in_years(born, on) >= MAX_CRECHE_AGE_YEARS:
        return f"Crèche places are for children under {MAX_CRECHE_AGE_YEARS} on the session date."
    return None


def band_counts(births: Iterable[date], on: date) -> Counter:
    return Counter(age_band(born, on) for born in births)


def adults_needed(counts: Mapping[str, int], ratios: Ratios = DEFAULT_RATIOS) -> int:
    """Adults a crèche needs for ``counts`` children per age band (0 when empty)."""
    if sum(counts.values()) == 0:
        return 0
    share = sum((Fraction(counts.get(band, 0), ratios.per_adult(band)) for band in BANDS), Fraction(0))
    return max(ratios.minimum_adults, math.ceil(share))


@dataclass(frozen=True)
class Capacity:
    """What a session can hold: adult places, the crèche's rostered adults
    and optional cap on children (crèche off: no child places)."""

    adult_places: int
    creche_on: bool
    creche_adults: int
    creche_child_cap: int | None = None


def fits(
    capacity: Capacity,
    *,
    adults_booked: int,
    children_booked: Mapping[str, int],
    new_children: Mapping[str, int],
    ratios: Ratios = DEFAULT_RATIOS,
) -> bool:
    """Whether one more adult with ``new_children`` fits beside what is booked."""
    if adults_booked + 1 > capacity.adult_places:
        return False
    new_total = sum(new_children.values())
    if new_total == 0:
        return True
    if not capacity.creche_on:
        return False
    together = Counter(children_booked) + Counter(new_children)
    if capacity.creche_child_cap is not None and sum(together.values()) > capacity.creche_child_cap:
        return False
    return adults_needed(together, ratios) <= capacity.creche_adults


def child_places_left(
    capacity: Capacity, *, children_booked: Mapping[str, int], ratios: Ratios = DEFAULT_RATIOS
) -> dict[str, int]:
    """How many more children of each age band alone the crèche could take."""
    left: dict[str, int] = {}
    for band in BANDS:
        left[band] = 0
        if not capacity.creche_on:
            continue

        def fits_extra(extra: int, band: str = band) -> bool:
            together = Counter(children_booked) + Counter({band: extra})
            if capacity.creche_child_cap is not None and sum(together.values()) > capacity.creche_child_cap:
                return False
            return adults_needed(together, ratios) <= capacity.creche_adults

        # Fitting is monotone in the number of extra children, so a binary
        # search finds the largest that fits (a home page asks this for many
        # sessions). The answer is bounded: one adult takes at most
        # `per_adult` children.
        low, high = 0, capacity.creche_adults * ratios.per_adult(band)
        while low < high:
            middle = (low + high + 1) // 2
            if fits_extra(middle):
                low = middle
            else:
                high = middle - 1
        left[band] = low
    return left


@dataclass(frozen=True)
class RegistrationThresholds:
    """A crèche over ``hours_per_day`` on ``days_per_year`` or more days may
    need Care Inspectorate registration."""

    minutes_per_day: int = 120
    days_per_year: int = 6


def needs_care_inspectorate_registration(
    *, minutes_per_day: int, days_per_year: int, thresholds: RegistrationThresholds = RegistrationThresholds()
) -> bool:
    return minutes_per_day > thresholds.minutes_per_day and days_per_year >= thresholds.days_per_year
