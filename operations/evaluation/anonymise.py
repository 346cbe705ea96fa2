"""Anonymisation rules for evaluation exports: pure functions, no database.

- Pseudonyms: HMAC-SHA256 of the internal parent id with the project's
  secret. Stable within a project, unlinkable across projects without the
  secrets, which never leave the database.
- Generalisation ladders: age in 5-year bands, then 10-year bands; council
  area (GSS code), then its health board, then "Scotland".
- k-anonymity by global recoding: the generalisation steps are tried in the
  order the issue gives (age to 10 years, area to health board, area to
  Scotland); the first step whose small groups hold no more than the allowed
  share of rows is taken, and the rows still in groups under k are
  suppressed (left out of the export) last.

The planner needs only the histogram of the finest quasi-identifier keys, so
an export can stream its rows twice (count, then write) and never hold them.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from operations.core.ages import age_in_years

AGE = "age_band"
AREA = "area"
PARENT_ROLE = "parent_role"
REFERRAL_SOURCE = "referral_source"
SERVICE_KIND = "service_kind"

#: The member organisation a pooled row came from: a column only when the
#: pooled project chose it as a quasi-identifier (never generalised: a row
#: whose member group is under k is suppressed).
MEMBER = "member"

#: Every column that may be chosen as a quasi-identifier, in export order.
QUASI_IDENTIFIERS = (AGE, AREA, PARENT_ROLE, REFERRAL_SOURCE, SERVICE_KIND)
#: A pooled project may choose the member too.
POOLED_QUASI_IDENTIFIERS = (*QUASI_IDENTIFIERS, MEMBER)
DEFAULT_QUASI_IDENTIFIERS = (AGE, AREA, PARENT_ROLE)
SCOTLAND = "Scotland"
UNKNOWN = "unknown"

#: (quasi-identifier, level) in the order they are applied: generalise first.
GENERALISATION_STEPS: tuple[tuple[str, int], ...] = ((AGE, 1), (AREA, 1), (AREA, 2))


def pseudonym(secret: bytes, internal_id: int) -> str:
    """A stable pseudonymous id: the first 16 hex digits (64 bits) of the HMAC."""
    return pseudonymiser(secret)(internal_id)


def pseudonymiser(secret: bytes) -> Callable[[int], str]:
    """``pseudonym`` with the key set up once, for an export's many rows."""
    keyed = hmac.new(secret, digestmod=hashlib.sha256)

    def pseudonym_of(internal_id: int) -> str:
        mac = keyed.copy()
        mac.update(str(internal_id).encode())
        return f"P-{mac.hexdigest()[:16]}"

    return pseudonym_of


def age_on(born: date | None, day: date) -> int | None:
    if born is None:
        return None
    return age_in_years(born, day)


def age_band(age: int | None, *, width: int = 5) -> str:
    if age is None or age < 0:
        return UNKNOWN
    lower = age // width * width
    return f"{lower}-{lower + width - 1}"


def widen_age_band(band: str) -> str:
    """A 5-year band ("25-29") to its 10-year band ("20-29")."""
    if band == UNKNOWN:
        return band
    lower = int(band.split("-")[0]) // 10 * 10
    return f"{lower}-{lower + 9}"


@dataclass(frozen=True)
class AreaLadder:
    """GSS code -> health board, for the area ladder."""

    health_boards: dict[str, str]

    def at(self, gss_code: str, level: int) -> str:
        if not gss_code or gss_code == UNKNOWN:
            return UNKNOWN if level < 2 else SCOTLAND
        if level == 0:
            return gss_code
        if level == 1:
            return self.health_boards.get(gss_code, SCOTLAND)
        return SCOTLAND


@dataclass(frozen=True)
class Plan:
    """How to recode the quasi-identifiers of every row, and what it achieves."""

    quasi_identifiers: tuple[str, ...]
    k: int
    levels: dict[str, int]
    suppressed_keys: frozenset[tuple]
    rows_total: int
    rows_suppressed: int
    rows_generalised: int
    cells_generalised: int
    k_achieved: int
    groups: int
    steps_taken: tuple[str, ...] = field(default_factory=tuple)


