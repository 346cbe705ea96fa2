"""Pages render for each role, and the volunteer list, the compliance page
and the API list make the same number of queries at two data sizes."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from operations.core.models import Role
from tests.factories import MatchFactory, SupervisionSessionFactory, council_area, member
from tests.home.queries import HOME_QUERIES
from tests.volunteers.conftest import TODAY
from tests.volunteers.helpers import make_profile
from volunteers import selectors
from volunteers.models import PvgRecord, Status, TrainingRecord, VolunteerProfile

pytestmark = pytest.mark.django_db


def add_people(organisation, supervisor, count: int) -> None:
    statuses = [Status.ACTIVE, Status.PAUSED, Status.IN_TRAINING, Status.ACTIVE]
    for index in range(count):
        profile = make_profile(
            organisation=organisation,
            today=TODAY,
            supervisor=supervisor,
            status=statuses[index % len(statuses)],
            supervised_days_ago=[5, 45, 70][index % 3],
            trained=index % 2 == 0,
        )
        # Some checks lapse soon, so every section of the compliance page has rows.
        PvgRecord.objects.filter(profile=profile).update(renewal_due=TODAY + dt.timedelta(days=20 * index - 30))
        profile.lived_experience.set([])


# The volunteer list: 1 session, 2 user, 3 membership, 4 council areas (the
# filter), 5 volunteer settings, 6 courses, 7 count of profiles (the pager),
# 8 the page of profiles, then the fitness loader
# (volunteers.selectors.fitness_inputs): 9 their training and 10 their status,
# last supervision, PVG and caseload; 11 their council areas, 12 the bell.
LIST_QUERIES = 12

#: The queries of a repeat view of each page, the same at every size.
QUERIES = {
    "/volunteers/": LIST_QUERIES,
    # 1 session, 2 user, 3 membership, 4 volunteer settings, 5 courses, 6 the
    # people, then the fitness loader: 7 their training and 8 their last
    # supervision, PVG and caseload; 9 open Disclosure tasks, 10 people on a
    # break they set themselves, 11 the bell.
    "/volunteers/compliance/": 11,
    # As the list, without the pager's count: fitness is worked out on every
    # row before paging.
    "/volunteers/?fit=no&status=active": LIST_QUERIES - 1,
    "/": HOME_QUERIES[Role.COORDINATOR],
    # 1 session, 2 user, 3 membership, 4 count (the pager), 5 the page of
    # profiles, then prefetched: 6 training, 7 council areas, 8 supervisor
    # pairings, 9 lived experience; for fitness: 10 volunteer settings, 11 courses.
    "/api/v1/volunteers/": 11,
}


def repeat_view(client, url: str, django_assert_num_queries, expected: int) -> None:
    client.get(url)  # warm-up: the first view fills per-process caches
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", QUERIES)
def test_query_count_does_not_grow_with_the_number_of_volunteers(
    organisation, coordinator_client, pso, url, django_assert_num_queries
):
    for people in (3, 12):
        add_people(organisation, pso, people)
        repeat_view(coordinator_client, url, django_assert_num_queries, QUERIES[url])


def test_pso_home_and_list_query_counts_are_flat(organisation, pso, pso_client, django_assert_num_queries):
    make_profile(organisation=organisation, today=TODAY, user=pso, kinds=["pso"], supervised_days_ago=None)
    for people in (2, 8):
        add_people(organisation, pso, people)
        repeat_view(pso_client, "/", django_assert_num_queries, HOME_QUERIES[Role.PSO])
        # As a coordinator's list, its count and page holding their supervisees only.
        repeat_view(pso_client, "/volunteers/", django_assert_num_queries, LIST_QUERIES)


def test_pso_home_rows_agree_with_the_volunteer_list(organisation, pso, pso_client):
    """The home reads supervisees as plain rows; fitness, next supervision
    and supervisor are the ones the list pages work out from model instances."""
    lead = member(username="pso-lead", organisation=organisation, role=Role.COORDINATOR)
    lead.first_name, lead.last_name = "Isla", "Reid"
    lead.save(update_fields=["first_name", "last_name"])
    make_profile(organisation=organisation, today=TODAY, user=pso, kinds=["pso"], supervisor=lead)
    add_people(organisation, pso, 8)
    make_profile(organisation=organisation, today=TODAY, supervisor=pso, pvg=False, status=Status.LEFT)
    home = {p.pk: p for p in selectors.home_profiles(pso, organisation_id=organisation.pk)}
    listed = selectors.volunteers_for(pso, organisation_id=organisation.pk)
    assert set(home) == {p.pk for p in listed}
    for profile in listed:
        row = home[profile.pk]
        assert (row.name, row.next_supervision_on) == (str(profile.user), profile.next_supervision_on)
        if profile.user_id == pso.pk:
            assert row.fitness_reasons is None  # nobody's home shows their own fitness
            assert row.supervisor_name == "Isla Reid" == str(profile.supervisor)
        else:
            assert row.fitness_reasons == profile.fitness_reasons


def test_pso_home_escapes_names_and_skips_people_who_left(organisation, pso, pso_client):
    hostile = make_profile(organisation=organisation, today=TODAY, supervisor=pso, pvg=False)
    hostile.user.first_name = "<script>alert(1)</script>"
    hostile.user.save(update_fields=["first_name"])
    left = make_profile(organisation=organisation, today=TODAY, supervisor=pso, status=Status.LEFT)
    html = pso_client.get("/").content.decode()
    panel = html.split('id="supervisees-heading"')[1].split("</section>")[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in panel
    assert "<script>alert(1)" not in html
    assert "PVG record missing" in panel
    assert str(left.user) not in panel


def test_list_filters_and_reasons_column(organisation, coordinator_client, pso):
    fit = make_profile(organisation=organisation, today=TODAY, supervisor=pso, languages="English, Polish")
    unfit = make_profile(organisation=organisation, today=TODAY, supervisor=pso, pvg=False, kinds=["facilitator"])
    html = coordinator_client.get("/volunteers/").content.decode()
    assert "PVG record missing" in html
    assert "Fit to match" in html

    def names(query: str) -> set[str]:
        body = coordinator_client.get(f"/volunteers/?{query}").content.decode()
        return {str(p.user) for p in (fit, unfit) if str(p.user) in body}

    assert names("fit=yes") == {str(fit.user)}
    assert names("fit=no") == {str(unfit.user)}
    assert names("kind=facilitator") == {str(unfit.user)}
    assert names("language=polish") == {str(fit.user)}
    assert names("status=paused") == set()
    area = organisation.council_areas.first()
    fit.council_areas.set([area])
    assert names(f"area={area.pk}") == {str(fit.user)}


def test_compliance_page_lists_each_kind_of_problem(organisation, coordinator_client, pso):
    lapsing = make_profile(organisation=organisation, today=TODAY, supervisor=pso)
    PvgRecord.objects.filter(profile=lapsing).update(renewal_due=TODAY + dt.timedelta(days=40))
    untrained = make_profile(organisation=organisation, today=TODAY, supervisor=pso, trained=False)
    overdue = make_profile(organisation=organisation, today=TODAY, supervisor=pso, supervised_days_ago=40)
    html = coordinator_client.get("/volunteers/compliance/").content.decode()
    pvg, training, supervision = (
        html.split('id="pvg-heading"')[1].split("</section>")[0],
        html.split('id="training-heading"')[1].split("</section>")[0],
        html.split('id="supervision-heading"')[1].split("</section>")[0],
    )
    assert str(lapsing.user) in pvg
    assert str(untrained.user) in training
    assert "Core befriending training" in training
    assert str(overdue.user) in supervision
    assert str(lapsing.user) not in supervision


@pytest.mark.parametrize("persona", ["coordinator", "manager", "pso", "volunteer"])
def test_home_pages_render_the_volunteers_panel(request, organisation, pso, persona):
    user = request.getfixturevalue(persona)
    if persona in ("pso", "volunteer"):
        make_profile(organisation=organisation, today=TODAY, user=user, supervisor=None if persona == "pso" else pso)
    html = request.getfixturevalue(f"{persona}_client").get("/").content.decode()
    expected = {
        "coordinator": "fit to match",
        "manager": "fit to match",
        "pso": "Your supervisees",
        "volunteer": "Your supervision",
    }
    assert expected[persona] in html


def test_staff_forms_render(organisation, coordinator_client, pso):
    profile = make_profile(organisation=organisation, today=TODAY, supervisor=pso)
    for url in [
        "new/",
        f"{profile.pk}/edit/",
        f"{profile.pk}/status/",
        f"{profile.pk}/pvg/",
        f"{profile.pk}/training/",
    ]:
        assert coordinator_client.get(f"/volunteers/{url}").status_code == 200, url
    for url in [f"{profile.pk}/references/", f"{profile.pk}/supervisor/", "supervision/new/"]:
        assert coordinator_client.get(f"/volunteers/{url}").status_code == 200, url
    pairing = coordinator_client.get(f"/volunteers/{profile.pk}/supervisor/").content.decode()
    assert "(1 supervisee)" in pairing


def test_training_and_reference_are_recorded_from_the_pages(organisation, coordinator_client, pso):
    profile = make_profile(organisation=organisation, today=TODAY, supervisor=pso, trained=False)
    course = organisation.courses.first()
    response = coordinator_client.post(
        f"/volunteers/{profile.pk}/training/", {"course": course.pk, "completed_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    assert profile.training_records.get().course == course
    response = coordinator_client.post(
        f"/volunteers/{profile.pk}/references/", {"name": "R. Referee", "relationship": "Teacher"}
    )
    assert response.status_code == 302
    refused = coordinator_client.post(
        f"/volunteers/{profile.pk}/training/",
        {"course": course.pk, "completed_on": TODAY.isoformat(), "expires_on": "2020-01-01"},
    )
    assert "must be after completion" in refused.content.decode()
    assert profile.training_records.count() == 1


def test_an_action_is_marked_done_by_its_owner_only(organisation, pso, volunteer, volunteer_client, pso_client):
    from volunteers import services

    own = make_profile(organisation=organisation, today=TODAY, user=volunteer, supervisor=pso)
    session = services.supervision_session_create(
        organisation=organisation,
        actor=pso,
        supervisor=pso,
        volunteers=[own],
        held_on=TODAY,
        mode="phone",
        duration_minutes=30,
        wellbeing="good",
        actions=[{"description": "Read policy", "owner": volunteer, "due_on": None}],
    )
    action = session.actions.get()
    assert pso_client.post(f"/volunteers/actions/{action.pk}/done/").status_code == 404
    assert volunteer_client.post(f"/volunteers/actions/{action.pk}/done/").status_code == 302
    action.refresh_from_db()
    assert action.done_on == TODAY


def test_api_can_create_a_session_for_a_pso(organisation, pso):
    profile = make_profile(organisation=organisation, today=TODAY, supervisor=pso, supervised_days_ago=None)
    other_pso = member(username="pso-z", organisation=organisation, role=Role.PSO)
    client = APIClient()
    client.force_authenticate(pso)
    body = {
        "supervisor": pso.pk,
        "volunteers": [profile.pk],
        "held_on": TODAY.isoformat(),
        "mode": "video",
        "duration_minutes": 60,
        "wellbeing": "some_strain",
        "notes": "n",
        "actions": [{"description": "Rest", "owner": profile.user_id, "due_on": TODAY.isoformat()}],
    }
    response = client.post("/api/v1/supervisions/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["actions"][0]["description"] == "Rest"
    forged = client.post("/api/v1/supervisions/", {**body, "supervisor": other_pso.pk}, format="json")
    assert forged.status_code == 400


def test_volunteer_list_shows_a_page_with_the_total(organisation, coordinator_client, pso):
    add_people(organisation, pso, 26)
    first = coordinator_client.get("/volunteers/").content.decode()
    assert "26 people (showing 1–25)" in first
    second = coordinator_client.get("/volunteers/?page=2").content.decode()
    assert "(showing 26–26)" in second
    assert "Page 2 of 2" in second


def test_list_and_compliance_name_the_supervisor_even_without_a_full_name(organisation, coordinator_client, pso):
    """The supervisor's name comes from a subquery now: the same name as
    the person's own, and the username when they have no name."""
    named = make_profile(organisation=organisation, today=TODAY, supervisor=pso, supervised_days_ago=40)
    nameless = member(username="pso-no-name", organisation=organisation, role=Role.PSO)
    nameless.first_name = nameless.last_name = ""
    nameless.save()
    unnamed = make_profile(organisation=organisation, today=TODAY, supervisor=nameless, supervised_days_ago=40)
    nobody = make_profile(organisation=organisation, today=TODAY, supervisor=None, supervised_days_ago=40)
    for url in ("/volunteers/", "/volunteers/compliance/"):
        rows = {
            row.split("</td>")[0]: row
            for row in coordinator_client.get(url).content.decode().split("<tr>")
            if "</td>" in row and "supervision-heading" not in row
        }

        def row_of(profile, rows=rows):
            return next(row for cell, row in rows.items() if str(profile.user) in cell)

        assert f"<td>{pso}</td>" in row_of(named), url
        assert "<td>pso-no-name</td>" in row_of(unnamed), url
        assert "<td>—</td>" in row_of(nobody), url


