"""Issue 23, self-service: a volunteer keeps her own week, areas and
languages, pauses herself from matching ("back in matching on 3 Mar 2027")
and sees her checks in words; her coordinators and supervisor are told of
a break, once; every refusal writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from operations.core.audit import AuditEvent
from operations.core.models import Role
from operations.notifications import due
from operations.notifications.models import Notification
from tests.factories import TrainingRecordFactory, council_area, member
from tests.volunteers.conftest import TODAY
from tests.volunteers.helpers import make_profile
from volunteers import fitness, selectors, services
from volunteers.models import Course, VolunteerProfile

BORDERS, HIGHLAND = "S12000026", "S12000017"


# --- The pure rules ---------------------------------------------------------


@pytest.mark.parametrize(
    ("until", "on_break"),
    [(None, False), (TODAY - dt.timedelta(days=1), False), (TODAY, False), (TODAY + dt.timedelta(days=1), True)],
)
def test_she_is_out_of_matching_before_the_day_she_is_back_and_in_on_it(until, on_break) -> None:
    assert fitness.on_break(today=TODAY, unavailable_until=until) is on_break


@pytest.mark.parametrize(
    ("days_ahead", "refused_with"),
    [
        (-3, "a day after today"),
        (0, "a day after today"),
        (1, ""),
        (fitness.LONGEST_BREAK_DAYS, ""),
        (fitness.LONGEST_BREAK_DAYS + 1, "a year at most (back by 26 Nov 2027)"),
    ],
)
def test_a_break_ends_after_today_and_within_a_year(days_ahead, refused_with) -> None:
    refusal = fitness.break_refusal(today=TODAY, until=TODAY + dt.timedelta(days=days_ahead))
    assert (refusal == "") if not refused_with else (refused_with in refusal)


@pytest.mark.parametrize(
    ("expires_on", "words"),
    [
        (None, "does not expire"),
        (dt.date(2026, 11, 25), "expired on 25 Nov 2026"),
        (dt.date(2026, 11, 26), "expires 26 Nov 2026, renew soon"),
        (dt.date(2027, 2, 26), "expires 26 Feb 2027, renew soon"),
        (dt.date(2027, 2, 27), "expires 27 Feb 2027"),
    ],
)
def test_an_expiry_in_words(expires_on, words) -> None:
    assert fitness.expiry_words(expires_on, today=TODAY) == words


def test_a_break_is_a_reason_not_to_match_and_the_creche_rule_ignores_it() -> None:
    common = {
        "today": TODAY,
        "status": "active",
        "required_course_ids": [],
        "valid_course_ids": [],
        "has_pvg": True,
        "pvg_renewal_due": None,
    }
    reasons = fitness.fitness_reasons(
        **common,
        last_supervised_on=TODAY,
        active_since=TODAY,
        supervision_interval_weeks=6,
        supervision_grace_weeks=2,
        caseload=0,
        max_caseload=2,
        unavailable_until=dt.date(2027, 3, 3),
    )
    assert [(r.code, r.message) for r in reasons] == [
        (fitness.Reason.ON_BREAK, "On a break: back in matching on 3 Mar 2027")
    ]
    assert fitness.creche_fitness_reasons(**common, pvg_scheme="both") == []


# --- The services -----------------------------------------------------------


@pytest.fixture
def own(organisation, volunteer) -> VolunteerProfile:
    return make_profile(organisation=organisation, user=volunteer, today=TODAY, availability=["mon_am"])


def test_her_details_are_saved_in_the_grids_order_and_audited_in_words(own, volunteer) -> None:
    services.volunteer_own_details_save(
        profile=own,
        actor=volunteer,
        availability=["sat_eve", "wed_pm"],
        council_areas=[council_area(BORDERS)],
        languages="polish,  English , polish",
    )
    own.refresh_from_db()
    assert own.availability == ["wed_pm", "sat_eve"]
    assert own.languages == "polish, English"
    assert [area.gss_code for area in own.council_areas.all()] == [BORDERS]
    (event,) = AuditEvent.objects.filter(object_type="volunteers.VolunteerProfile", actor_id=volunteer.pk)
    assert event.summary == (
        "Own details changed: availability (added Wednesday afternoon, Saturday evening; removed Monday morning), "
        "council areas, languages"
    )


def test_saving_unchanged_details_writes_no_audit_entry(own, volunteer) -> None:
    services.volunteer_own_details_save(
        profile=own, actor=volunteer, availability=["mon_am"], council_areas=[], languages=""
    )
    assert not AuditEvent.objects.filter(object_type="volunteers.VolunteerProfile").exists()


def test_a_cell_off_the_grid_is_refused_and_nothing_is_written(own, volunteer) -> None:
    with pytest.raises(ValidationError) as refused:
        services.volunteer_own_details_save(
            profile=own, actor=volunteer, availability=["mon_am", "someday"], council_areas=[], languages="Gaelic"
        )
    assert "someday" in refused.value.message_dict["availability"][0]
    own.refresh_from_db()
    assert (own.availability, own.languages) == (["mon_am"], "")
    assert not AuditEvent.objects.filter(object_type="volunteers.VolunteerProfile").exists()


def test_nobody_else_changes_her_details_or_pauses_her(own, coordinator) -> None:
    with pytest.raises(PermissionDenied):
        services.volunteer_own_details_save(
            profile=own, actor=coordinator, availability=[], council_areas=[], languages=""
        )
    with pytest.raises(PermissionDenied):
        services.volunteer_break_start(profile=own, actor=coordinator, until=TODAY + dt.timedelta(days=9))
    own.refresh_from_db()
    assert own.availability == ["mon_am"]
    assert own.unavailable_until is None


@pytest.mark.parametrize("days_ahead", [-1, 0, 366])
def test_a_break_in_the_past_today_or_beyond_a_year_is_refused_and_nothing_is_written(
    own, volunteer, coordinator, days_ahead
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.volunteer_break_start(
            profile=own, actor=volunteer, until=TODAY + dt.timedelta(days=days_ahead), reason="Exams"
        )
    assert "unavailable_until" in refused.value.message_dict
    own.refresh_from_db()
    assert (own.unavailable_until, own.unavailable_reason) == (None, "")
    assert not AuditEvent.objects.filter(object_type="volunteers.VolunteerProfile").exists()
    assert not Notification.objects.exists()


def test_a_break_tells_her_coordinators_and_supervisor_once_in_neutral_words(
    organisation, volunteer, coordinator, pso, manager, django_capture_on_commit_callbacks
) -> None:
    profile = make_profile(organisation=organisation, user=volunteer, today=TODAY, supervisor=pso)
    with django_capture_on_commit_callbacks(execute=False):
        services.volunteer_break_start(
            profile=profile, actor=volunteer, until=dt.date(2027, 3, 3), reason="My mum is unwell"
        )
    rows = Notification.objects.filter(kind="volunteer_break")
    # The coordinator and her supervisor (a PSO), in the app and by email; not the manager, not herself.
    assert sorted((row.recipient_user_id, row.channel) for row in rows) == sorted(
        (user.pk, channel) for user in (coordinator, pso) for channel in ("in_app", "email")
    )
    row = rows.first()
    assert "back in matching on 3 Mar 2027" in row.body
    assert "unwell" not in row.body + row.subject
    assert volunteer.last_name not in row.body
    (event,) = AuditEvent.objects.filter(object_type="volunteers.VolunteerProfile")
    assert event.summary == "Paused from matching: back on 3 Mar 2027"
    assert "unwell" not in event.summary
    # The same occasion told again (a retried receiver) writes nothing new.
    due.volunteer_break_changed(profile_id=profile.pk, event_id=event.pk)
    assert rows.count() == 4


def test_ending_a_break_early_puts_her_back_and_tells_them(own, volunteer, coordinator) -> None:
    services.volunteer_break_start(profile=own, actor=volunteer, until=TODAY + dt.timedelta(days=30))
    services.volunteer_break_end(profile=own, actor=volunteer)
    own.refresh_from_db()
    assert own.unavailable_until is None
    assert not own.on_break
    assert Notification.objects.filter(kind="volunteer_back", recipient_user=coordinator).count() == 2
    with pytest.raises(ValidationError, match="not on a break"):
        services.volunteer_break_end(profile=own, actor=volunteer)


def test_her_checks_in_words_from_the_records(organisation, volunteer) -> None:
    profile = make_profile(organisation=organisation, user=volunteer, today=TODAY, trained=False)
    first_aid = Course.objects.create(organisation=organisation, name="First aid", is_required=False)
    TrainingRecordFactory(
        profile=profile, course=first_aid, completed_on=dt.date(2024, 3, 3), expires_on=dt.date(2027, 1, 10)
    )
    lines = [(line.label, line.words, line.attention) for line in selectors.own_checks(profile).lines]
    assert lines == [
        ("PVG", "renewal due 22 Aug 2029", False),
        ("First aid", "expires 10 Jan 2027, renew soon", True),
        ("Core befriending training", "not done yet: needed before matching", True),
        ("Perinatal mental health awareness", "not done yet: needed before matching", True),
        ("Safeguarding", "not done yet: needed before matching", True),
        ("Next supervision", "due by 31 Dec 2026", False),
    ]


# --- Pages --------------------------------------------------------------------


def test_my_details_page_saves_her_week_and_pauses_her_in_words(own, volunteer_client, coordinator_client) -> None:
    page = volunteer_client.get(reverse("volunteers:me"))
    assert page.status_code == 200
    assert b"Monday </span>Morning" in page.content
    assert b"My checks" in page.content

    saved = volunteer_client.post(
        reverse("volunteers:me"), {"availability": ["tue_pm", "thu_eve"], "languages": "English"}, follow=True
    )
    assert b"Your details are saved" in saved.content
    own.refresh_from_db()
    assert own.availability == ["tue_pm", "thu_eve"]

    paused = volunteer_client.post(
        reverse("volunteers:me-break"), {"unavailable_until": "2027-03-03", "unavailable_reason": "Exams"}, follow=True
    )
    assert b"Back in matching on 3 Mar 2027" in paused.content
    assert b"Exams" not in paused.content  # for coordinators only

    staff_view = coordinator_client.get(reverse("volunteers:detail", args=[own.pk]))
    assert b"back in matching on 3 Mar 2027" in staff_view.content
    assert b"Exams" in staff_view.content
    listed = coordinator_client.get(reverse("volunteers:list"))
    assert b"On a break: back in matching on 3 Mar 2027" in listed.content
    report = coordinator_client.get(reverse("volunteers:compliance"))
    assert b"3 Mar 2027" in report.content
    assert b"Exams" in report.content

    ended = volunteer_client.post(reverse("volunteers:me-break-end"), follow=True)
    assert b"in matching again from today" in ended.content


def test_a_refused_break_says_why_on_the_field_and_writes_nothing(own, volunteer_client) -> None:
    page = volunteer_client.post(reverse("volunteers:me-break"), {"unavailable_until": "2030-01-01"})
    assert page.status_code == 200
    assert "A break can last a year at most" in page.content.decode()
    own.refresh_from_db()
    assert own.unavailable_until is None


def test_a_volunteer_never_sees_another_volunteers_reason(organisation, own, volunteer, volunteer_client) -> None:
    other = make_profile(organisation=organisation, today=TODAY)
    services.volunteer_break_start(profile=other, actor=other.user, until=TODAY + dt.timedelta(days=5), reason="Z9")
    assert volunteer_client.get(reverse("volunteers:detail", args=[other.pk])).status_code == 404


def test_staff_use_the_profile_pages_and_someone_without_a_profile_is_told_why(
    organisation, coordinator_client
) -> None:
    assert coordinator_client.get(reverse("volunteers:me")).status_code == 403
    newcomer = member(username="newcomer", organisation=organisation, role=Role.VOLUNTEER)
    client = APIClient()
    client.force_login(newcomer)
    page = client.get(reverse("volunteers:me"))
    assert b"has not been set up yet" in page.content
    assert client.post(reverse("volunteers:me-break"), {"unavailable_until": "2027-01-01"}).status_code == 404
    assert client.get("/api/v1/volunteers/me/").status_code == 404


# --- API ----------------------------------------------------------------------


@pytest.fixture
def api(volunteer) -> APIClient:
    client = APIClient()
    client.force_authenticate(volunteer)
    return client


ME = "/api/v1/volunteers/me/"


def test_the_api_reads_and_changes_her_details_and_break(own, api) -> None:
    read = api.get(ME)
    assert read.status_code == 200
    assert read.json()["availability"] == ["mon_am"]
    assert read.json()["unavailable_until"] is None
    assert read.json()["checks"][0]["label"] == "PVG"

    changed = api.patch(
        ME,
        {"availability": ["fri_am"], "council_areas": [HIGHLAND], "unavailable_until": "2027-03-03"},
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["council_areas"] == [HIGHLAND]
    assert changed.json()["on_break"] is True
    assert "unavailable_reason" not in changed.json()
    own.refresh_from_db()
    assert own.availability == ["fri_am"]
    assert own.unavailable_until == dt.date(2027, 3, 3)

    back = api.patch(ME, {"unavailable_until": None}, format="json")
    assert back.status_code == 200
    assert back.json()["on_break"] is False


def test_bad_input_through_the_api_is_400_with_field_errors_and_writes_nothing(own, api) -> None:
    bad_cell = api.patch(ME, {"availability": ["mon_am", "noon"]}, format="json")
    assert bad_cell.status_code == 400
    assert "availability" in bad_cell.json()
    # A refused break takes the details sent with it back too: all or nothing.
    bad_break = api.patch(ME, {"availability": ["sun_pm"], "unavailable_until": "2020-01-01"}, format="json")
    assert bad_break.status_code == 400
    assert "unavailable_until" in bad_break.json()
    unknown_area = api.patch(ME, {"council_areas": ["S99999999"]}, format="json")
    assert unknown_area.status_code == 400
    assert "council_areas" in unknown_area.json()
    own.refresh_from_db()
    assert (own.availability, own.unavailable_until) == (["mon_am"], None)
    assert not AuditEvent.objects.filter(object_type="volunteers.VolunteerProfile").exists()


def test_staff_are_refused_the_own_details_api(coordinator) -> None:
    client = APIClient()
    client.force_authenticate(coordinator)
    assert client.get(ME).status_code == 403
    assert client.patch(ME, {"availability": []}, format="json").status_code == 403


def test_my_details_page_query_count_does_not_grow_with_her_records(organisation, own, volunteer_client) -> None:
    counts = []
    for more in (1, 6):
        for number in range(more):
            course = Course.objects.create(organisation=organisation, name=f"Course {more}-{number}", is_required=False)
            TrainingRecordFactory(profile=own, course=course, completed_on=TODAY - dt.timedelta(days=10))
            own.references.create(name=f"Referee {more}-{number}", relationship="Friend")
        own.council_areas.add(*council_area(BORDERS).neighbours.all()[:more])
        volunteer_client.get(reverse("volunteers:me"))  # warm-up: per-process caches
        with CaptureQueriesContext(connection) as captured:
            assert volunteer_client.get(reverse("volunteers:me")).status_code == 200
        counts.append(len(captured))
    # Her training, references and areas are read once each, however many.
    assert counts == [counts[0], counts[0]]


def test_staff_read_her_break_through_the_api_and_cannot_set_it(own, volunteer, coordinator) -> None:
    services.volunteer_break_start(profile=own, actor=volunteer, until=dt.date(2027, 3, 3), reason="Exams")
    client = APIClient()
    client.force_authenticate(coordinator)
    record = client.get(f"/api/v1/volunteers/{own.pk}/").json()
    assert record["unavailable_until"] == "2027-03-03"
    assert "Exams" not in str(record)  # her reason is read on her profile page
    assert {"code": "on_break", "message": "On a break: back in matching on 3 Mar 2027"} in record["fitness_reasons"]
    assert client.patch(f"/api/v1/volunteers/{own.pk}/", {"unavailable_until": None}, format="json").status_code == 200
    own.refresh_from_db()
    assert own.unavailable_until == dt.date(2027, 3, 3)  # read-only for staff: still her break


def test_the_reason_goes_when_the_record_of_someone_who_left_is_anonymised(organisation, own, volunteer) -> None:
    from volunteers.retention import anonymise_left_volunteers, left_volunteers_due

    services.volunteer_break_start(profile=own, actor=volunteer, until=TODAY + dt.timedelta(days=9), reason="Exams")
    VolunteerProfile.objects.filter(pk=own.pk).update(
        status="left", status_changed_on=TODAY - dt.timedelta(days=900), phone="", email="", unavailable_until=None
    )
    own.pvg.delete()
    due = left_volunteers_due(organisation.pk, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert list(due) == [own]
    anonymise_left_volunteers(due)
    own.refresh_from_db()
    assert own.unavailable_reason == ""
