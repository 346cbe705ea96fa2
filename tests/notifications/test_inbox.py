"""The coordinators' inbox of texts received (/messages/): newest first, the
ones to deal with by default, each linked to the record of whoever sent it;
an unmatched one is linked to a person by a search, and marked done. The
top bar counts what waits; volunteers and PSOs have neither."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from operations.core.audit import AuditEvent
from operations.notifications.models import TextHandling
from tests.factories import InboundTextFactory, ParentFactory
from tests.volunteers.helpers import make_profile

pytestmark = pytest.mark.django_db


def text(organisation, *, minutes_ago=0, **fields):
    return InboundTextFactory(
        organisation=organisation, received_at=timezone.now() - dt.timedelta(minutes=minutes_ago), **fields
    )


def test_newest_first_each_linked_to_the_record_and_unknown_numbers_plain(organisation, coordinator_client):
    parent = ParentFactory(organisation=organisation, first_name="Rhona", last_name="Kerr")
    text(organisation, minutes_ago=30, parent=parent, body="Can we move Friday?")
    text(organisation, minutes_ago=5, from_number="+447700900999", body="Who is this?")

    page = coordinator_client.get(reverse("messages:inbox")).content.decode()

    assert page.index("Who is this?") < page.index("Can we move Friday?")
    assert f'href="{reverse("referrals:parent-detail", args=[parent.pk])}">Rhona Kerr</a>' in page
    assert "Unknown number</span> +447700900999" in page
    assert "2 texts to deal with" in page
    assert page.count("Link to a person") == 1


def test_the_list_shows_what_waits_and_all_on_request(organisation, coordinator_client):
    text(organisation, body="Please call me")
    text(organisation, body="YES", handling=TextHandling.ACTED, outcome="Place confirmed for Tea and Tots.")
    waiting = coordinator_client.get(reverse("messages:inbox")).content.decode()
    everything = coordinator_client.get(reverse("messages:inbox"), {"show": "all"}).content.decode()
    assert "Please call me" in waiting
    assert "Place confirmed" not in waiting
    assert "Place confirmed for Tea and Tots." in everything
    # A value the filter does not know shows what waits, never a 500.
    assert coordinator_client.get(reverse("messages:inbox"), {"show": "<script>"}).status_code == 200


def test_another_organisations_texts_are_not_shown(organisation, other_organisation, coordinator_client):
    text(other_organisation, body="Elsewhere")
    assert "Elsewhere" not in coordinator_client.get(reverse("messages:inbox")).content.decode()


def test_the_inbox_reads_a_fixed_number_of_queries(organisation, coordinator_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert coordinator_client.get(reverse("messages:inbox"), {"show": "all"}).status_code == 200
        return len(captured)

    def add(count):
        for _ in range(count):
            parent = ParentFactory(organisation=organisation)
            text(organisation, parent=parent)
            text(
                organisation,
                candidates=[f"parent:{parent.pk}", f"parent:{ParentFactory(organisation=organisation).pk}"],
            )

    add(2)
    few = queries()
    add(8)
    assert queries() == few


def test_a_coordinator_links_an_unmatched_text_to_a_parent_found_by_name(organisation, coordinator, coordinator_client):
    parent = ParentFactory(organisation=organisation, first_name="Yasmin", last_name="Turnbull")
    ParentFactory(organisation=organisation, first_name="Morag", last_name="Kerr")
    unknown = text(organisation, from_number="+447700900777", body="New phone, it's Yasmin")

    found = coordinator_client.get(reverse("messages:link", args=[unknown.pk]), {"q": "turnbull"}).content.decode()
    assert "Link to Yasmin Turnbull" in found
    assert "Morag" not in found

    response = coordinator_client.post(reverse("messages:link", args=[unknown.pk]), {"parent": parent.pk})

    assert response.status_code == 302
    unknown.refresh_from_db()
    assert unknown.parent_id == parent.pk
    assert AuditEvent.objects.filter(summary=f"Text #{unknown.pk} linked to parent #{parent.pk}").exists()
    # Her record shows it now.
    page = coordinator_client.get(reverse("referrals:parent-detail", args=[parent.pk])).content.decode()
    assert "New phone, it&#x27;s Yasmin" in page


def test_candidates_are_offered_first(organisation, coordinator_client):
    one = ParentFactory(organisation=organisation, first_name="Ailsa", last_name="Grant")
    two = ParentFactory(organisation=organisation, first_name="Ewan", last_name="Grant")
    shared = text(organisation, candidates=[f"parent:{one.pk}", f"parent:{two.pk}"])
    inbox = coordinator_client.get(reverse("messages:inbox")).content.decode()
    assert "Shared by Ailsa Grant, Ewan Grant" in inbox
    page = coordinator_client.get(reverse("messages:link", args=[shared.pk])).content.decode()
    assert "It is Ailsa Grant" in page
    assert "It is Ewan Grant" in page


def test_a_volunteer_can_be_the_sender(organisation, volunteer, coordinator_client):
    volunteer.first_name, volunteer.last_name = "Jane", "Smith"
    volunteer.save()
    profile = make_profile(organisation=organisation, user=volunteer, today=timezone.localdate())
    unknown = text(organisation)
    found = coordinator_client.get(reverse("messages:link", args=[unknown.pk]), {"q": "smith"}).content.decode()
    assert "Link to Jane Smith" in found
    coordinator_client.post(reverse("messages:link", args=[unknown.pk]), {"volunteer": profile.pk})
    unknown.refresh_from_db()
    assert unknown.volunteer_id == profile.pk


@pytest.mark.parametrize("data", [{}, {"parent": "abc"}, {"parent": 1, "volunteer": 1}, {"parent": "999999"}])
def test_linking_to_nobody_or_two_people_is_refused_and_changes_nothing(organisation, coordinator_client, data):
    unknown = text(organisation)
    response = coordinator_client.post(reverse("messages:link", args=[unknown.pk]), data)
    assert response.status_code == 400
    assert "alert-danger" in response.content.decode()
    unknown.refresh_from_db()
    assert (unknown.parent_id, unknown.volunteer_id) == (None, None)


def test_a_parent_of_another_organisation_cannot_be_linked(organisation, other_organisation, coordinator_client):
    stranger = ParentFactory(organisation=other_organisation)
    unknown = text(organisation)
    assert (
        coordinator_client.post(reverse("messages:link", args=[unknown.pk]), {"parent": stranger.pk}).status_code == 400
    )
    unknown.refresh_from_db()
    assert unknown.parent_id is None


def test_mark_done_takes_it_off_the_list(organisation, coordinator, coordinator_client):
    waiting = text(organisation, body="Thanks for today")
    coordinator_client.post(reverse("messages:done", args=[waiting.pk]))
    waiting.refresh_from_db()
    assert waiting.handling == TextHandling.DONE
    assert waiting.handled_by_id == coordinator.pk
    assert "Thanks for today" not in coordinator_client.get(reverse("messages:inbox")).content.decode()
    everything = coordinator_client.get(reverse("messages:inbox"), {"show": "all"}).content.decode()
    assert "Done by" in everything
