"""The demo data shows groups as the review describes them."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from operations.core.models import User
from operations.groups import audience
from operations.groups.models import Booking, BookingStatus, Format, Group, GroupSession, HeadCount
from volunteers.selectors import creche_fitness

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_demo_groups_with_a_creche_a_drop_in_an_online_group_and_fathers(client):
    call_command("seed_demo", verbosity=0)
    groups = Group.objects.all()
    assert groups.filter(creche_on=True, transport_offered=True).exists()
    assert groups.filter(format=Format.DROP_IN).exists()
    assert groups.filter(format=Format.ONLINE).exclude(joining_link="").exists()
    assert groups.filter(audience="fathers").exists()
    assert HeadCount.objects.exists()
    assert Booking.objects.filter(status=BookingStatus.WAITING).exists()
    assert Booking.objects.filter(parent__isnull=False).exists()
    full = [
        s
        for g in groups.exclude(format=Format.DROP_IN)
        for s in g.sessions.all()
        if s.bookings.filter(status=BookingStatus.BOOKED).count() == s.adult_places
    ]
    assert full, "at least one session is full"

    # Every crèche rota is people fit to work with children; nobody is booked outside a group's audience.
    for group in groups.filter(creche_on=True):
        rota = {u.pk for u in group.creche_adults.all()}
        for session in group.sessions.filter(creche_on=True):
            rota |= {u.pk for u in session.creche_adults.all()}
        assert len(rota) >= 2, group.name
        assert not any(creche_fitness(group.organisation_id, rota).values()), group.name
    for booking in Booking.objects.filter(parent__isnull=False).select_related("parent", "session__group"):
        group = booking.session.group
        problem = audience.audience_problem(
            audience=group.audience,
            age_limit=group.young_parent_age_limit,
            role=booking.parent.role,
            first_name=booking.parent.first_name,
            date_of_birth=booking.parent.date_of_birth,
            on=booking.session.date,
        )
        assert problem is None, problem
    assert not Booking.objects.exclude(audience_override_reason="").exists()

    # Every groups page renders with these data, for a coordinator and a facilitator.
    coordinator = User.objects.get(username="coordinator")
    client.force_login(coordinator)
    group = Group.objects.filter(organisation=coordinator.active_organisation, creche_on=True).first()
    session = GroupSession.objects.filter(group=group, bookings__isnull=False).first()
    for url in (
        "/",
        "/groups/",
        "/groups/new/",
        f"/groups/{group.pk}/",
        f"/groups/{group.pk}/edit/",
        f"/groups/{group.pk}/calendar.ics",
        f"/groups/sessions/{session.pk}/",
        f"/groups/sessions/{session.pk}/edit/",
        f"/groups/sessions/{session.pk}/book/",
        f"/groups/sessions/{session.pk}/register/",
        "/groups/calendar/",
        "/api/v1/groups/",
        "/api/v1/group-sessions/",
        "/api/v1/bookings/",
    ):
        assert client.get(url).status_code == 200, url
    volunteer = User.objects.get(username="volunteer")
    client.force_login(volunteer)
    for url in ("/", "/groups/", f"/groups/{group.pk}/", f"/groups/sessions/{session.pk}/register/"):
        assert client.get(url).status_code == 200, url
