"""Issue 22, smaller things seen: booking a known parent offers her
recorded children for the crèche instead of retyping them; a new child can
still be typed; the service books only children recorded for that parent
of that organisation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from operations.core.audit import AuditEvent
from operations.groups import services
from operations.groups.models import Booking, BookingChild
from operations.groups.services import CrecheChild
from tests.factories import ChildFactory
from tests.groups.helpers import born, first_session, make_group, parent, rota

pytestmark = pytest.mark.django_db


@pytest.fixture
def creche_session(organisation):
    return first_session(make_group(organisation, creche_adults=rota(organisation)))


def test_the_booking_page_offers_the_chosen_parents_recorded_children(coordinator_client, organisation, creche_session):
    mum = parent(organisation)
    isla = ChildFactory(parent=mum, name="Isla", birth_date=born(1), due_date=None)
    ChildFactory(parent=mum, name="", due_date=born(0, 0))  # not born yet: nothing to book
    ChildFactory(parent=mum, name="Old", birth_date=born(13), due_date=None)  # too old for the crèche
    ChildFactory(parent=parent(organisation), name="Somebody", birth_date=born(2), due_date=None)
    url = f"/groups/sessions/{creche_session.pk}/book/"
    # What htmx asks when the parent is chosen: the tick boxes alone.
    fragment = coordinator_client.get(url, {"parent": mum.pk}, headers={"HX-Request": "true"}).content.decode()
    assert 'id="recorded-children"' in fragment
    assert "<html" not in fragment
    assert f'value="{isla.pk}"' in fragment
    assert "Isla, born" in fragment
    assert "Not offered: Old" in fragment
    assert "Somebody" not in fragment
    # Without a parent chosen, the page says what to do.
    assert "Choose a known parent above" in coordinator_client.get(url).content.decode()


def test_a_coordinator_ticks_a_recorded_child_and_types_a_new_one(coordinator_client, organisation, creche_session):
    mum = parent(organisation)
    isla = ChildFactory(parent=mum, name="Isla", birth_date=born(1), due_date=None)
    data = {
        "parent": mum.pk,
        "recorded_children": [isla.pk],
        "children-TOTAL_FORMS": 3,
        "children-INITIAL_FORMS": 0,
        "children-0-first_name": "Rory",
        "children-0-date_of_birth": born(2).isoformat(),
    }
    response = coordinator_client.post(f"/groups/sessions/{creche_session.pk}/book/", data)
    assert response.status_code == 302
    rows = list(Booking.objects.get().children.values_list("first_name", "child_id", "date_of_birth"))
    assert rows == [("Isla", isla.pk, isla.birth_date), ("Rory", None, born(2))]


def test_the_page_refuses_another_parents_child_and_writes_nothing(coordinator_client, organisation, creche_session):
    mum = parent(organisation)
    other = ChildFactory(parent=parent(organisation), name="Not hers", birth_date=born(1), due_date=None)
    data = {"parent": mum.pk, "recorded_children": [other.pk], "children-TOTAL_FORMS": 3, "children-INITIAL_FORMS": 0}
    response = coordinator_client.post(f"/groups/sessions/{creche_session.pk}/book/", data)
    assert response.status_code == 200
    assert response.context["recorded"].errors["recorded_children"]
    assert not Booking.objects.exists()


def test_the_service_books_a_recorded_child_as_her_record_says(organisation, creche_session):
    mum = parent(organisation)
    isla = ChildFactory(parent=mum, name="Isla", birth_date=born(1), due_date=None)
    booking = services.booking_create(
        session_id=creche_session.pk,
        actor=None,
        parent=mum,
        # Whatever the caller typed, the record decides the name and date of birth.
        children=[CrecheChild(first_name="Typo", date_of_birth=born(3), child_id=isla.pk)],
    )
    assert list(booking.children.values_list("first_name", "date_of_birth", "child_id")) == [
        ("Isla", isla.birth_date, isla.pk)
    ]


@pytest.mark.parametrize("whose", ["another parent", "another organisation", "no parent", "twice", "unborn"])
def test_the_service_refuses_a_child_not_recorded_for_this_parent_and_writes_nothing(
    organisation, other_organisation, creche_session, whose
):
    mum = parent(organisation)
    own = ChildFactory(parent=mum, name="Isla", birth_date=born(1), due_date=None)
    child = {
        "another parent": ChildFactory(parent=parent(organisation), birth_date=born(1), due_date=None),
        "another organisation": ChildFactory(parent=parent(other_organisation), birth_date=born(1), due_date=None),
        "no parent": own,
        "twice": own,
        "unborn": ChildFactory(parent=mum, due_date=born(0, 0)),
    }[whose]
    children = [CrecheChild(first_name="Isla", date_of_birth=born(1), child_id=child.pk)]
    if whose == "twice":
        children *= 2
    kwargs = (
        {"parent": None, "attendee_name": "New Mum", "attendee_consent": True}
        if whose == "no parent"
        else {"parent": mum}
    )
    with pytest.raises(ValidationError) as refused:
        services.booking_create(session_id=creche_session.pk, actor=None, children=children, **kwargs)
    assert "children" in refused.value.message_dict
    assert not Booking.objects.exists()
    assert not BookingChild.objects.exists()
    assert not AuditEvent.objects.filter(object_type__icontains="booking").exists()
