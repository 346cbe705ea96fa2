"""Who may be matched with a parent, and how well: plain rules, no database.

Hard constraints exclude (each with a reason a coordinator can read);
soft scores rank what is left, each component with its points and reason.
The facts come from ``volunteers.matching.selectors``."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

ENGLISH = "english"
#: A parent waiting this long or longer gets the full waiting-time points.
WAITING_FULL_AFTER_DAYS = 90
#: Share of the travel points for a volunteer who covers only an area next to the parent's.
NEIGHBOURING_AREA_SHARE = 0.5


@dataclass(frozen=True)
class Weights:
    availability: int = 25
    travel: int = 20
    lived_experience: int = 20
    language: int = 10
    load: int = 15
    waiting: int = 10

    @property
    def total(self) -> int:
        return self.availability + self.travel + self.lived_experience + self.language + self.load + self.waiting


@dataclass(frozen=True)
class ParentFacts:
    referral_id: int
    organisation_id: int
    role: str  # befriender, pso or birth_companion
    council_area_id: int | None = None
    council_area_name: str = ""
    #: (name, id) of the areas sharing a land boundary with the parent's, by name.
    neighbouring_areas: tuple[tuple[str, int], ...] = ()
    town: str = ""
    language: str = "English"
    interpreter_needed: bool = False
    interpreter_arranged: bool = False
    required_gender: str = ""
    availability: frozenset[str] = frozenset()
    lived_experience: frozenset[int] = frozenset()
    conflicts: frozenset[int] = frozenset()  # volunteer profile ids
    urgency: int = 3  # 1 urgent … 3 routine
    received_on: dt.date | None = None
    eligibility_end: dt.date | None = None

    @property
    def neighbouring_area_ids(self) -> frozenset[int]:
        return frozenset(area_id for _, area_id in self.neighbouring_areas)


@dataclass(frozen=True)
class VolunteerFacts:
    volunteer_id: int
    organisation_id: int
    name: str = ""
    kinds: frozenset[str] = frozenset()
    fitness_problems: tuple[str, ...] = ()  # fit-to-match reasons other than caseload
    caseload: int = 0
    max_caseload: int = 2
    council_area_ids: frozenset[int] = frozenset()
    localities: frozenset[str] = frozenset()  # lower case
    #: Where the volunteer works, for people to read: the profile's towns, then its council areas' names.
    places: str = ""
    languages: frozenset[str] = frozenset()  # lower case
    gender: str = ""
    availability: frozenset[str] = frozenset()
    lived_experience: frozenset[int] = frozenset()

    @property
    def spare_capacity(self) -> int:
        return max(0, self.max_caseload - self.caseload)


@dataclass(frozen=True)
class Exclusion:
    code: str
    reason: str


@dataclass(frozen=True)
class Component:
    code: str
    label: str
    points: float
    out_of: int
    reason: str


@dataclass
class Assessment:
    volunteer: VolunteerFacts
    exclusions: list[Exclusion] = field(default_factory=list)
    components: list[Component] = field(default_factory=list)
    #: Why this candidate is below the one above with the same score ("" when the scores differ).
    tie_note: str = ""

    @property
    def eligible(self) -> bool:
        return not self.exclusions

    @property
    def score(self) -> float:
        return round(sum(c.points for c in self.components), 1)


def split_words(text: str) -> frozenset[str]:
    """ "English, Polish" -> {"english", "polish"}."""
    return frozenset(part.strip().lower() for part in text.split(",") if part.strip())


def language_the_volunteer_must_speak(parent: ParentFacts) -> str:
    """A parent whose language is not English is matched only with someone
    who speaks it, unless an interpreter is arranged (whether or not the
    referral flagged an interpreter as needed). Lower case; "" for none."""
    language = parent.language.strip().lower()
    if language in ("", "english") or parent.interpreter_arranged:
        return ""
    return language


def exclusion_codes(parent: ParentFacts, volunteer: VolunteerFacts) -> list[str]:
    """The codes of the hard constraints ``volunteer`` fails (fast: no text)."""
    codes = []
    if volunteer.organisation_id != parent.organisation_id:
        codes.append("other_organisation")
    if parent.role not in volunteer.kinds:
        codes.append("role")
    if volunteer.fitness_problems:
        codes.append("not_fit")
    if volunteer.caseload >= volunteer.max_caseload:
        codes.append("capacity")
    if parent.council_area_id is not None and not _reaches_area(parent, volunteer):
        codes.append("area")
    language = language_the_volunteer_must_speak(parent)
    if language and language not in volunteer.languages:
        codes.append("language")
    if volunteer.volunteer_id in parent.conflicts:
        codes.append("conflict")
    if parent.required_gender and volunteer.gender != parent.required_gender:
        codes.append("preference")
    return codes


def hard_exclusions(parent: ParentFacts, volunteer: VolunteerFacts) -> list[Exclusion]:
    """Every hard constraint ``volunteer`` fails for ``parent`` (empty: may be matched), with reasons."""
    out: list[Exclusion] = []
    for code in exclusion_codes(parent, volunteer):
        if code == "other_organisation":
            out.append(Exclusion(code, "Belongs to another organisation"))
        elif code == "role":
            out.append(Exclusion(code, "Does not take this role"))
        elif code == "not_fit":
            out.extend(Exclusion(code, f"Not fit to match: {problem}") for problem in volunteer.fitness_problems)
        elif code == "capacity":
            out.append(Exclusion(code, f"No capacity left ({volunteer.caseload} of {volunteer.max_caseload})"))
        elif code == "area":
            out.append(Exclusion(code, "Covers neither the parent's council area nor one next to it"))
        elif code == "language":
            out.append(Exclusion(code, f"Does not speak {parent.language} and no interpreter is arranged"))
        elif code == "conflict":
            out.append(Exclusion(code, "Conflict of interest recorded"))
        elif code == "preference":
            out.append(Exclusion(code, f"The parent asked for a {parent.required_gender} volunteer"))
    return out


def _reaches_area(parent: ParentFacts, volunteer: VolunteerFacts) -> bool:
    """Covers the parent's council area or one sharing a land boundary with it."""
    covered = volunteer.council_area_ids
    return parent.council_area_id in covered or any(area_id in covered for _, area_id in parent.neighbouring_areas)


