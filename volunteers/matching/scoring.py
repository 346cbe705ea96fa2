"""Who may be matched with a parent, and how well: plain rules, no database.

Hard constraints exclude (each with a reason a coordinator can read);
soft scores rank what is left, each component with its points and reason.
The facts come from ``volunteers.matching.selectors``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

ENGLISH = "english"
#: A parent waiting this long or longer gets the full waiting-time points.
WAITING_FULL_AFTER_DAYS = 90


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

    @property
    def eligible(self) -> bool:
        return not self.exclusions

    @property
    def score(self) -> float:
        return round(sum(c.points for c in self.components), 1)


def split_words(text: str) -> frozenset[str]:
    """ "English, Polish" -> {"english", "polish"}."""
    return frozenset(part.strip().lower() for part in text.split(",") if part.strip())


def hard_exclusions(parent: ParentFacts, volunteer: VolunteerFacts) -> list[Exclusion]:
    """Every hard constraint ``volunteer`` fails for ``parent`` (empty: may be matched)."""
    out: list[Exclusion] = []
    if volunteer.organisation_id != parent.organisation_id:
        out.append(Exclusion("other_organisation", "Belongs to another organisation"))
    if parent.role not in volunteer.kinds:
        out.append(Exclusion("role", "Does not take this role"))
    for problem in volunteer.fitness_problems:
        out.append(Exclusion("not_fit", f"Not fit to match: {problem}"))
    if volunteer.spare_capacity <= 0:
        out.append(Exclusion("capacity", f"No capacity left ({volunteer.caseload} of {volunteer.max_caseload})"))
    if parent.council_area_id is not None and parent.council_area_id not in volunteer.council_area_ids:
        out.append(Exclusion("area", "Does not cover the parent's council area"))
    language = parent.language.strip().lower()
    if (
        parent.interpreter_needed
        and not parent.interpreter_arranged
        and language
        and language not in volunteer.languages
    ):
        out.append(Exclusion("language", f"Does not speak {parent.language} and no interpreter is arranged"))
    if volunteer.volunteer_id in parent.conflicts:
        out.append(Exclusion("conflict", "Conflict of interest recorded"))
    if parent.required_gender and volunteer.gender != parent.required_gender:
        out.append(Exclusion("preference", f"The parent asked for a {parent.required_gender} volunteer"))
    return out


def score_components(
    parent: ParentFacts, volunteer: VolunteerFacts, weights: Weights, *, today: dt.date
) -> list[Component]:
    """The soft score, one component per rule, each with its reason."""
    components = []

    if parent.availability:
        shared = parent.availability & volunteer.availability
        share = len(shared) / len(parent.availability)
        reason = f"Free at {len(shared)} of the parent's {len(parent.availability)} times"
    else:
        share, reason = 0.5, "The parent gave no times: half points"
    components.append(
        Component("availability", "Availability", weights.availability * share, weights.availability, reason)
    )

    town = parent.town.strip().lower()
    if town and town in volunteer.localities:
        share, reason = 1.0, f"Lives or works in {parent.town}"
    elif parent.council_area_id is not None and parent.council_area_id in volunteer.council_area_ids:
        share, reason = 0.5, "Covers the council area, another town"
    else:
        share, reason = 0.0, "No area in common"
    components.append(Component("travel", "Travel", weights.travel * share, weights.travel, reason))

    if parent.lived_experience:
        shared_lived = parent.lived_experience & volunteer.lived_experience
        share = len(shared_lived) / len(parent.lived_experience)
        reason = f"Shares {len(shared_lived)} of {len(parent.lived_experience)} experiences asked for"
    else:
        share, reason = 0.0, "No lived experience asked for"
    components.append(
        Component(
            "lived_experience", "Lived experience", weights.lived_experience * share, weights.lived_experience, reason
        )
    )

    language = parent.language.strip().lower()
    if language and language != ENGLISH and language in volunteer.languages:
        share, reason = 1.0, f"Speaks {parent.language}"
    elif language and language != ENGLISH:
        share, reason = 0.0, f"Does not speak {parent.language}"
    else:
        share, reason = 0.0, "English: no bonus"
    components.append(Component("language", "Language", weights.language * share, weights.language, reason))

    if volunteer.max_caseload > 0:
        share = volunteer.spare_capacity / volunteer.max_caseload
    else:
        share = 0.0
    components.append(
        Component(
            "load",
            "Current load",
            weights.load * share,
            weights.load,
            f"Supports {volunteer.caseload} of up to {volunteer.max_caseload}",
        )
    )

    waited = (today - parent.received_on).days if parent.received_on else 0
    share = min(max(waited, 0), WAITING_FULL_AFTER_DAYS) / WAITING_FULL_AFTER_DAYS
    components.append(
        Component("waiting", "Waiting time", weights.waiting * share, weights.waiting, f"Waiting {max(waited, 0)} days")
    )
    return [
        Component(c.code, c.label, round(c.points, 1), c.out_of, c.reason)  # one decimal, as shown
        for c in components
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
    parent: ParentFacts, volunteers: Iterable[VolunteerFacts], weights: Weights, *, today: dt.date
) -> Candidates:
    """Eligible volunteers best first; the excluded ordered by what they
    would have scored, so the best-looking excluded people come first."""
    ranked, excluded = [], []
    for volunteer in volunteers:
        assessment = assess(parent, volunteer, weights, today=today)
        if assessment.eligible:
            ranked.append(assessment)
        else:
            # Scored anyway so "why isn't Jane suggested?" shows the best-looking first.
            assessment.components = score_components(parent, volunteer, weights, today=today)
            excluded.append(assessment)
    ranked.sort(key=lambda a: (-a.score, a.volunteer.caseload, a.volunteer.volunteer_id))
    excluded.sort(key=lambda a: (len(a.exclusions), -a.score, a.volunteer.volunteer_id))
    return Candidates(ranked=ranked, excluded=excluded)


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
    volunteer index). For the whole list: volunteers are bucketed by role and
    area first, so a pair that fails those cheap constraints is never looked
    at; the rest go through the same ``hard_exclusions`` as one parent's page."""
    open_volunteers = [
        (index, v) for index, v in enumerate(volunteers) if v.spare_capacity > 0 and not v.fitness_problems
    ]
    by_role_area: dict[tuple[str, int], list[tuple[int, VolunteerFacts]]] = {}
    by_role: dict[str, list[tuple[int, VolunteerFacts]]] = {}
    for index, volunteer in open_volunteers:
        for role in volunteer.kinds:
            by_role.setdefault(role, []).append((index, volunteer))
            for area in volunteer.council_area_ids:
                by_role_area.setdefault((role, area), []).append((index, volunteer))
    scores: dict[tuple[int, int], float] = {}
    for row, parent in enumerate(parents):
        if parent.council_area_id is None:
            bucket = by_role.get(parent.role, [])
        else:
            bucket = by_role_area.get((parent.role, parent.council_area_id), [])
        for column, volunteer in bucket:
            if hard_exclusions(parent, volunteer):
                continue
            scores[(row, column)] = round(
                sum(c.points for c in score_components(parent, volunteer, weights, today=today)), 1
            )
    return scores
