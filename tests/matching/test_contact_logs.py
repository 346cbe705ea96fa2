"""Contact logs: only for one's own open matches, never in the future,
1 minute to 12 hours, not past the end date without an extension; the
page leads to "Raise a concern", and "I have a concern" ticked through the
API still opens one. Pages and API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from operations.core.models import Role
from tests.factories import DirectoryEntryFactory, VisitFactory, council_area, member
from tests.home.queries import HOME_QUERIES
from tests.matching.helpers import fit_volunteer, waiting_referral
from volunteers.matching import services
from volunteers.matching.models import ContactLog, Match, MatchStatus, Visit
from volunteers.safeguarding.models import About, Concern, ConcernStatus, EventKind, Source, Urgency

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
    entry = DirectoryEntryFactory(organisation=match.organisation, name="PANDAS Foundation Scotland")
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
    DirectoryEntryFactory(organisation=match.organisation, name="Home-Start <Borders>")
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


def test_the_log_page_offers_raise_a_concern_at_the_top_not_a_tick_box(volunteer_client, match) -> None:
    url = reverse("matching:contact-log-new", args=[match.pk])
    page = volunteer_client.get(url).content.decode()
    raise_link = f'href="{reverse("safeguarding:concern-new")}?match={match.pk}"'
    assert raise_link in page
    assert page.index(raise_link) < page.index("contact-log-form")
    assert 'name="has_concern"' not in page
    # A tick sent by an old page is ignored: the log is kept, and no concern.
    response = volunteer_client.post(url, form_data(has_concern="on"))
    assert response.status_code == 302
    assert ContactLog.objects.get().has_concern is False
    assert not Concern.objects.exists()


def test_a_concern_ticked_in_a_log_through_the_service_opens_a_concern(volunteer, match) -> None:
    """The API (and older apps) still tick "I have a concern": the log's
    transaction opens a concern about the parent, for this week."""
    log = services.contact_log_create(
        actor=volunteer,
        match=match,
        data={"contact_date": TODAY(), "duration_minutes": 30, "mode": "phone", "has_concern": True, "note": "Worried"},
    )
    concern = Concern.objects.get()
    assert (concern.source, concern.contact_log, concern.match, concern.raised_by) == (
        Source.CONTACT_LOG,
        log,
        match,
        volunteer,
    )
    assert (concern.about, concern.urgency, concern.status, concern.details) == (
        About.PARENT,
        Urgency.THIS_WEEK,
        ConcernStatus.NEW,
        "Worried",
    )
    assert list(concern.events.values_list("kind", flat=True)) == [EventKind.RAISED]


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
        VisitFactory(
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
    assert f"next visit {date_format(tomorrow, 'D j M Y')} 10:30 (café)" in families
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in families
    assert "<script>alert(1)" not in home


def test_the_volunteer_home_query_count_does_not_grow_with_visits(
    volunteer_client, match, django_assert_num_queries
) -> None:
    def visits(count: int) -> None:
        for day in range(count):
            VisitFactory(organisation=match.organisation, match=match, planned_for=TODAY() + dt.timedelta(days=day + 1))

    for count in (1, 6):
        visits(count)
        volunteer_client.get("/")  # warm-up: the first view fills per-process caches
        with django_assert_num_queries(HOME_QUERIES[Role.VOLUNTEER]):  # named in tests/home/queries.py
            assert volunteer_client.get("/").status_code == 200


def test_the_form_opens_with_todays_date_for_the_native_picker(volunteer_client, match) -> None:
    page = volunteer_client.get(reverse("matching:contact-log-new", args=[match.pk])).content.decode()
    assert f'value="{TODAY().isoformat()}"' in page
    assert 'inputmode="numeric"' in page
    assert "<script>" not in page
    assert "style=" not in page


def test_a_volunteer_cancels_their_own_visit_only(volunteer_client, client, organisation, match) -> None:
    visit = VisitFactory(
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