def _travel(parent: ParentFacts, volunteer: VolunteerFacts) -> tuple[float, str]:
    """Share of the travel points, with its reason. A volunteer who covers the
    parent's council area gets them all; one who covers only a neighbouring
    area (sharing a land boundary: no ferries) gets part. When the parent's
    area is not recorded, the town they live in is all there is to go on."""
    if parent.council_area_id is not None:
        if parent.council_area_id in volunteer.council_area_ids:
            return 1.0, f"Covers {parent.council_area_name or 'the parent’s council area'}"
        for name, area_id in parent.neighbouring_areas:
            if area_id in volunteer.council_area_ids:
                return NEIGHBOURING_AREA_SHARE, f"Neighbouring area: {name}"
        return 0.0, "No area in common"
    town = parent.town.strip().lower()
    if town and town in volunteer.localities:
        return 1.0, f"Lives or works in {parent.town}"
    return 0.0, "The parent’s council area is not recorded and the town is not one of theirs"


def _shares(parent: ParentFacts, volunteer: VolunteerFacts, today: dt.date) -> tuple[float, ...]:
    """Each soft component as a share of its weight (0–1), in the order of
    ``COMPONENTS``. The one place the soft rules are computed."""
    if parent.availability:
        availability = len(parent.availability & volunteer.availability) / len(parent.availability)
    else:
        availability = 0.5
    travel = _travel(parent, volunteer)[0]
    if parent.lived_experience:
        lived = len(parent.lived_experience & volunteer.lived_experience) / len(parent.lived_experience)
    else:
        lived = 0.0
    language = parent.language.strip().lower()
    shared_language = 1.0 if language and language != ENGLISH and language in volunteer.languages else 0.0
    load = volunteer.spare_capacity / volunteer.max_caseload if volunteer.max_caseload > 0 else 0.0
    waited = (today - parent.received_on).days if parent.received_on else 0
    waiting = min(max(waited, 0), WAITING_FULL_AFTER_DAYS) / WAITING_FULL_AFTER_DAYS
    return (availability, travel, lived, shared_language, load, waiting)


