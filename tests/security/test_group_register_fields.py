"""A group's register, proven across every page and API response a helper
can reach (issue 9, "Access, proven"; the groups app is issue 6).

A volunteer who facilitates a group, or a PSO on its crèche rota, keeps the
register: they read the attendees' names (and the crèche children's first
names) and nothing else about them: never a parent's phone, email, address
or postcode, nor a new attendee's phone.

``tests/groups/test_api.py`` checks one endpoint (a facilitator's booking
detail leaves out ``attendee_phone`` and ``parent``). This sweep opens
everything a helper can (the register and its htmx row, the group, its
calendar, the private feed, the home page, the API lists and details and the
browsable API) with a booking of a known parent whose contact details are
all filled in, so a contact detail leaking through any of them fails here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from operations.core.models import Role, ServiceKind
from operations.groups import services
from operations.groups.models import Booking, Group, GroupSession
from tests.factories import ParentFactory, ServiceFactory, member
from tests.volunteers.helpers import make_profile

pytestmark = pytest.mark.django_db

PARENT_CONTACT = {
    "phone": "07700900461",
    "email": "matrix.parent@example.org",
    "address_line_1": "17 Hidden Wynd",
    "address_line_2": "Flat 4B Quietlaw",
    "town": "Secretburgh",
    "postcode": "TD9 9ZZ",
}
ATTENDEE_PHONE = "07700900462"
CONTACT_DETAILS = (*PARENT_CONTACT.values(), ATTENDEE_PHONE)


@dataclass
class Register:
    group: Group
    session: GroupSession
    known: Booking  # a parent with every contact detail
    new: Booking  # a new attendee who gave a phone number
    names: tuple[str, ...]  # what the register must show


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def register(organisation, volunteer, pso) -> Register:
    # The persona volunteer facilitates; the persona PSO is on the crèche rota.
    rota_mate = member(username="register-rota-mate", organisation=organisation, role=Role.VOLUNTEER)
    for person in (pso, rota_mate):  # the crèche rota takes only people fit to work with children
        make_profile(organisation=organisation, user=person, today=timezone.localdate())
    group = services.group_create(
        organisation=organisation,
        actor=None,
        data={
            "service": ServiceFactory(organisation=organisation, name="Register groups", kind=ServiceKind.GROUP),
            "name": "Register Tea and Tots",
            "weekday": 4,
            "start_time": dt.time(10, 0),
            "end_time": dt.time(11, 30),
            "starts_on": timezone.localdate(),
            "adult_places": 10,
            "creche_on": True,
        },
        facilitators=[volunteer],
        creche_adults=[pso, rota_mate],
    )
    session = group.sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    parent = ParentFactory(organisation=organisation, first_name="Morag", last_name="Registerson", **PARENT_CONTACT)
    born = timezone.localdate() - dt.timedelta(days=2 * 365)
    known = services.booking_create(
        session_id=session.pk,
        actor=None,
        parent=parent,
        children=[services.CrecheChild(first_name="Eilidh", date_of_birth=born)],
    )
    new = services.booking_create(
        session_id=session.pk,
        actor=None,
        attendee_name="Kirsty Newcomer",
        attendee_phone=ATTENDEE_PHONE,
        attendee_consent=True,
    )
    return Register(group, session, known, new, names=("Morag Registerson", "Kirsty Newcomer", "Eilidh"))


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _reachable(user, register: Register) -> dict[str, str]:
    """Every page and response of the sweep a helper opens, with its body."""
    client = _client(user)
    session, known = register.session, register.known
    feed = services.calendar_feed_for(user=user, organisation_id=register.group.organisation_id)
    gets = [
        "/",
        reverse("groups:list"),
        reverse("groups:detail", args=[register.group.pk]),
        reverse("groups:ics", args=[register.group.pk]),
        reverse("groups:register", args=[session.pk]),
        reverse("groups:my-calendar"),
        "/api/v1/groups/",
        f"/api/v1/groups/{register.group.pk}/",
        "/api/v1/group-sessions/",
        f"/api/v1/group-sessions/{session.pk}/",
        "/api/v1/bookings/",
        f"/api/v1/bookings/?session={session.pk}",
        f"/api/v1/bookings/{known.pk}/",
        f"/api/v1/bookings/{register.new.pk}/",
    ]
    gets += [f"{url}?format=api" for url in gets if url.startswith("/api/") and "?" not in url]
    bodies = {}
    for url in gets:
        response = client.get(url)
        assert response.status_code == 200, f"{user.username} could not open {url}: {response.status_code}"
        bodies[url] = response.content.decode()
    # The private feed (no sign-in), and the register row htmx swaps in after a tick.
    bodies["private feed"] = Client().get(reverse("groups:private-feed", args=[feed.token])).content.decode()
    row = client.post(reverse("groups:register-attendance", args=[known.pk]), {"attended": "1"}, HTTP_HX_REQUEST="true")
    assert row.status_code == 200
    bodies["register row (htmx)"] = row.content.decode()
    attendance = client.post(f"/api/v1/bookings/{known.pk}/attendance/", {"attended": True})
    # Not the day of the session yet: refused, but the answer is still the helper's to read.
    assert attendance.status_code in (200, 400)
    bodies["API attendance"] = attendance.content.decode()
    return bodies


@pytest.mark.parametrize("persona", ["volunteer", "pso"])
def test_a_helper_reads_attendees_names_on_the_register(request, register, persona):
    bodies = _reachable(request.getfixturevalue(persona), register)
    for name in register.names:
        assert name in bodies[reverse("groups:register", args=[register.session.pk])], name
        assert name in bodies[f"/api/v1/bookings/?session={register.session.pk}"], name


@pytest.mark.parametrize("persona", ["volunteer", "pso"])
def test_a_helper_never_reads_parents_contact_details(request, register, persona):
    bodies = _reachable(request.getfixturevalue(persona), register)
    leaks = [f"{secret} in {where}" for where, body in bodies.items() for secret in CONTACT_DETAILS if secret in body]
    assert not leaks


@pytest.mark.parametrize("persona", ["volunteer", "pso"])
def test_restricted_booking_fields_are_left_out_of_a_helpers_api_not_blanked(request, register, persona):
    client = _client(request.getfixturevalue(persona))
    rows = client.get(f"/api/v1/bookings/?session={register.session.pk}").json()["results"]
    assert len(rows) == 2
    for row in rows:
        assert not {"parent", "attendee_name", "attendee_phone", "attendee_consent"} & row.keys()


def test_the_contact_details_are_there_to_leak(coordinator, register):
    """The control: the same records do carry the details, which staff read,
    so finding none in a helper's sweep proves something."""
    client = _client(coordinator)
    assert client.get(f"/api/v1/bookings/{register.new.pk}/").json()["attendee_phone"] == ATTENDEE_PHONE
    parent_page = client.get(reverse("referrals:parent-detail", args=[register.known.parent_id])).content.decode()
    assert PARENT_CONTACT["email"] in parent_page
    assert PARENT_CONTACT["postcode"] in parent_page
