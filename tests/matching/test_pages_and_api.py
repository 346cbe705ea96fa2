"""Candidate and proposal pages and endpoints, isolation between
organisations and roles, and query counts at two data sizes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from operations.core.models import Role
from referrals.models import Referral
from referrals.workflow import Status as ReferralStatus
from tests.factories import ConflictOfInterestFactory, UserFactory, VisitFactory, council_area
from tests.home.queries import HOME_QUERIES
from tests.matching.helpers import fit_volunteer, waiting_referral
from volunteers.matching import services
from volunteers.matching.models import ConflictOfInterest, Match, MatchingNeeds

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    return council_area("S12000026")


def test_the_candidate_page_ranks_and_explains_exclusions(coordinator_client, organisation, service, area) -> None:
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    best = fit_volunteer(organisation=organisation, areas=[area], availability=["mon_am"])
    excluded = fit_volunteer(organisation=organisation, areas=[area])
    ConflictOfInterestFactory(organisation=organisation, parent=referral.parent, volunteer=excluded)
    response = coordinator_client.get(reverse("matching:candidates", args=[referral.pk]))
    assert response.status_code == 200
    page = response.context["page"]
    assert [a.volunteer.volunteer_id for a in page.candidates.ranked] == [best.pk]
    assert page.candidates.excluded[0].exclusions[0].code == "conflict"
    assert "Conflict of interest recorded" in response.content.decode()


def test_a_volunteer_next_door_is_suggested_below_one_in_the_same_area(
    coordinator_client, organisation, service
) -> None:
    dundee, angus, fife = council_area("S12000042"), council_area("S12000041"), council_area("S12000047")
    referral = waiting_referral(organisation=organisation, service=service, area=dundee)
    local = fit_volunteer(organisation=organisation, areas=[dundee])
    next_door = fit_volunteer(organisation=organisation, areas=[angus])
    across_the_tay = fit_volunteer(organisation=organisation, areas=[fife])
    response = coordinator_client.get(reverse("matching:candidates", args=[referral.pk]))
    page = response.context["page"]
    assert [a.volunteer.volunteer_id for a in page.candidates.ranked] == [local.pk, next_door.pk]
    assert [a.volunteer.volunteer_id for a in page.candidates.excluded] == [across_the_tay.pk]
    body = response.content.decode()
    assert "Covers Dundee City" in body
    assert "Neighbouring area: Angus" in body


def test_matching_needs_change_the_ranking(coordinator_client, organisation, service, area) -> None:
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    fit_volunteer(organisation=organisation, areas=[area], gender="male")
    response = coordinator_client.post(
        reverse("matching:needs", args=[referral.pk]), {"required_gender": "female", "availability": ["mon_am"]}
    )
    assert response.status_code == 302
    assert MatchingNeeds.objects.get().required_gender == "female"
    page = coordinator_client.get(reverse("matching:candidates", args=[referral.pk])).context["page"]
    assert page.candidates.ranked == []
    assert page.candidates.excluded[0].exclusions[0].code == "preference"
    bad = coordinator_client.post(reverse("matching:needs", args=[referral.pk]), {"availability": ["someday"]})
    assert bad.status_code == 400


def test_candidate_rows_escape_names_and_offer_both_forms(coordinator_client, organisation, service, area) -> None:
    """Names stay escaped, and each suggested volunteer has a plain link to match and a POST to
    record a conflict of interest."""
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    script = "<script>alert(1)</script>"
    suggested = fit_volunteer(
        organisation=organisation,
        areas=[area],
        user=UserFactory(first_name=script, last_name="Ranked", active_organisation=organisation),
    )
    fit_volunteer(
        organisation=organisation,
        user=UserFactory(first_name=script, last_name="Excluded", active_organisation=organisation),
    )
    body = coordinator_client.get(reverse("matching:candidates", args=[referral.pk])).content.decode()
    assert script not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ranked" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Excluded" in body
    assert "Covers neither the parent&#x27;s council area nor one next to it" in body
    hidden = f'<input type="hidden" name="volunteer" value="{suggested.pk}">'
    # "Match" opens the confirmation page (a GET that writes nothing); it posts from there.
    ask = f'href="{reverse("matching:confirm", args=[referral.pk])}?volunteer={suggested.pk}"'
    assert ask in body
    assert f'action="{reverse("matching:conflict-add", args=[referral.pk])}"' in body
    assert body.count(hidden) == 1

    Referral.objects.filter(pk=referral.pk).update(status=ReferralStatus.MATCHED)
    body = coordinator_client.get(reverse("matching:candidates", args=[referral.pk])).content.decode()
    assert "only waiting referrals can be matched" in body
    assert ask not in body
    assert body.count(hidden) == 1  # the conflict of interest can still be recorded


def test_a_refused_needs_form_shows_its_errors_and_keeps_the_choices(
    coordinator_client, organisation, service, area
) -> None:
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    response = coordinator_client.post(
        reverse("matching:needs", args=[referral.pk]),
        {"availability": ["someday", "mon_am"], "required_gender": "female", "interpreter_arranged": "on"},
    )
    assert response.status_code == 400
    assert not MatchingNeeds.objects.exists()
    body = response.content.decode()
    # Tick boxes in a fieldset the error describes, the chosen time still ticked.
    assert '<fieldset aria-describedby="id_availability_error">' in body
    assert '<div id="id_availability_error" class="invalid-feedback">' in body
    assert "someday is not one of the available choices" in body
    assert re.search(r'type="checkbox"[^>]*name="availability" value="mon_am"[^>]*aria-invalid="true" checked>', body)
    assert '<option value="female" selected>' in body
    assert 'id="id_interpreter_arranged" checked>' in body
    assert re.search(r"<legend[^>]*>\s*Lived experience that would help\s*</legend>", body)


def test_confirming_from_the_candidate_page(coordinator_client, organisation, service, area) -> None:
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    profile = fit_volunteer(organisation=organisation, areas=[area])
    response = coordinator_client.post(reverse("matching:confirm", args=[referral.pk]), {"volunteer": profile.pk})
    match = Match.objects.get()
    assert response.url == reverse("matching:match-detail", args=[match.pk])


def test_the_proposals_page_shows_totals_and_confirms_the_ticked(
    coordinator_client, organisation, service, area
) -> None:
    referrals = [waiting_referral(organisation=organisation, service=service, area=area) for _ in range(3)]
    one = fit_volunteer(organisation=organisation, areas=[area], max_caseload=1)
    two = fit_volunteer(organisation=organisation, areas=[area], max_caseload=1)
    url = reverse("matching:proposals") + f"?service={service.pk}&mode=count"
    response = coordinator_client.get(url)
    result = response.context["result"]
    assert (result.waiting, result.matched) == (3, 2)
    assert "First come, first served" in response.content.decode()
    # Each proposal shows its score's components, as the candidate page does.
    component = result.rows[0].assessment.components[0]
    assert f'<span class="fw-semibold">{component.label}</span> {component.points}/{component.out_of}' in (
        response.content.decode()
    )
    assert not Match.objects.exists()  # nothing is written before confirmation
    pairs = [f"{row.referral.pk}:{row.volunteer.volunteer_id}" for row in result.rows]
    # The second volunteer became full meanwhile: that proposal fails, the other is confirmed.
    services.match_confirm(
        actor=response.wsgi_request.user,
        organisation_id=organisation.pk,
        referral_id=[r for r in referrals if f"{r.pk}:" not in " ".join(pairs)][0].pk,
        volunteer_id=result.rows[1].volunteer.volunteer_id,
    )
    response = coordinator_client.post(url, {"pair": pairs})
    assert response.status_code == 200
    failed = [o for o in response.context["outcomes"] if not o.ok]
    assert len(failed) == 1
    assert "No capacity left" in " ".join(failed[0].errors)
    assert Match.objects.count() == 2
    assert {one.pk, two.pk} == set(Match.objects.values_list("volunteer_id", flat=True))


def test_volunteers_and_other_organisations_cannot_match(
    volunteer_client, other_coordinator_client, organisation, service, area
) -> None:
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    assert volunteer_client.get(reverse("matching:candidates", args=[referral.pk])).status_code == 403
    assert volunteer_client.get(reverse("matching:proposals")).status_code == 403
    assert other_coordinator_client.get(reverse("matching:candidates", args=[referral.pk])).status_code == 404
    assert other_coordinator_client.get(f"/api/v1/referrals/{referral.pk}/candidates/").status_code == 404
    assert volunteer_client.get(f"/api/v1/referrals/{referral.pk}/candidates/").status_code == 403
    assert other_coordinator_client.get(f"/api/v1/matching/proposals/?service={service.pk}").status_code == 404


def test_the_api_candidates_proposals_and_batch_confirmation(coordinator_client, organisation, service, area) -> None:
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    profile = fit_volunteer(organisation=organisation, areas=[area])
    body = coordinator_client.get(f"/api/v1/referrals/{referral.pk}/candidates/").json()
    assert body["candidates"][0]["volunteer_id"] == profile.pk
    assert {c["code"] for c in body["candidates"][0]["components"]} >= {"availability", "travel", "load"}
    proposals = coordinator_client.post(
        "/api/v1/matching/proposals/", {"service": service.pk, "mode": "score"}, content_type="application/json"
    ).json()
    assert proposals["matched"] == 1
    assert proposals["greedy"]["matched"] == 1
    bad = coordinator_client.post(
        "/api/v1/matching/proposals/", {"service": service.pk, "mode": "magic"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert "mode" in bad.json()
    pair = {"referral": referral.pk, "volunteer": profile.pk}
    response = coordinator_client.post(
        "/api/v1/matching/proposals/confirm/", {"pairs": [pair]}, content_type="application/json"
    )
    assert response.status_code == 200
    assert len(response.json()["confirmed"]) == 1
    again = coordinator_client.post("/api/v1/matches/", pair, content_type="application/json")
    assert again.status_code == 400
    assert "not waiting" in " ".join(again.json()["volunteer"])
    assert coordinator_client.get("/api/v1/matches/").json()["count"] == 1


def test_match_api_isolation(
    volunteer_client, other_coordinator_client, coordinator, organisation, service, area, volunteer
):
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    profile = fit_volunteer(organisation=organisation, areas=[area], user=volunteer)
    match = services.match_confirm(
        actor=coordinator, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=profile.pk
    )
    assert volunteer_client.get(f"/api/v1/matches/{match.pk}/").status_code == 200
    assert other_coordinator_client.get(f"/api/v1/matches/{match.pk}/").status_code == 404
    assert other_coordinator_client.get("/api/v1/matches/").json()["count"] == 0
    denied = volunteer_client.post(
        "/api/v1/matches/", {"referral": referral.pk, "volunteer": profile.pk}, content_type="application/json"
    )
    assert denied.status_code == 403


def test_the_directory_is_read_by_members_and_written_by_managers(volunteer_client, manager_client) -> None:
    body = {"name": "Juno Perinatal Mental Health Support"}
    assert volunteer_client.post("/api/v1/directory/", body, content_type="application/json").status_code == 403
    assert manager_client.post("/api/v1/directory/", body, content_type="application/json").status_code == 201
    assert manager_client.post("/api/v1/directory/", body, content_type="application/json").status_code == 400
    assert volunteer_client.get("/api/v1/directory/").json()["count"] == 1


# Query counts: the pages must not make more queries as rows grow.


def _grow(organisation, service, area, coordinator, user, n: int) -> None:
    for _ in range(n):
        fit_volunteer(organisation=organisation, areas=[area])
        waiting_referral(organisation=organisation, service=service, area=area)
    profile = fit_volunteer(organisation=organisation, areas=[area], user=user, max_caseload=n + 2) if n == 1 else None
    profile = profile or user.volunteer_profiles.get()
    profile.max_caseload = 20
    profile.save()
    for _ in range(n):
        referral = waiting_referral(organisation=organisation, service=service, area=area)
        match = services.match_confirm(
            actor=coordinator, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=profile.pk
        )
        VisitFactory(organisation=organisation, match=match, planned_for=timezone.localdate() + dt.timedelta(days=2))


def test_query_counts_of_the_candidate_page_and_the_volunteer_home(
    coordinator_client, volunteer_client, coordinator, volunteer, organisation, service, area, django_assert_num_queries
) -> None:
    probe = waiting_referral(organisation=organisation, service=service, area=area)
    candidates = reverse("matching:candidates", args=[probe.pk])
    for size in (1, 6):
        _grow(organisation, service, area, coordinator, volunteer, size)
        coordinator_client.get(candidates)  # warm-up: the first view fills per-process caches
        # 1 session, 2 user, 3 membership, 4 the referral with its parent,
        # service, needs and both settings, 5 lived experience (the needs
        # form), 6 neighbouring council areas, 7 conflicts of interest,
        # 8 courses, then the fitness loader's 9 training and 10 people with
        # caseload, supervision and PVG; the volunteers' 11 council areas,
        # 12 lived experience and 13 names; 14 the bell.
        with django_assert_num_queries(14):
            assert coordinator_client.get(candidates).status_code == 200
        volunteer_client.get("/")
        with django_assert_num_queries(HOME_QUERIES[Role.VOLUNTEER]):  # named in tests/home/queries.py
            assert volunteer_client.get("/").status_code == 200


def test_recording_a_conflict_excludes_the_volunteer(
    coordinator_client, organisation, other_organisation, service, area
):
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    profile = fit_volunteer(organisation=organisation, areas=[area])
    stranger = fit_volunteer(organisation=other_organisation, areas=[area])
    url = reverse("matching:conflict-add", args=[referral.pk])
    coordinator_client.post(url, {"volunteer": stranger.pk})
    assert not ConflictOfInterest.objects.exists()
    coordinator_client.post(url, {"volunteer": profile.pk})
    assert ConflictOfInterest.objects.get().volunteer == profile
    page = coordinator_client.get(reverse("matching:candidates", args=[referral.pk])).context["page"]
    assert page.candidates.ranked == []
    assert page.candidates.excluded[0].exclusions[0].code == "conflict"