def _weight_tuple(weights: Weights) -> tuple[int, ...]:
    return (
        weights.availability,
        weights.travel,
        weights.lived_experience,
        weights.language,
        weights.load,
        weights.waiting,
    )


def tenths(points: float) -> int:
    """Points in tenths, halves rounded up: the one rounding rule, written so
    that numpy (``VolunteerArrays``) does the very same float operations."""
    return math.floor(points * 10 + 0.5)


def score_value(parent: ParentFacts, volunteer: VolunteerFacts, weights: Weights, *, today: dt.date) -> float:
    """The total soft score, exactly as the sum of ``score_components`` (no text)."""
    shares = _shares(parent, volunteer, today)
    return sum(tenths(w * share) for w, share in zip(_weight_tuple(weights), shares, strict=True)) / 10


def score_components(
    parent: ParentFacts, volunteer: VolunteerFacts, weights: Weights, *, today: dt.date
) -> list[Component]:
    """The soft score, one component per rule, each with its reason."""
    availability, travel, lived, language_share, load, waiting = _shares(parent, volunteer, today)
    if parent.availability:
        shared = len(parent.availability & volunteer.availability)
        availability_reason = f"Free at {shared} of the parent's {len(parent.availability)} times"
    else:
        availability_reason = "The parent gave no times: half points"
    travel_reason = _travel(parent, volunteer)[1]
    if parent.lived_experience:
        shared_lived = len(parent.lived_experience & volunteer.lived_experience)
        lived_reason = f"Shares {shared_lived} of {len(parent.lived_experience)} experiences asked for"
    else:
        lived_reason = "No lived experience asked for"
    language = parent.language.strip().lower()
    if language_share:
        language_reason = f"Speaks {parent.language}"
    elif language and language != ENGLISH:
        language_reason = f"Does not speak {parent.language}"
    else:
        language_reason = "English: no bonus"
    waited = max((today - parent.received_on).days, 0) if parent.received_on else 0
    rows = [
        ("availability", "Availability", weights.availability, availability, availability_reason),
        ("travel", "Travel", weights.travel, travel, travel_reason),
        ("lived_experience", "Lived experience", weights.lived_experience, lived, lived_reason),
        ("language", "Language", weights.language, language_share, language_reason),
        (
            "load",
            "Current load",
            weights.load,
            load,
            f"Supports {volunteer.caseload} of up to {volunteer.max_caseload}",
        ),
        ("waiting", "Waiting time", weights.waiting, waiting, f"Waiting {waited} days"),
    ]
    # One decimal per component, as shown; the total is their sum.
    return [
        Component(code, label, round(weight * share, 1), weight, reason) for code, label, weight, share, reason in rows
    ]


def assess(parent: ParentFacts, volunteer: VolunteerFacts, weights: Weights, *, today: dt.date) -> Assessment:
    exclusions = hard_exclusions(parent, volunteer)
    components = [] if exclusions else score_components(parent, volunteer, weights, today=today)
    return Assessment(volunteer=volunteer, exclusions=exclusions, components=components)


@dataclass
class Candidates:
    ranked: list[Assessment]
    excluded: list[Assessment]


def rank_candidates(
    parent: ParentFacts,
    volunteers: Sequence[VolunteerFacts] | VolunteerArrays,
    weights: Weights,
    *,
    today: dt.date,
    top: int | None = None,
    excluded_top: int | None = None,
) -> Candidates:
    """Eligible volunteers best first; the excluded ordered by fewest failed
    constraints, then by what they would have scored, so the best-looking
    excluded people come first ("why isn't Jane suggested?"). Everyone is
    scored at once with numpy; components and reasons are built only for
    those shown."""
    arrays = volunteers if isinstance(volunteers, VolunteerArrays) else VolunteerArrays(volunteers)
    if not arrays.facts:
        return Candidates(ranked=[], excluded=[])
    failed, score = arrays.evaluate(parent, weights, today=today)
    ids = arrays.ids
    eligible = np.flatnonzero(failed == 0)
    eligible = eligible[np.lexsort((ids[eligible], arrays.caseload[eligible], -score[eligible]))]
    others = np.flatnonzero(failed > 0)
    others = others[np.lexsort((ids[others], -score[others], failed[others]))]
    facts = arrays.facts
    # Ties on score are broken by fewer current families, then the profile's number; each tie is said on the page.
    ranked = _note_ties(
        [
            Assessment(volunteer=facts[i], components=score_components(parent, facts[i], weights, today=today))
            for i in eligible[:top]
        ]
    )
    excluded = [
        Assessment(
            volunteer=facts[i],
            exclusions=hard_exclusions(parent, facts[i]),
            # Scored anyway so the coordinator sees what they would have scored.
            components=score_components(parent, facts[i], weights, today=today),
        )
        for i in others[:excluded_top]
    ]
    return Candidates(ranked=ranked, excluded=excluded)


