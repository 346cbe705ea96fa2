"""Scoring of the validated outcome measures: pure rules, no database.

What is stored for an assessment is the *position* of the option the parent
chose on the paper or screen form (0 = the first option listed), one per
item, or ``None`` for an unanswered item. Scores come from positions here,
so reverse-scored items are handled in one place and the form never has to
know which items run backwards.

No item wording is shipped (see domain.md, "Licences"): the EPDS wording is
© Royal College of Psychiatrists and (S)WEMWBS need registration with
Warwick. Response-option labels are shipped only where the measure's owner
allows free reproduction (PHQ-9 and GAD-7); other measures show neutral
labels unless an organisation holding permission enters the wording.

``SCORING_VERSION`` is stored with every assessment: change it whenever a
rule below changes, so old totals can be told apart from new ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

SCORING_VERSION = "2026.1"


class ScoringError(ValueError):
    """The responses cannot be scored; the message says why, for a form error."""


@dataclass(frozen=True)
class Band:
    lower: Decimal  # inclusive lower bound of the total
    code: str
    label: str


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    items: int
    options: int  # number of response options per item
    first_score: int  # score of the first option of a forward item (0 or 1)
    reverse_items: frozenset[int] = frozenset()  # item numbers, 1-based
    alert_items: frozenset[int] = frozenset()  # a score above 0 raises a safety alert
    bands: tuple[Band, ...] = ()
    higher_is_better: bool = False
    #: The smallest change in the total that counts as reliable (see sources).
    reliable_change: Decimal = Decimal(0)
    max_missing: int = 0
    option_labels: tuple[str, ...] = ()  # shipped only where reproduction is free
    citation: str = ""
    copyright: str = ""
    conversion: dict[int, Decimal] = field(default_factory=dict)  # raw total -> reported score

    @property
    def item_numbers(self) -> range:
        return range(1, self.items + 1)

    @property
    def min_total(self) -> Decimal:
        return self._report(self.items * self.first_score) if not self.max_missing else Decimal(0)

    @property
    def max_total(self) -> Decimal:
        top = self.first_score + self.options - 1
        return self._report(self.items * top) if not self.max_missing else Decimal(10 * top)

    def labels(self) -> tuple[str, ...]:
        if self.option_labels:
            return self.option_labels
        return tuple(f"Option {n} ({self.item_score_for_forward(n - 1)})" for n in range(1, self.options + 1))

    def item_labels(self, item: int) -> tuple[str, ...]:
        """The options of one item, in the order printed on the form. Neutral
        labels name the score each option gives *on this item*, so a
        reverse-scored item (EPDS 3, 5–10) does not mislead whoever enters it."""
        if self.option_labels:
            return self.option_labels
        return tuple(f"Option {n} (scores {self.item_score(item, n - 1)})" for n in range(1, self.options + 1))

    def item_score_for_forward(self, position: int) -> int:
        return self.first_score + position

    def item_score(self, item: int, position: int) -> int:
        if item in self.reverse_items:
            return self.first_score + (self.options - 1 - position)
        return self.first_score + position

    def position_for(self, item: int, item_score: int) -> int:
        """The option a parent ticks to give ``item`` this score (the inverse of ``item_score``)."""
        if item in self.reverse_items:
            return self.options - 1 - (item_score - self.first_score)
        return item_score - self.first_score

    def _report(self, raw: int) -> Decimal:
        return self.conversion[raw] if self.conversion else Decimal(raw)

    def band_for(self, total: Decimal) -> Band | None:
        chosen = None
        for band in self.bands:
            if total >= band.lower:
                chosen = band
        return chosen


@dataclass(frozen=True)
class Score:
    item_scores: tuple[int | None, ...]
    total: Decimal
    band: Band | None
    alert_items: tuple[int, ...]
    scoring_version: str = SCORING_VERSION

    @property
    def band_code(self) -> str:
        return self.band.code if self.band else ""


def score(measure: Measure, positions: list[int | None] | tuple[int | None, ...]) -> Score:
    """Scores one completed form, or raises ScoringError with a readable reason."""
    if len(positions) != measure.items:
        raise ScoringError(f"{measure.name} has {measure.items} items; {len(positions)} responses were given.")
    for number, position in zip(measure.item_numbers, positions, strict=True):
        if position is None:
            continue
        if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position < measure.options:
            raise ScoringError(f"Item {number}: choose one of the {measure.options} options.")
    missing = [n for n, p in zip(measure.item_numbers, positions, strict=True) if p is None]
    if len(missing) > measure.max_missing:
        allowed = "every item must be answered" if not measure.max_missing else f"at most {measure.max_missing} may be"
        raise ScoringError(f"{measure.name}: item(s) {', '.join(map(str, missing))} unanswered; {allowed}.")
    item_scores = tuple(
        None if p is None else measure.item_score(n, p) for n, p in zip(measure.item_numbers, positions, strict=True)
    )
    answered = [s for s in item_scores if s is not None]
    if measure.max_missing:
        # CORE-10: the mean of the answered items times ten, so one missing
        # item does not lower the score (Barkham et al. 2013).
        total = (Decimal(sum(answered)) * 10 / len(answered)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    else:
        total = measure._report(sum(answered))
    alerts = tuple(n for n, s in zip(measure.item_numbers, item_scores, strict=True) if n in measure.alert_items and s)
    return Score(item_scores=item_scores, total=total, band=measure.band_for(total), alert_items=alerts)


def change(measure: Measure, baseline: Decimal, latest: Decimal) -> Decimal:
    """Improvement from baseline to latest, positive when the parent is better."""
    difference = latest - baseline
    return difference if measure.higher_is_better else -difference


def reliably_improved(measure: Measure, baseline: Decimal, latest: Decimal) -> bool:
    return change(measure, baseline, latest) >= measure.reliable_change


def _bands(*rows: tuple[int | str, str, str]) -> tuple[Band, ...]:
    return tuple(Band(Decimal(str(lower)), code, label) for lower, code, label in rows)


FREQUENCY_0_3 = ("Not at all", "Several days", "More than half the days", "Nearly every day")

# The published Rasch conversion of SWEMWBS raw totals (7–35) to metric
# scores (Stewart-Brown et al. 2009; Warwick Medical School's scoring table).
SWEMWBS_METRIC = {
    raw: Decimal(metric)
    for raw, metric in zip(
        range(7, 36),
        "7.00 9.51 11.25 12.40 13.33 14.08 14.75 15.32 15.84 16.36 16.88 17.43 17.98 18.59 19.25 "
        "19.98 20.73 21.54 22.35 23.21 24.11 25.03 26.02 27.03 28.13 29.31 30.70 32.55 35.00".split(),
        strict=True,
    )
}

EPDS = Measure(
    code="epds",
    name="EPDS",
    items=10,
    options=4,
    first_score=0,
    reverse_items=frozenset({3, 5, 6, 7, 8, 9, 10}),
    alert_items=frozenset({10}),
    bands=_bands(
        (0, "below", "Below threshold"),
        (10, "possible", "Possible depression"),
        (13, "probable", "Probable depression"),
    ),  # fmt: skip
    # Matthey (2004): a change of 4 points is reliable.
    reliable_change=Decimal(4),
    citation="Cox, J.L., Holden, J.M. & Sagovsky, R. (1987) Detection of postnatal depression. "
    "British Journal of Psychiatry, 150, 782–786.",
    copyright="© The Royal College of Psychiatrists 1987. Item wording may be reproduced only with "
    "the College's written permission.",
)

WEMWBS = Measure(
    code="wemwbs",
    name="WEMWBS",
    items=14,
    options=5,
    first_score=1,
    higher_is_better=True,
    # Maheswaran et al. (2012): a change of 3 or more is meaningful.
    reliable_change=Decimal(3),
    citation="Tennant, R. et al. (2007) The Warwick-Edinburgh Mental Well-being Scale (WEMWBS). "
    "Health and Quality of Life Outcomes, 5, 63.",
    copyright="Warwick Edinburgh Mental Well-Being Scale (WEMWBS) © NHS Health Scotland, University of "
    "Warwick and University of Edinburgh, 2006, all rights reserved.",
)

SWEMWBS = Measure(
    code="swemwbs",
    name="SWEMWBS",
    items=7,
    options=5,
    first_score=1,
    higher_is_better=True,
    # Shah et al. (2018): about 1 metric point is the minimal important change.
    reliable_change=Decimal(1),
    conversion=SWEMWBS_METRIC,
    citation="Stewart-Brown, S. et al. (2009) Internal construct validity of the Warwick-Edinburgh "
    "Mental Well-being Scale (WEMWBS). Health and Quality of Life Outcomes, 7, 15.",
    copyright="Short Warwick Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, University "
    "of Warwick and University of Edinburgh, 2008, all rights reserved.",
)

PHQ9 = Measure(
    code="phq9",
    name="PHQ-9",
    items=9,
    options=4,
    first_score=0,
    alert_items=frozenset({9}),
    bands=_bands(
        (0, "minimal", "Minimal"),
        (5, "mild", "Mild"),
        (10, "moderate", "Moderate"),
        (15, "moderately_severe", "Moderately severe"),
        (20, "severe", "Severe"),
    ),  # fmt: skip
    # McMillan et al. (2010): a change of 6 points is reliable.
    reliable_change=Decimal(6),
    option_labels=FREQUENCY_0_3,
    citation="Kroenke, K., Spitzer, R.L. & Williams, J.B. (2001) The PHQ-9. "
    "Journal of General Internal Medicine, 16, 606–613.",
    copyright="Developed by Drs. Spitzer, Williams, Kroenke and colleagues with an educational grant "
    "from Pfizer Inc. No permission required to reproduce, translate, display or distribute.",
)

GAD7 = Measure(
    code="gad7",
    name="GAD-7",
    items=7,
    options=4,
    first_score=0,
    bands=_bands(
        (0, "minimal", "Minimal"), (5, "mild", "Mild"), (10, "moderate", "Moderate"), (15, "severe", "Severe")
    ),  # fmt: skip
    # NHS Talking Therapies (IAPT) manual: a change of 4 points is reliable.
    reliable_change=Decimal(4),
    option_labels=FREQUENCY_0_3,
    citation="Spitzer, R.L. et al. (2006) A brief measure for assessing generalized anxiety disorder: "
    "the GAD-7. Archives of Internal Medicine, 166, 1092–1097.",
    copyright="Developed by Drs. Spitzer, Williams, Kroenke and colleagues with an educational grant "
    "from Pfizer Inc. No permission required to reproduce, translate, display or distribute.",
)

CORE10 = Measure(
    code="core10",
    name="CORE-10",
    items=10,
    options=5,
    first_score=0,
    reverse_items=frozenset({2, 3}),
    alert_items=frozenset({6}),
    max_missing=1,
    bands=_bands(
        (0, "healthy", "Healthy"),
        (6, "low", "Low level"),
        (11, "mild", "Mild"),
        (15, "moderate", "Moderate"),
        (20, "moderate_severe", "Moderate to severe"),
        (25, "severe", "Severe"),
    ),  # fmt: skip
    reliable_change=Decimal(6),
    citation="Barkham, M. et al. (2013) The CORE-10: a short measure of psychological distress for "
    "routine use in the psychological therapies. Counselling and Psychotherapy Research, 13, 3–13.",
    copyright="© CORE System Trust. Reproduced unchanged under the Trust's licence terms.",
)

MEASURES: dict[str, Measure] = {m.code: m for m in (EPDS, WEMWBS, SWEMWBS, PHQ9, GAD7, CORE10)}


def custom_measure(
    *,
    code: str,
    name: str,
    items: int,
    scale_min: int,
    scale_max: int,
    reverse_items: frozenset[int] = frozenset(),
    higher_is_better: bool = True,
) -> Measure:
    """An organisation's own Likert questionnaire ("I feel less isolated", …):
    the total is the plain sum of the item scores, with no bands or alerts."""  # fmt: skip
    return Measure(
        code=code, name=name, items=items, options=scale_max - scale_min + 1, first_score=scale_min,
        reverse_items=reverse_items, higher_is_better=higher_is_better,
        option_labels=tuple(str(n) for n in range(scale_min, scale_max + 1)),
    )  # fmt: skip
