"""Issue 22, smaller things seen: the candidates page says where each
volunteer works, links to her profile, and says why one of two candidates
with the same score is above the other (the rule's own tie-break)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from django.urls import reverse

from tests.factories import council_area
from tests.matching.helpers import fit_volunteer, waiting_referral
from tests.matching.test_scoring import PARENT, VOLUNTEER
from volunteers.matching.scoring import Weights, rank_candidates, tie_break_note

TODAY = dt.date(2026, 6, 1)


def test_a_tie_is_broken_by_fewer_current_families_then_by_who_was_added_first_and_said() -> None:
    # The same share of spare room (1 of 2, 2 of 4) gives the same score with different caseloads.
    busier = replace(VOLUNTEER, volunteer_id=5, name="Ann Busier", caseload=2, max_caseload=4)
    later = replace(VOLUNTEER, volunteer_id=20, name="Bea Later", caseload=1, max_caseload=2)
    first = replace(VOLUNTEER, volunteer_id=10, name="Cat First", caseload=1, max_caseload=2)
    ranked = rank_candidates(PARENT, [busier, later, first], Weights(), today=TODAY).ranked
    assert len({assessment.score for assessment in ranked}) == 1
    assert [a.volunteer.name for a in ranked] == ["Cat First", "Bea Later", "Ann Busier"]
    assert ranked[0].tie_note == ""
    assert ranked[1].tie_note == (
        "Same score and number of current families as Cat First, who is listed first "
        "for having been added to the system earlier."
    )
    assert ranked[2].tie_note == (
        "Same score as Bea Later, who is listed first for having fewer current families (1, against 2)."
    )


def test_the_order_does_not_depend_on_the_order_volunteers_are_read() -> None:
    people = [replace(VOLUNTEER, volunteer_id=n, name=f"V{n}", caseload=n % 2, max_caseload=2) for n in range(1, 7)]
    one = rank_candidates(PARENT, people, Weights(), today=TODAY).ranked
    other = rank_candidates(PARENT, list(reversed(people)), Weights(), today=TODAY).ranked
    assert [a.volunteer.volunteer_id for a in one] == [a.volunteer.volunteer_id for a in other]


def test_different_scores_carry_no_tie_note() -> None:
    worse = replace(VOLUNTEER, volunteer_id=8, name="Dee", availability=frozenset())
    ranked = rank_candidates(PARENT, [VOLUNTEER, worse], Weights(), today=TODAY).ranked
    assert ranked[0].score > ranked[1].score
    assert [a.tie_note for a in ranked] == ["", ""]


def test_the_note_names_the_counts_when_caseloads_differ() -> None:
    note = tie_break_note(replace(VOLUNTEER, name="Jo", caseload=0), replace(VOLUNTEER, caseload=1))
    assert "fewer current families (0, against 1)" in note


@pytest.mark.django_db
def test_the_candidates_page_shows_each_town_links_the_profile_and_explains_a_tie(
    coordinator_client, organisation, service
) -> None:
    area = council_area("S12000026")
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    first = fit_volunteer(organisation=organisation, areas=[area], localities="Peebles, Innerleithen")
    second = fit_volunteer(organisation=organisation, areas=[area], localities="")
    response = coordinator_client.get(reverse("matching:candidates", args=[referral.pk]))
    page = response.content.decode()
    assert "Peebles, Innerleithen (Scottish Borders)" in page
    assert "Scottish Borders</div>" in page  # only the council area recorded
    for profile in (first, second):
        assert reverse("volunteers:detail", args=[profile.pk]) in page
    assert f"Same score and number of current families as {first.user.get_full_name()}" in page