def tie_break_note(above: VolunteerFacts, below: VolunteerFacts) -> str:
    """Why ``below`` is listed under ``above`` when both have the same score,
    in the order ``rank_candidates`` breaks ties: fewer current families
    first (the work is spread), then whoever was added first (the profile's
    number), so the same list always comes out the same way."""
    if above.caseload != below.caseload:
        return (
            f"Same score as {above.name}, who is listed first for having fewer current families "
            f"({above.caseload}, against {below.caseload})."
        )
    return (
        f"Same score and number of current families as {above.name}, who is listed first "
        "for having been added to the system earlier."
    )


def _note_ties(ranked: list[Assessment]) -> list[Assessment]:
    for above, below in zip(ranked, ranked[1:], strict=False):
        if above.score == below.score:
            below.tie_note = tie_break_note(above.volunteer, below.volunteer)
    return ranked


def priority_key(parent: ParentFacts, *, today: dt.date) -> tuple:
    """Sort key of the waiting list: most urgent, then fewest days left
    before ageing out, then longest waiting."""
    days_left = (parent.eligibility_end - today).days if parent.eligibility_end else 10**6
    received = parent.received_on or today
    return (parent.urgency, days_left, received, parent.referral_id)


def score_matrix(
    parents: Sequence[ParentFacts], volunteers: Sequence[VolunteerFacts], weights: Weights, *, today: dt.date
) -> list[list[float | None]]:
    """Score of every pair, None where a hard constraint excludes it."""
    return [
        [
            assessment.score if assessment.eligible else None
            for assessment in (assess(p, v, weights, today=today) for v in volunteers)
        ]
        for p in parents
    ]


def feasible_scores(
    parents: Sequence[ParentFacts], volunteers: Sequence[VolunteerFacts], weights: Weights, *, today: dt.date
) -> dict[tuple[int, int], float]:
    """Scores of the pairs that pass every hard constraint, by (parent index,
    volunteer index), for the whole waiting list: each parent is scored
    against every volunteer at once with numpy."""
    arrays = VolunteerArrays(volunteers)
    scores: dict[tuple[int, int], float] = {}
    if not arrays.facts:
        return scores
    for row, parent in enumerate(parents):
        failed, score = arrays.evaluate(parent, weights, today=today)
        for column in np.flatnonzero(failed == 0).tolist():
            scores[(row, column)] = float(score[column])
    return scores


