"""Hard constraints and soft scores: plain rules, table-driven, no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from volunteers.matching.scoring import (
    ParentFacts,
    VolunteerFacts,
    Weights,
    assess,
    hard_exclusions,
    rank_candidates,
    score_components,
    split_words,
)

TODAY = dt.date(2026, 6, 1)
PARENT = ParentFacts(
    referral_id=1,
    organisation_id=1,
    role="befriender",
    council_area_id=10,
    council_area_name="Dundee City",
    neighbouring_areas=(("Angus", 11), ("Perth and Kinross", 12)),
    town="Peebles",
    language="Polish",
    interpreter_needed=True,
    availability=frozenset({"mon_am", "tue_am"}),
    lived_experience=frozenset({5}),
    received_on=TODAY - dt.timedelta(days=45),
)
VOLUNTEER = VolunteerFacts(
    volunteer_id=7,
    organisation_id=1,
    kinds=frozenset({"befriender"}),
    caseload=0,
    max_caseload=2,
    council_area_ids=frozenset({10}),
    localities=frozenset({"peebles"}),
    languages=frozenset({"english", "polish"}),
    gender="female",
    availability=frozenset({"mon_am", "tue_am"}),
    lived_experience=frozenset({5}),
)


def test_a_good_fit_passes_every_hard_constraint() -> None:
    assert hard_exclusions(PARENT, VOLUNTEER) == []


@pytest.mark.parametrize(
    ("parent_changes", "volunteer_changes", "code"),
    [
        ({}, {"organisation_id": 2}, "other_organisation"),
        ({}, {"kinds": frozenset({"pso"})}, "role"),
        ({}, {"fitness_problems": ("PVG expired",)}, "not_fit"),
        ({}, {"caseload": 2}, "capacity"),
        ({}, {"council_area_ids": frozenset({13})}, "area"),
        ({}, {"languages": frozenset({"english"})}, "language"),
        ({"conflicts": frozenset({7})}, {}, "conflict"),
        ({"required_gender": "male"}, {}, "preference"),
    ],
)
def test_each_hard_constraint_excludes(parent_changes, volunteer_changes, code) -> None:
    exclusions = hard_exclusions(replace(PARENT, **parent_changes), replace(VOLUNTEER, **volunteer_changes))
    assert [e.code for e in exclusions] == [code]
    assert exclusions[0].reason


def test_language_is_no_constraint_once_an_interpreter_is_arranged() -> None:
    parent = replace(PARENT, interpreter_arranged=True)
    assert hard_exclusions(parent, replace(VOLUNTEER, languages=frozenset({"english"}))) == []


def test_a_parent_speaking_another_language_needs_a_volunteer_who_speaks_it_even_unflagged() -> None:
    # Not flagged as needing an interpreter, and none arranged: the README's rule still holds.
    parent = replace(PARENT, interpreter_needed=False)
    english_only = replace(VOLUNTEER, languages=frozenset({"english"}))
    assert [e.code for e in hard_exclusions(parent, english_only)] == ["language"]
    assert hard_exclusions(parent, VOLUNTEER) == []
    assert hard_exclusions(replace(parent, language="English"), english_only) == []


def test_a_parent_with_no_area_recorded_is_not_excluded_on_area() -> None:
    assert (
        hard_exclusions(replace(PARENT, council_area_id=None), replace(VOLUNTEER, council_area_ids=frozenset())) == []
    )


def test_a_volunteer_covering_only_a_neighbouring_area_may_be_matched() -> None:
    assert hard_exclusions(PARENT, replace(VOLUNTEER, council_area_ids=frozenset({11}))) == []


def _travel(parent, volunteer) -> tuple[float, str]:
    (travel,) = [c for c in score_components(parent, volunteer, Weights(), today=TODAY) if c.code == "travel"]
    return travel.points, travel.reason


def test_travel_is_full_in_the_same_area_and_partial_next_door_naming_the_area() -> None:
    assert _travel(PARENT, VOLUNTEER) == (20.0, "Covers Dundee City")
    assert _travel(PARENT, replace(VOLUNTEER, council_area_ids=frozenset({12}))) == (
        10.0,
        "Neighbouring area: Perth and Kinross",
    )
    # Both neighbours covered: the reason names the first by name.
    assert _travel(PARENT, replace(VOLUNTEER, council_area_ids=frozenset({11, 12})))[1] == "Neighbouring area: Angus"
    # Covering the area itself beats covering a neighbour as well.
    assert _travel(PARENT, replace(VOLUNTEER, council_area_ids=frozenset({10, 11})))[0] == 20.0


def test_without_a_recorded_area_the_town_decides_travel() -> None:
    parent = replace(PARENT, council_area_id=None, council_area_name="", neighbouring_areas=())
    assert _travel(parent, VOLUNTEER) == (20.0, "Lives or works in Peebles")
    assert _travel(parent, replace(VOLUNTEER, localities=frozenset({"hawick"})))[0] == 0.0


def _points(parent, volunteer, weights: Weights | None = None) -> dict[str, float]:
    weights = weights or Weights()
    return {c.code: c.points for c in score_components(parent, volunteer, weights, today=TODAY)}


@pytest.mark.parametrize(
    ("code", "parent_changes", "volunteer_changes", "better", "worse"),
    [
        ("availability", {}, {"availability": frozenset({"mon_am"})}, 25.0, 12.5),
        ("travel", {}, {"council_area_ids": frozenset({12})}, 20.0, 10.0),
        ("lived_experience", {}, {"lived_experience": frozenset()}, 20.0, 0.0),
        ("language", {}, {"languages": frozenset({"english"})}, 10.0, 0.0),
        ("load", {}, {"caseload": 1}, 15.0, 7.5),
        ("waiting", {"received_on": TODAY}, {}, 5.0, 0.0),
    ],
)
def test_each_score_component_counts(code, parent_changes, volunteer_changes, better, worse) -> None:
    assert _points(PARENT, VOLUNTEER)[code] == better
    assert _points(replace(PARENT, **parent_changes), replace(VOLUNTEER, **volunteer_changes))[code] == worse


def test_every_component_has_a_reason_and_the_weights_are_settings() -> None:
    components = score_components(PARENT, VOLUNTEER, Weights(), today=TODAY)
    assert all(c.reason for c in components)
    doubled = Weights(availability=50)
    assert _points(PARENT, VOLUNTEER, doubled)["availability"] == 50.0


def test_no_times_given_gives_half_availability_points() -> None:
    assert _points(replace(PARENT, availability=frozenset()), VOLUNTEER)["availability"] == 12.5


def test_ranking_puts_the_best_first_and_explains_the_excluded() -> None:
    weaker = replace(VOLUNTEER, volunteer_id=8, availability=frozenset())
    full = replace(VOLUNTEER, volunteer_id=9, caseload=2)
    result = rank_candidates(PARENT, [weaker, full, VOLUNTEER], Weights(), today=TODAY)
    assert [a.volunteer.volunteer_id for a in result.ranked] == [7, 8]
    assert result.ranked[0].score > result.ranked[1].score
    assert [a.volunteer.volunteer_id for a in result.excluded] == [9]
    assert result.excluded[0].exclusions[0].code == "capacity"
    # The excluded are still scored, so the best-looking come first.
    assert result.excluded[0].score > 0


def test_an_excluded_assessment_has_no_score() -> None:
    assert assess(PARENT, replace(VOLUNTEER, caseload=5), Weights(), today=TODAY).components == []


def test_split_words() -> None:
    assert split_words(" English, polish ,,") == frozenset({"english", "polish"})


#: A small made-up map: 10 borders 11 and 12; 13 borders 12 only.
NEXT_DOOR = {
    10: (("Angus", 11), ("Perth and Kinross", 12)),
    11: (("Dundee City", 10),),
    12: (("Dundee City", 10), ("Fife", 13)),
    13: (("Perth and Kinross", 12),),
}


def test_the_whole_list_scores_agree_with_one_parent_at_a_time() -> None:
    import random

    from volunteers.matching.scoring import feasible_scores, score_matrix

    rng = random.Random(3)
    parents = [
        replace(
            PARENT,
            referral_id=i,
            council_area_id=area,
            neighbouring_areas=NEXT_DOOR.get(area, ()),
            town=rng.choice(["Peebles", "Hawick"]),
            role=rng.choice(["befriender", "pso"]),
        )
        for i, area in enumerate(rng.choice([10, 11, 12, 13, None]) for _ in range(30))
    ]
    volunteers = [
        replace(
            VOLUNTEER,
            volunteer_id=100 + j,
            kinds=frozenset(rng.sample(["befriender", "pso"], rng.randint(1, 2))),
            council_area_ids=frozenset(rng.sample([10, 11, 12, 13], rng.randint(1, 2))),
            localities=frozenset(rng.sample(["peebles", "hawick"], rng.randint(0, 2))),
            caseload=rng.randint(0, 2),
            languages=frozenset(rng.choice([{"english"}, {"english", "polish"}])),
        )
        for j in range(15)
    ]
    dense = score_matrix(parents, volunteers, Weights(), today=TODAY)
    expected = {(i, j): s for i, row in enumerate(dense) for j, s in enumerate(row) if s is not None}
    assert feasible_scores(parents, volunteers, Weights(), today=TODAY) == expected
    # Not trivially empty: same area, next door and town-only travel all occur.
    travel = {
        c.points
        for i, j in expected
        for c in score_components(parents[i], volunteers[j], Weights(), today=TODAY)
        if c.code == "travel"
    }
    assert travel >= {20.0, 10.0}


def test_the_fast_total_equals_the_sum_of_the_components_shown() -> None:
    import random

    from volunteers.matching.scoring import score_value

    rng = random.Random(8)
    for _ in range(200):
        parent = replace(
            PARENT,
            availability=frozenset(rng.sample(["mon_am", "tue_am", "wed_pm", "thu_eve"], rng.randint(0, 4))),
            received_on=TODAY - dt.timedelta(days=rng.randint(0, 200)),
            town=rng.choice(["Peebles", "Hawick", ""]),
        )
        volunteer = replace(VOLUNTEER, caseload=rng.randint(0, 3), max_caseload=rng.randint(1, 3))
        weights = Weights(availability=rng.randint(0, 40), load=rng.randint(0, 40), waiting=rng.randint(0, 33))
        components = score_components(parent, volunteer, weights, today=TODAY)
        assert score_value(parent, volunteer, weights, today=TODAY) == round(sum(c.points for c in components), 1)
