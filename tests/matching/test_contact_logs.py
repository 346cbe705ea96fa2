"""Contact logs: only for one's own open matches, never in the future,
1 minute to 12 hours, not past the end date without an extension; a
concern reaches the coordinator's home at once. Pages and API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from operations.core.models import Role
from tests.factories import council_area, member
from tests.matching.helpers import fit_volunteer, waiting_referral
from tests.queries import repeat_view_queries
from volunteers.matching import services
from volunteers.matching.models import Concern, ContactLog, DirectoryEntry, Match, MatchStatus, Visit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def match(coordinator, organisation, service, volunteer) -> Match:
    area = council_area("S12000026")
    referral = waiting_referral(organisation=organisation, service=service, area=area, first_name="Rhona")
    profile = fit_volunteer(organisation=organisation, areas=[area], user=volunteer)
    return services.match_confirm(
        actor=coordinator, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=profile.pk
    )


def form_data(**overrides) -> dict:
    data = {
        "contact_date": TODAY().isoformat(),
        "duration_minutes": "45",
        "mode": "phone",
        "note": "Talked about sleep.",
    }
    data.update(overrides)
    return data


def test_a_volunteer_logs_a_contact_from_the_page(volunteer_client, match) -> None:
    entry = DirectoryEntry.objects.create(organisation=match.organisation, name="PANDAS Foundation Scotland")
    url = reverse("matching:contact-log-new", args=[match.pk])
    assert volunteer_client.get(url).status_code == 200
    response = volunteer_client.post(
        url, {**form_data(), "topics": ["emotional", "feeding"], "signposted_to": [entry.pk]}
    )
    assert response.status_code == 302
    log = ContactLog.objects.get()
    assert log.topics == ["emotional", "feeding"]
    assert list(log.signposted_to.all()) == [entry]
    match.refresh_from_db()
    assert match.status == MatchStatus.ACTIVE


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"duration_minutes": "0"}, "duration_minutes"),
        ({"duration_minutes": "721"}, "duration_minutes"),
        ({"contact_date": (timezone.localdate() + dt.timedelta(days=2)).isoformat()}, "contact_date"),
        ({"mode": "carrier_pigeon"}, "mode"),
    ],
)
def test_bad_input_re_renders_everything_typed_and_writes_nothing(volunteer_client, match, overrides, field) -> None:
    response = volunteer_client.post(reverse("matching:contact-log-new", args=[match.pk]), form_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "Talked about sleep." in response.content.decode()  # nothing typed is lost
    assert not ContactLog.objects.exists()


def test_a_refused_field_is_marked_invalid_and_tied_to_its_message(volunteer_client, match) -> None:
    """Screen readers announce which field is wrong and why (the page is
    used on phones); directory names are text, never markup."""
    DirectoryEntry.objects.create(organisation=match.organisation, name="Home-Start <Borders>")
    response = volunteer_client.post(
        reverse("matching:contact-log-new", args=[match.pk]), form_data(duration_minutes="0")
    )
    page = response.content.decode()
    assert 'aria-invalid="true" aria-describedby="id_duration_minutes_error"' in page
    assert '<div id="id_duration_minutes_error" class="invalid-feedback">' in page
    assert "Give how long the contact lasted (at least 1 minute)." in page
    assert page.count('aria-invalid="true"') == 1  # only the refused field
    assert "Home-Start &lt;Borders&gt;" in page
    assert "<Borders>" not in page


def test_someone_elses_match_is_a_404_on_the_page_and_a_400_in_the_api(client, organisation, match) -> None:
    other = member(username="othervol", organisation=organisation, role=Role.VOLUNTEER)
    client.force_login(other)
    assert client.get(reverse("matching:contact-log-new", args=[match.pk])).status_code == 404
    assert client.get(reverse("matching:match-detail", args=[match.pk])).status_code == 404
    response = client.post(
        "/api/v1/contact-logs/",
        {"match": match.pk, "contact_date": TODAY().isoformat(), "duration_minutes": 30, "mode": "phone"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "match" in response.json()
    assert not ContactLog.objects.exists()


def test_the_service_refuses_another_volunteer_too(organisation, match) -> None:
    other = member(username="othervol", organisation=organisation, role=Role.VOLUNTEER)
    with pytest.raises(services.ValidationError, match="your own matches"):
        services.contact_log_create(
            actor=other, match=match, data={"contact_date": TODAY(), "duration_minutes": 5, "mode": "phone"}
        )


def test_no_log_past_the_end_date_without_an_extension(coordinator, volunteer, match) -> None:
    ended = TODAY() - dt.timedelta(days=3)
    match.referral.__class__.objects.filter(pk=match.referral_id).update(eligibility_end=ended)
    match.refresh_from_db()
    data = {"contact_date": TODAY(), "duration_minutes": 30, "mode": "phone"}
    with pytest.raises(services.ValidationError) as caught:
        services.contact_log_create(actor=volunteer, match=match, data=data)
    assert "extension" in caught.value.message_dict["contact_date"][0]
    with pytest.raises(services.ValidationError) as caught:
        services.match_record_extension(
            actor=coordinator, match=match, until=TODAY() + dt.timedelta(days=30), reason=""
        )
    assert "extension_reason" in caught.value.message_dict
    assert not ContactLog.objects.exists()
    match = services.match_record_extension(
        actor=coordinator, match=match, until=TODAY() + dt.timedelta(days=30), reason="Baby in neonatal care"
    )
    services.contact_log_create(actor=volunteer, match=match, data=data)
    assert ContactLog.objects.count() == 1


def test_an_ended_match_takes_no_logs(coordinator, volunteer, match) -> None:
    services.match_transition(
        actor=coordinator, match=match, to_status=MatchStatus.ENDED, ending_type="unplanned", closing_note="x"
    )
    match.refresh_from_db()
    with pytest.raises(services.ValidationError, match="ended"):
        services.contact_log_create(
            actor=volunteer, match=match, data={"contact_date": TODAY(), "duration_minutes": 30, "mode": "phone"}
        )


def test_a_concern_shows_on_the_coordinators_home_at_once(volunteer_client, coordinator_client, match) -> None:
    response = volunteer_client.post(
        reverse("matching:contact-log-new", args=[match.pk]),
        form_data(has_concern="on", note="She said she feels unsafe at home."),
    )
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert concern.status == "open"
    home = coordinator_client.get("/").content.decode()
    assert "Concerns raised by volunteers" in home
    assert f'<a href="{reverse("matching:match-detail", args=[match.pk])}">Match #{match.pk}</a>' in home
    assert f"by {concern.raised_by.get_full_name()}</li>" in home
    # A volunteer since removed is said so, not shown as "None".
    Concern.objects.update(raised_by=None)
    assert "by someone removed</li>" in coordinator_client.get("/").content.decode()
    # A concern needs a note saying what it is.
    response = volunteer_client.post(
        reverse("matching:contact-log-new", args=[match.pk]), form_data(has_concern="on", note="")
    )
    assert response.status_code == 400
    assert Concern.objects.count() == 1


def test_closing_a_concern_needs_the_action_taken(coordinator_client, coordinator, volunteer, match) -> None:
    log = services.contact_log_create(
        actor=volunteer,
        match=match,
        data={"contact_date": TODAY(), "duration_minutes": 30, "mode": "phone", "has_concern": True, "note": "Worried"},
    )
    concern = log.concern
    coordinator_client.post(reverse("matching:concern-close", args=[concern.pk]), {"action_taken": ""})
    concern.refresh_from_db()
    assert concern.status == "open"
    coordinator_client.post(reverse("matching:concern-close", args=[concern.pk]), {"action_taken": "Called the HV."})
    concern.refresh_from_db()
    assert (concern.status, concern.closed_by) == ("closed", coordinator)


def test_the_api_logs_and_refuses_bad_durations(volunteer_client, match) -> None:
    body = {"match": match.pk, "contact_date": TODAY().isoformat(), "duration_minutes": 0, "mode": "phone"}
    response = volunteer_client.post("/api/v1/contact-logs/", body, content_type="application/json")
    assert response.status_code == 400
    assert "duration_minutes" in response.json()
    future = {**body, "duration_minutes": 20, "contact_date": (TODAY() + dt.timedelta(days=1)).isoformat()}
    response = volunteer_client.post("/api/v1/contact-logs/", future, content_type="application/json")
    assert response.status_code == 400
    assert "contact_date" in response.json()
    assert not ContactLog.objects.exists()
    response = volunteer_client.post(
        "/api/v1/contact-logs/",
        {**body, "duration_minutes": 20, "topics": ["housing"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert volunteer_client.get("/api/v1/contact-logs/").json()["count"] == 1


def test_visits_are_planned_from_the_page_and_the_api(volunteer_client, match) -> None:
    tomorrow = (TODAY() + dt.timedelta(days=1)).isoformat()
    response = volunteer_client.post(
        reverse("matching:visit-new", args=[match.pk]),
        {"planned_for": tomorrow, "at_time": "10:30", "mode": "cafe", "place": "Library café"},
    )
    assert response.status_code == 302
    yesterday = (TODAY() - dt.timedelta(days=1)).isoformat()
    response = volunteer_client.post(
        "/api/v1/visits/",
        {"match": match.pk, "planned_for": yesterday, "mode": "walk"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert Visit.objects.count() == 1
    home = volunteer_client.get("/").content.decode()
    assert "Rhona" in home
    assert "next visit" in home


def test_the_home_names_each_family_once_with_its_soonest_visit(volunteer_client, match) -> None:
    match.parent.preferred_name = "<script>alert(1)</script>"
    match.parent.save(update_fields=["preferred_name"])
    tomorrow, later = TODAY() + dt.timedelta(days=1), TODAY() + dt.timedelta(days=8)
    for planned_for, at_time, cancelled in [
        (TODAY() - dt.timedelta(days=2), None, False),  # past
        (TODAY(), dt.time(9, 0), True),  # called off
        (later, None, False),
        (tomorrow, dt.time(10, 30), False),
    ]:
        Visit.objects.create(
            organisation=match.organisation,
            match=match,
            planned_for=planned_for,
            at_time=at_time,
            mode="cafe",
            cancelled=cancelled,
        )
    home = volunteer_client.get("/").content.decode()
    families = home.split('id="families-heading"')[1].split("</section>")[0]
    assert families.count(reverse("matching:contact-log-new", args=[match.pk])) == 1
    assert f"next visit {date_format(tomorrow, 'D j M')} 10:30 (café)" in families
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in families
    assert "<script>alert(1)" not in home


def test_the_volunteer_home_query_count_does_not_grow_with_visits(volunteer_client, match) -> None:
    def visits(count: int) -> None:
        for day in range(count):
            Visit.objects.create(
                organisation=match.organisation, match=match, planned_for=TODAY() + dt.timedelta(days=day + 1)
            )

    visits(1)
    small = repeat_view_queries(volunteer_client, "/")
    visits(6)
    assert repeat_view_queries(volunteer_client, "/") == small <= 20


def test_the_form_opens_with_todays_date_for_the_native_picker(volunteer_client, match) -> None:
    page = volunteer_client.get(reverse("matching:contact-log-new", args=[match.pk])).content.decode()
    assert f'value="{TODAY().isoformat()}"' in page
    assert 'inputmode="numeric"' in page
    assert "<script>" not in page
    assert "style=" not in page


def test_a_volunteer_cancels_their_own_visit_only(volunteer_client, client, organisation, match) -> None:
    visit = Visit.objects.create(
        organisation=organisation, match=match, planned_for=TODAY() + dt.timedelta(days=3), mode="walk"
    )
    other = member(username="othervol", organisation=organisation, role=Role.VOLUNTEER)
    client.force_login(other)
    assert client.post(reverse("matching:visit-cancel", args=[visit.pk])).status_code == 404
    visit.refresh_from_db()
    assert not visit.cancelled
    assert volunteer_client.post(reverse("matching:visit-cancel", args=[visit.pk])).status_code == 302
    visit.refresh_from_db()
    assert visit.cancelled
    from operations.core.audit import AuditEvent

    entry = AuditEvent.objects.get(object_type="matching.Visit", object_id=str(visit.pk))
    assert entry.summary == f"Visit {visit.pk} on match {match.pk} cancelled"  # who and when, no personal data