def test_compliance_names_the_course_of_training_expiring_soon(organisation, coordinator_client, pso):
    profile = make_profile(organisation=organisation, today=TODAY, supervisor=pso)
    record = TrainingRecord.objects.filter(profile=profile).select_related("course").first()
    record.expires_on = TODAY + dt.timedelta(days=30)
    record.save()
    html = coordinator_client.get("/volunteers/compliance/").content.decode()
    training = html.split('id="training-heading"')[1].split("</section>")[0]
    assert f"<td>{record.course.name}</td>" in training
    assert "Expiring" in training


def test_a_bad_filter_value_is_shown_on_its_field(organisation, coordinator_client, pso):
    make_profile(organisation=organisation, today=TODAY, supervisor=pso)
    html = coordinator_client.get("/volunteers/?status=nonsense&area=12345").content.decode()
    assert 'class="select form-select is-invalid" aria-invalid="true" aria-describedby="id_status_error"' in html
    assert "nonsense is not one of the available choices" in html
    assert 'id="id_area_error"' in html
    # An unreadable filter is ignored: the list still shows everyone.
    assert "1 person" in html


def test_list_and_compliance_rows_escape_names(organisation, coordinator_client, pso):
    """A name is text, never markup."""
    profile = make_profile(organisation=organisation, today=TODAY, supervisor=pso, pvg=False)
    profile.user.first_name = "<script>alert(1)</script>"
    profile.user.save()
    for url in ("/volunteers/", "/volunteers/compliance/"):
        html = coordinator_client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