class Recoder:
    """Maps a row's finest quasi-identifier values to the plan's levels."""

    def __init__(self, quasi_identifiers: tuple[str, ...], areas: AreaLadder) -> None:
        self.quasi_identifiers = quasi_identifiers
        self.areas = areas
        # Few distinct keys, many rows: each key is recoded once per level set.
        self._recoded: dict[tuple, tuple] = {}

    def value(self, name: str, finest: str, level: int) -> str:
        if level == 0:
            return finest
        if name == AGE:
            return widen_age_band(finest)
        if name == AREA:
            return self.areas.at(finest, level)
        return finest

    def key(self, finest_key: tuple, levels: dict[str, int]) -> tuple:
        memo = (finest_key, tuple(sorted(levels.items())))
        recoded = self._recoded.get(memo)
        if recoded is None:
            recoded = self._recoded[memo] = tuple(
                self.value(name, value, levels.get(name, 0))
                for name, value in zip(self.quasi_identifiers, finest_key, strict=True)
            )
        return recoded


def plan(
    histogram: Counter,
    *,
    quasi_identifiers: tuple[str, ...],
    k: int,
    areas: AreaLadder,
    max_suppressed_share: float = 0.05,
) -> Plan:
    """Chooses the least generalisation whose rows in groups under k are at
    most ``max_suppressed_share`` of all rows (else the most general one) and
    suppresses what is still under k."""
    recoder = Recoder(quasi_identifiers, areas)
    total = sum(histogram.values())
    steps = [(name, level) for name, level in GENERALISATION_STEPS if name in quasi_identifiers]
    levels: dict[str, int] = {}
    taken: list[str] = []
    candidates = [dict(levels)]
    for name, level in steps:
        levels = {**levels, name: level}
        candidates.append(dict(levels))
    chosen, recoded = candidates[-1], Counter()
    for index, candidate in enumerate(candidates):
        recoded = _recode(histogram, recoder, candidate)
        small = sum(count for count in recoded.values() if count < k)
        if small <= max_suppressed_share * total or index == len(candidates) - 1:
            chosen = candidate
            taken = [f"{name} to level {level}" for name, level in candidate.items()]
            break
    suppressed = frozenset(key for key, count in recoded.items() if count < k)
    kept = [count for key, count in recoded.items() if key not in suppressed]
    generalised_rows, generalised_cells = 0, 0
    for finest, count in histogram.items():
        recoded_key = recoder.key(finest, chosen)
        if recoded_key in suppressed:
            continue
        changed = sum(1 for a, b in zip(finest, recoded_key, strict=True) if a != b)
        if changed:
            generalised_rows += count
            generalised_cells += changed * count
    return Plan(
        quasi_identifiers=quasi_identifiers,
        k=k,
        levels=chosen,
        suppressed_keys=suppressed,
        rows_total=total,
        rows_suppressed=sum(recoded[key] for key in suppressed),
        rows_generalised=generalised_rows,
        cells_generalised=generalised_cells,
        k_achieved=min(kept) if kept else 0,
        groups=len(kept),
        steps_taken=tuple(taken),
    )


def _recode(histogram: Counter, recoder: Recoder, levels: dict[str, int]) -> Counter:
    recoded: Counter = Counter()
    for finest, count in histogram.items():
        recoded[recoder.key(finest, levels)] += count
    return recoded


def disclosure_lines(plan_: Plan, *, assessments_written: int, assessments_withheld: int) -> list[tuple[str, str]]:
    """The disclosure report as (item, value) pairs, for CSV and text alike."""
    levels = {AGE: ("5-year bands", "10-year bands"), AREA: ("council area", "health board", SCOTLAND)}
    recoding = [
        f"{name}: {levels[name][plan_.levels.get(name, 0)]}" for name in plan_.quasi_identifiers if name in levels
    ]
    return [
        ("quasi_identifiers", ", ".join(plan_.quasi_identifiers)),
        ("k_required", str(plan_.k)),
        ("k_achieved", str(plan_.k_achieved) if plan_.groups else "no rows"),
        ("groups", str(plan_.groups)),
        ("generalisation", "; ".join(recoding) or "none"),
        ("participant_rows_in_scope", str(plan_.rows_total)),
        ("participant_rows_written", str(plan_.rows_total - plan_.rows_suppressed)),
        ("participant_rows_suppressed", str(plan_.rows_suppressed)),
        ("participant_rows_generalised", str(plan_.rows_generalised)),
        ("quasi_identifier_cells_generalised", str(plan_.cells_generalised)),
        ("assessment_rows_written", str(assessments_written)),
        ("assessment_rows_withheld_with_suppressed_participants", str(assessments_withheld)),
    ]


def group_sizes(rows: Iterable[tuple]) -> Counter:
    """Group sizes of already-recoded keys (for checks and tests)."""
    return Counter(rows)