class VolunteerArrays:
    """The volunteers' facts as numpy columns, so that one parent is checked
    and scored against all of them at once. The same rules as
    ``exclusion_codes`` and ``_shares`` (tests hold them equal), with the
    same float operations, so the totals agree to the tenth."""

    def __init__(self, volunteers: Iterable[VolunteerFacts]) -> None:
        self.facts = list(volunteers)
        facts = self.facts
        self.ids = np.array([v.volunteer_id for v in facts], dtype=np.int64)
        self.organisation = np.array([v.organisation_id for v in facts], dtype=np.int64)
        self.fit = np.array([not v.fitness_problems for v in facts], dtype=bool)
        self.caseload = np.array([v.caseload for v in facts], dtype=np.int64)
        self.max_caseload = np.array([v.max_caseload for v in facts], dtype=np.int64)
        spare = np.maximum(self.max_caseload - self.caseload, 0).astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            self.load_share = np.where(self.max_caseload > 0, spare / np.maximum(self.max_caseload, 1), 0.0)
        self.has_room = self.caseload < self.max_caseload
        self.gender = np.array([v.gender for v in facts], dtype=object)
        cells = sorted({c for v in facts for c in v.availability})
        self.cell_index = {c: k for k, c in enumerate(cells)}
        self.availability = np.zeros((len(facts), len(cells)))
        experiences = sorted({e for v in facts for e in v.lived_experience})
        self.experience_index = {e: k for k, e in enumerate(experiences)}
        self.lived = np.zeros((len(facts), len(experiences)))
        for row, v in enumerate(facts):
            for c in v.availability:
                self.availability[row, self.cell_index[c]] = 1.0
            for e in v.lived_experience:
                self.lived[row, self.experience_index[e]] = 1.0
        self._cache: dict[tuple[str, object], np.ndarray] = {}

    def _has(self, kind: str, value) -> np.ndarray:
        key = (kind, value)
        if key not in self._cache:
            attribute = {"role": "kinds", "area": "council_area_ids", "language": "languages", "town": "localities"}
            self._cache[key] = np.array([value in getattr(v, attribute[kind]) for v in self.facts], dtype=bool)
        return self._cache[key]

    def _covers_any(self, area_ids: frozenset[int]) -> np.ndarray:
        key = ("any_area", area_ids)
        if key not in self._cache:
            self._cache[key] = np.array([not v.council_area_ids.isdisjoint(area_ids) for v in self.facts], dtype=bool)
        return self._cache[key]

    def evaluate(self, parent: ParentFacts, weights: Weights, *, today: dt.date) -> tuple[np.ndarray, np.ndarray]:
        """(number of hard constraints failed, total score) per volunteer."""
        failed = np.zeros(len(self.facts), dtype=np.int64)
        failed += self.organisation != parent.organisation_id
        failed += ~self._has("role", parent.role)
        failed += ~self.fit
        failed += ~self.has_room
        nobody = np.zeros(len(self.facts), dtype=bool)
        if parent.council_area_id is not None:
            area_covered = self._has("area", parent.council_area_id)
            next_door = self._covers_any(parent.neighbouring_area_ids) & ~area_covered
            failed += ~(area_covered | next_door)
        else:
            area_covered = next_door = nobody
        language = language_the_volunteer_must_speak(parent)
        if language:
            failed += ~self._has("language", language)
        if parent.conflicts:
            failed += np.isin(self.ids, list(parent.conflicts))
        if parent.required_gender:
            failed += self.gender != parent.required_gender

        if parent.availability:
            wanted = np.zeros(len(self.cell_index))
            for c in parent.availability:
                if c in self.cell_index:
                    wanted[self.cell_index[c]] = 1.0
            availability = (self.availability @ wanted) / len(parent.availability)
        else:
            availability = np.full(len(self.facts), 0.5)
        town = parent.town.strip().lower()
        in_town = self._has("town", town) if town and parent.council_area_id is None else nobody
        travel = np.where(area_covered | in_town, 1.0, np.where(next_door, NEIGHBOURING_AREA_SHARE, 0.0))
        if parent.lived_experience:
            wanted = np.zeros(len(self.experience_index))
            for e in parent.lived_experience:
                if e in self.experience_index:
                    wanted[self.experience_index[e]] = 1.0
            lived = (self.lived @ wanted) / len(parent.lived_experience)
        else:
            lived = np.zeros(len(self.facts))
        if language and language != ENGLISH:
            shared_language = self._has("language", language).astype(float)
        else:
            shared_language = np.zeros(len(self.facts))
        waited = (today - parent.received_on).days if parent.received_on else 0
        waiting = min(max(waited, 0), WAITING_FULL_AFTER_DAYS) / WAITING_FULL_AFTER_DAYS

        total = np.zeros(len(self.facts))
        for weight, share in zip(
            _weight_tuple(weights),
            (availability, travel, lived, shared_language, self.load_share, waiting),
            strict=True,
        ):
            total += np.floor(weight * share * 10 + 0.5)
        return failed, total / 10