def test_list_rows_and_compliance_agree_with_each_profile_s_own_fitness(organisation, coordinator, pso):
    """The list and the report read plain rows; each person's fitness is the
    one ``fitness_of`` gives the matching issue from the model instances."""
    add_people(organisation, pso, 8)
    make_profile(organisation=organisation, today=TODAY, supervisor=None, supervised_days_ago=None, pvg=False)
    expected = {
        profile.pk: [reason.message for reason in selectors.fitness_of(profile)]
        for profile in VolunteerProfile.objects.filter(organisation=organisation)
    }
    page = selectors.volunteers_page(coordinator, organisation_id=organisation.pk, filters={}, number=1, per_page=100)
    listed = {person.pk: [reason.message for reason in person.fitness_reasons] for person in page.object_list}
    assert listed == expected
    report = selectors.compliance_for(coordinator, organisation_id=organisation.pk, names=False, supervisors=False)
    checked = {person.pk: [reason.message for reason in person.fitness_reasons] for person in report.profiles}
    assert checked == {pk: reasons for pk, reasons in expected.items() if pk in checked}


def test_coordinator_home_counts_the_report(organisation, coordinator_client, pso):
    """The home page's counts are the compliance report's rows, counted."""
    make_profile(organisation=organisation, today=TODAY, supervisor=pso)  # fit
    make_profile(organisation=organisation, today=TODAY, supervisor=pso, pvg=False)  # PVG missing
    make_profile(organisation=organisation, today=TODAY, supervisor=pso, trained=False)  # 3 courses missing
    make_profile(organisation=organisation, today=TODAY, supervisor=pso, supervised_days_ago=60)  # overdue
    make_profile(organisation=organisation, today=TODAY, supervisor=pso, status=Status.PAUSED)
    html = coordinator_client.get("/").content.decode()
    assert "1 of 4 active people are fit to match." in html
    assert "PVG needing attention: 1</li>" in html
    assert "Training missing or expiring: 3</li>" in html
    assert "Supervision due or overdue: 1</li>" in html
    assert "Disclosure Scotland tasks open: 0</li>" in html


