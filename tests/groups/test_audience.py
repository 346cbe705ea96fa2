"""A group's audience is enforced at booking: a father is not booked into a
mothers' group, nor a 24-year-old into a young parents' group, unless a
coordinator overrides with a reason, kept on the booking and audited. Refused
through the service, the page and the API, with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from operations.core.audit import AuditEvent
from operations.groups import audience, services
from operations.groups.models import Audience, Booking, BookingChild
from operations.groups.services import CrecheChild
from tests.groups.helpers import born, first_session, make_group, parent, rota

pytestmark = pytest.mark.django_db

SESSION_DAY = dt.date(2026, 11, 27)  # the first session (a Friday)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def mothers_session(organisation):
    return first_session(make_group(organisation, audience=Audience.MOTHERS, creche_adults=rota(organisation)))


@pytest.fixture
def father(organisation):
    return parent(organisation, first_name="Callum", role="father")


def book(session, who, *, actor=None, **kwargs):
    return services.booking_create(session_id=session.pk, actor=actor, parent=who, **kwargs)


# --- the rule, without a database --------------------------------------------------


@pytest.mark.parametrize(
    ("group_audience", "role", "years", "fits"),
    [
        ("mothers", "mother", 30, True),
        ("mothers", "father", 30, False),
        ("mothers", "other_carer", 30, False),
        ("fathers", "father", 30, True),
        ("fathers", "mother", 30, False),
        ("parents_carers", "other_carer", 50, True),
        ("young_parents", "father", 19, True),
        ("young_parents", "mother", 20, False),
        ("young_parents", "mother", None, False),
    ],
)
def test_who_fits_an_audience(group_audience, role, years, fits):
    date_of_birth = None if years is None else dt.date(SESSION_DAY.year - years, 1, 1)
    problem = audience.audience_problem(
        audience=group_audience, age_limit=19, role=role, first_name="Sam", date_of_birth=date_of_birth, on=SESSION_DAY
    )
    assert (problem is None) is fits


def test_a_young_parent_is_aged_on_the_session_date():
    # 19 until the day before the 20th birthday, which is the session date.
    twentieth_birthday = dt.date(2006, 11, 27)
    common = {"audience": "young_parents", "age_limit": 19, "role": "mother", "first_name": "Sam"}
    assert (
        audience.audience_problem(**common, date_of_birth=twentieth_birthday, on=SESSION_DAY - dt.timedelta(1)) is None
    )
    problem = audience.audience_problem(**common, date_of_birth=twentieth_birthday, on=SESSION_DAY)
    assert problem == (
        "This group is for young parents up to 19; Sam is 20 on 27 Nov 2026. A coordinator can override with a reason."
    )


# --- the service -------------------------------------------------------------------


def test_a_father_is_refused_from_a_mothers_group_and_nothing_is_written(mothers_session, father, coordinator):
    with pytest.raises(ValidationError) as refused:
        book(mothers_session, father, actor=coordinator, children=[CrecheChild("Isla", born(1))])
    assert refused.value.message_dict["parent"] == [
        "This group is for mothers only; Callum is recorded as a father. A coordinator can override with a reason."
    ]
    assert not Booking.objects.exists()
    assert not BookingChild.objects.exists()
    assert not AuditEvent.objects.filter(object_type="groups.Booking").exists()


def test_a_mother_is_refused_from_a_fathers_group(organisation):
    session = first_session(make_group(organisation, audience=Audience.FATHERS))
    with pytest.raises(ValidationError) as refused:
        book(session, parent(organisation, first_name="Ailsa", role="mother"))
    assert "for fathers; Ailsa is recorded as a mother" in refused.value.message_dict["parent"][0]
    assert not Booking.objects.exists()


def test_young_parents_are_checked_against_the_groups_age_limit(organisation):
    session = first_session(make_group(organisation, audience=Audience.YOUNG_PARENTS, young_parent_age_limit=21))
    nineteen = parent(organisation, date_of_birth=dt.date(2007, 1, 5))
    twenty_four = parent(organisation, first_name="Kirsty", date_of_birth=dt.date(2002, 6, 1))
    unknown = parent(organisation, first_name="Erin", date_of_birth=None)
    assert book(session, nineteen).pk
    with pytest.raises(ValidationError) as too_old:
        book(session, twenty_four)
    assert "young parents up to 21; Kirsty is 24 on 27 Nov 2026" in too_old.value.message_dict["parent"][0]
    with pytest.raises(ValidationError) as not_recorded:
        book(session, unknown)
    assert "Erin's date of birth is not recorded" in not_recorded.value.message_dict["parent"][0]
    assert list(Booking.objects.values_list("parent_id", flat=True)) == [nineteen.pk]


def test_a_coordinator_overrides_with_a_reason_kept_on_the_booking_and_audited(mothers_session, father, coordinator):
    booking = book(mothers_session, father, actor=coordinator, audience_override_reason="  Mum is in hospital.  ")
    assert booking.audience_override_reason == "Mum is in hospital."
    event = AuditEvent.objects.get(object_type="groups.Booking", summary__contains="outside the group's audience")
    assert event.actor_id == coordinator.pk
    assert "Mothers only" in event.summary
    assert "Callum" not in event.summary
    assert "hospital" not in event.summary


def test_a_reason_for_someone_in_the_audience_is_not_kept(mothers_session, organisation, coordinator):
    booking = book(mothers_session, parent(organisation), actor=coordinator, audience_override_reason="Just in case")
    assert booking.audience_override_reason == ""
    assert not AuditEvent.objects.filter(summary__contains="outside the group's audience").exists()


@pytest.mark.parametrize("who", ["volunteer", "pso", None])
def test_only_a_coordinator_can_override(request, mothers_session, father, who):
    actor = request.getfixturevalue(who) if who else None
    with pytest.raises(ValidationError) as refused:
        book(mothers_session, father, actor=actor, audience_override_reason="I know them")
    assert refused.value.message_dict["audience_override_reason"] == [
        "Only a coordinator can book someone outside the group's audience."
    ]
    assert not Booking.objects.exists()


def test_a_coordinator_of_another_organisation_cannot_override(mothers_session, father, other_coordinator):
    with pytest.raises(ValidationError):
        book(mothers_session, father, actor=other_coordinator, audience_override_reason="Please")
    assert not Booking.objects.exists()


# --- the page ----------------------------------------------------------------------


def test_the_booking_page_refuses_then_takes_a_coordinators_override(coordinator_client, mothers_session, father):
    url = f"/groups/sessions/{mothers_session.pk}/book/"
    form = coordinator_client.get(url).content.decode()
    assert "Reason to book outside the group&#x27;s audience" in form
    body = {"parent": father.pk, "children-TOTAL_FORMS": 0, "children-INITIAL_FORMS": 0}
    refused = coordinator_client.post(url, body)
    assert refused.status_code == 200
    assert "Callum is recorded as a father" in refused.content.decode()
    assert not Booking.objects.exists()

    done = coordinator_client.post(url, {**body, "audience_override_reason": "Mum is in hospital; Dad brings baby."})
    assert done.status_code == 302
    page = coordinator_client.get(f"/groups/sessions/{mothers_session.pk}/").content.decode()
    assert "Outside the group's audience" in page
    assert "Mum is in hospital; Dad brings baby." in page


def test_a_group_for_everyone_has_no_override_field(coordinator_client, organisation):
    session = first_session(make_group(organisation, audience=Audience.PARENTS_AND_CARERS))
    assert (
        "audience_override_reason"
        not in coordinator_client.get(f"/groups/sessions/{session.pk}/book/").content.decode()
    )


# --- the API -----------------------------------------------------------------------


def test_the_api_refuses_a_father_then_takes_the_override(coordinator, mothers_session, father):
    body = {"session": mothers_session.pk, "parent": father.pk}
    refused = api(coordinator).post("/api/v1/bookings/", body, format="json")
    assert refused.status_code == 400
    assert "recorded as a father" in refused.json()["parent"][0]
    assert not Booking.objects.exists()

    done = api(coordinator).post(
        "/api/v1/bookings/", {**body, "audience_override_reason": "Mum in hospital"}, format="json"
    )
    assert done.status_code == 201
    assert done.json()["audience_override_reason"] == "Mum in hospital"


def test_the_reason_is_in_subject_access_and_erased_with_the_parent(mothers_session, father, coordinator):
    from operations.groups import gdpr

    book(mothers_session, father, actor=coordinator, audience_override_reason="Mum in hospital")
    (bookings, _children) = gdpr.subject_access(father)
    assert bookings.rows[0]["Booked outside the group's audience because"] == "Mum in hospital"
    gdpr.erase(father)
    assert Booking.objects.get(parent=father).audience_override_reason == ""


def test_undoing_the_cancellation_of_an_override_keeps_it(mothers_session, father, coordinator):
    booking = book(mothers_session, father, actor=coordinator, audience_override_reason="Mum in hospital")
    services.booking_cancel(booking=booking, actor=coordinator)
    restored = services.booking_restore(booking=booking, actor=coordinator)
    assert restored.status == "booked"
    assert restored.audience_override_reason == "Mum in hospital"
