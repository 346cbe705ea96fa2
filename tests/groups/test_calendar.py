"""ICS feeds parsed back with icalendar: the group feed behind login, the
private feed behind a resettable token and without a session."""

from __future__ import annotations

import pytest
from django.test import Client
from icalendar import Calendar

from operations.groups import services
from operations.groups.models import CalendarFeed, Format
from tests.factories import VisitFactory
from tests.groups.helpers import creche_adult, first_session, make_group, rota

pytestmark = pytest.mark.django_db


def events(body: bytes) -> list:
    return list(Calendar.from_ical(body).walk("VEVENT"))


def test_the_group_feed_lists_its_sessions(coordinator_client, organisation):
    group = make_group(organisation, venue_address="1 High Street, Peebles")
    services.session_cancel(session=first_session(group), actor=None)
    response = coordinator_client.get(f"/groups/{group.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    found = events(response.content)
    assert len(found) == 12
    first = found[0]
    assert str(first["SUMMARY"]) == group.name
    assert first.decoded("DTSTART") == first_session(group).starts_at
    assert "Peebles" in str(first["LOCATION"])
    assert str(first["STATUS"]) == "CANCELLED"
    assert str(found[1]["STATUS"]) == "CONFIRMED"


def test_an_online_group_puts_its_link_in_the_location(coordinator_client, organisation):
    group = make_group(organisation, format=Format.ONLINE, joining_link="https://meet.example.org/room")
    found = events(coordinator_client.get(f"/groups/{group.pk}/calendar.ics").content)
    assert str(found[0]["LOCATION"]) == "https://meet.example.org/room"


def test_the_group_feed_needs_a_login(organisation):
    group = make_group(organisation)
    response = Client().get(f"/groups/{group.pk}/calendar.ics")
    assert response.status_code == 302


def test_a_private_feed_works_without_a_session_and_stops_when_reset(volunteer_client, volunteer, organisation):
    helps = make_group(organisation, facilitators=[volunteer])
    creche_only = make_group(
        organisation, creche_adults=[creche_adult(organisation, user=volunteer), *rota(organisation, 1)]
    )
    make_group(organisation)  # not theirs
    first_visit = volunteer_client.get("/groups/calendar/").content.decode()
    assert "Get my private calendar address" in first_visit
    assert not CalendarFeed.objects.filter(user=volunteer).exists()  # no secret until asked for
    volunteer_client.post("/groups/calendar/reset/")
    page = volunteer_client.get("/groups/calendar/")
    feed = CalendarFeed.objects.get(user=volunteer)
    assert feed.token in page.content.decode()
    assert len(feed.token) >= 40
    anonymous = Client()
    response = anonymous.get(f"/groups/feed/{feed.token}.ics")
    assert response.status_code == 200
    summaries = {str(event["SUMMARY"]) for event in events(response.content)}
    assert summaries == {helps.name, creche_only.name}
    volunteer_client.post("/groups/calendar/reset/")
    assert anonymous.get(f"/groups/feed/{feed.token}.ics").status_code == 404
    feed.refresh_from_db()
    assert anonymous.get(f"/groups/feed/{feed.token}.ics").status_code == 200


def test_an_unknown_token_or_a_former_member_gets_a_404(volunteer, organisation):
    assert Client().get("/groups/feed/not-a-token.ics").status_code == 404
    feed = services.calendar_feed_for(user=volunteer, organisation_id=organisation.pk)
    volunteer.memberships.update(is_active=False)
    assert Client().get(f"/groups/feed/{feed.token}.ics").status_code == 404


def test_the_private_feed_holds_no_parent_details(volunteer, organisation):
    group = make_group(organisation, facilitators=[volunteer])
    services.booking_create(
        session_id=first_session(group).pk, actor=None, attendee_name="Unique Attendeename", attendee_consent=True
    )
    feed = services.calendar_feed_for(user=volunteer, organisation_id=organisation.pk)
    body = Client().get(f"/groups/feed/{feed.token}.ics").content
    assert b"Attendeename" not in body


def test_the_private_feed_has_the_persons_own_visits_without_the_familys_name(
    volunteer, coordinator, organisation, service
):
    import datetime as dt

    from tests.factories import council_area
    from tests.matching.helpers import fit_volunteer, waiting_referral
    from volunteers.matching import services as matching_services

    area = council_area("S12000026")
    referral = waiting_referral(organisation=organisation, service=service, area=area, first_name="Isobelunique")
    profile = fit_volunteer(organisation=organisation, areas=[area], user=volunteer)
    match = matching_services.match_confirm(
        actor=coordinator, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=profile.pk
    )
    VisitFactory(organisation=organisation, match=match, planned_for=dt.date(2026, 11, 30), at_time=dt.time(14, 0))
    feed = services.calendar_feed_for(user=volunteer, organisation_id=organisation.pk)
    body = Client().get(f"/groups/feed/{feed.token}.ics").content
    visits = [event for event in events(body) if str(event["summary"]).startswith("Visit")]
    assert [str(event["summary"]) for event in visits] == [f"Visit (match {match.pk})"]
    assert b"Isobelunique" not in body
    other = services.calendar_feed_for(user=coordinator, organisation_id=organisation.pk)
    assert b"Visit (match" not in Client().get(f"/groups/feed/{other.token}.ics").content


def test_a_group_name_with_a_line_break_is_refused_and_a_stored_one_does_not_break_the_feed(
    coordinator_client, organisation
):
    group = make_group(organisation)
    response = coordinator_client.patch(
        f"/api/v1/groups/{group.pk}/", data={"name": "Tweed\nValley"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["name"] == ["Keep this to one line: remove the line break."]
    group.refresh_from_db()
    assert "\n" not in group.name

    type(group).objects.filter(pk=group.pk).update(name="Tweed\r\nValley Mums", venue_name="Hall\nRoom 2")
    response = coordinator_client.get(f"/groups/{group.pk}/calendar.ics")
    assert response.status_code == 200
    assert str(events(response.content)[0]["SUMMARY"]) == "Tweed Valley Mums"


def test_the_group_form_refuses_a_line_break_in_the_name(organisation):
    from operations.groups.forms import GroupForm

    form = GroupForm(data={"name": "Tweed\nValley"}, organisation_id=organisation.pk)
    form.is_valid()
    assert form.errors["name"] == ["Keep this to one line: remove the line break."]