def test_pso_home_counts_each_open_match_once_however_many_supervisions(organisation, pso, service):
    """Caseloads come with the profile rows through a join that also meets
    the supervision sessions: a count of rows would multiply them."""
    from tests.matching.helpers import waiting_referral
    from volunteers.matching.models import MatchStatus

    area = council_area("S12000026")
    near_full = make_profile(organisation=organisation, today=TODAY, supervisor=pso, max_caseload=3)
    for days_ago in (20, 40, 60):  # three supervisions
        session = SupervisionSessionFactory(
            organisation=organisation, supervisor=pso, held_on=TODAY - dt.timedelta(days=days_ago)
        )
        session.volunteers.add(near_full)
    for status in (MatchStatus.ACTIVE, MatchStatus.CONFIRMED, MatchStatus.ENDED):
        referral = waiting_referral(organisation=organisation, service=service, area=area)
        ended = {"ending_type": "planned", "ended_on": TODAY} if status == MatchStatus.ENDED else {}
        MatchFactory(
            organisation=organisation,
            referral=referral,
            parent=referral.parent,
            volunteer=near_full,
            status=status,
            **ended,
        )
    listed = next(p for p in selectors.volunteers_for(pso, organisation_id=organisation.pk) if p.pk == near_full.pk)
    home = next(p for p in selectors.home_profiles(pso, organisation_id=organisation.pk) if p.pk == near_full.pk)
    assert listed.current_caseload == 2
    assert home.fitness_reasons == listed.fitness_reasons == []  # two open of three: still fit
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    MatchFactory(
        organisation=organisation, referral=referral, parent=referral.parent, volunteer=near_full, status="introduced"
    )
    home = next(p for p in selectors.home_profiles(pso, organisation_id=organisation.pk) if p.pk == near_full.pk)
    assert [reason.code for reason in home.fitness_reasons] == ["caseload_full"]
