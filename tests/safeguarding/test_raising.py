"""Raising a concern from a phone (volunteers and PSOs), and "My concerns":
the three questions, "danger now" telling the organisation's own
instructions before anything is sent, a form sent twice kept once, and the
raiser told the status, never the notes."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from operations.core.models import Role
from tests.factories import member
from tests.factories.matching import MatchFactory
from tests.factories.referrals import ParentFactory
from tests.factories.safeguarding import ConcernFactory
from tests.factories.volunteers import VolunteerProfileFactory
from volunteers.safeguarding import services
from volunteers.safeguarding.models import (
    About,
    Concern,
    ConcernEvent,
    ConcernStatus,
    EventKind,
    Kind,
    Outcome,
    SafeguardingSettings,
    Source,
    Urgency,
)
from volunteers.safeguarding.status import raiser_status

pytestmark = pytest.mark.django_db

NEW = reverse("safeguarding:concern-new")
MINE = reverse("safeguarding:concern-mine")


def family_of(user, organisation, first_name: str, preferred_name: str = ""):
    """An active match of ``user`` (a volunteer or PSO member) with a parent named so."""
    profile = VolunteerProfileFactory(organisation=organisation, user=user, membership=False)
    return MatchFactory(
        referral__organisation=organisation,
        referral__parent=ParentFactory(organisation=organisation, first_name=first_name, preferred_name=preferred_name),
        volunteer=profile,
    )


@pytest.fixture
def match(organisation, volunteer):
    return family_of(volunteer, organisation, "Rhona")


def answers(**overrides) -> dict:
    data = {
        "urgency": Urgency.TODAY,
        "about": About.PARENT,
        "kind": Kind.MENTAL_HEALTH,
        "details": "She said she cannot go on like this.",
        "client_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def nothing_written() -> bool:
    return not Concern.objects.exists() and not ConcernEvent.objects.exists()


def test_a_volunteer_raises_a_concern_from_a_family_and_the_timeline_says_raised(volunteer_client, volunteer, match):
    page = volunteer_client.get(f"{NEW}?match={match.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Family: <strong>Rhona</strong>" in html
    # The three questions and what was seen, and a key made for this form.
    for label in ("How urgent is it?", "Who is it about?", "What kind of concern?", "What did you see or hear?"):
        assert label in html
    key = re.search(r'name="client_key" value="([0-9a-f-]{36})"', html).group(1)
    assert nothing_written()  # showing the form writes nothing

    response = volunteer_client.post(f"{NEW}?match={match.pk}", answers(client_key=key))
    assert response.status_code == 302
    assert response["Location"] == f"{MINE}?sent={match.pk}"
    concern = Concern.objects.get()
    assert (concern.match, concern.parent, concern.volunteer, concern.raised_by) == (
        match,
        match.parent,
        match.volunteer,
        volunteer,
    )
    assert (concern.about, concern.kind, concern.urgency, concern.source, concern.status) == (
        About.PARENT,
        Kind.MENTAL_HEALTH,
        Urgency.TODAY,
        Source.FORM,
        ConcernStatus.NEW,
    )
    assert concern.client_key == uuid.UUID(key)
    assert [(e.kind, e.actor) for e in concern.events.all()] == [(EventKind.RAISED, volunteer)]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Sent. Your coordinator and the safeguarding lead have been told."
    ]
    # "My concerns" clears this form's draft from the phone.
    mine = volunteer_client.get(response["Location"]).content.decode()
    assert f'data-clear-draft="concern-new-{match.pk}"' in mine


def test_missing_answers_are_field_errors_and_nothing_is_written(volunteer_client, match):
    response = volunteer_client.post(
        f"{NEW}?match={match.pk}", answers(urgency=None, about=None, kind=None, details="   ")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {"urgency", "about", "kind", "details"}
    html = response.content.decode()
    for message in ("Say how urgent it is.", "Say who the concern is about.", "Say what kind of concern it is."):
        assert message in html
    assert nothing_written()


def test_what_was_typed_comes_back_after_a_refusal(volunteer_client, match):
    response = volunteer_client.post(f"{NEW}?match={match.pk}", answers(kind=None, details="Bruise on his arm"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bruise on his arm" in html
    assert re.search(r'<input[^>]*value="today"[^>]*checked', html)
    assert nothing_written()


def test_another_volunteers_family_is_not_found_and_nothing_is_written(volunteer_client, organisation):
    someone_else = member(username="other-volunteer", organisation=organisation, role=Role.VOLUNTEER)
    theirs = family_of(someone_else, organisation, "Isla")
    assert volunteer_client.get(f"{NEW}?match={theirs.pk}").status_code == 404
    assert volunteer_client.post(f"{NEW}?match={theirs.pk}", answers()).status_code == 404
    assert volunteer_client.get(f"{NEW}?match=nonsense").status_code == 404
    assert nothing_written()


def test_another_organisations_family_is_not_found(other_coordinator_client, match):
    assert other_coordinator_client.post(f"{NEW}?match={match.pk}", answers()).status_code == 404
    assert nothing_written()


def test_choosing_a_family_from_home_offers_only_ones_own(volunteer_client, volunteer, organisation, match):
    someone_else = member(username="other-volunteer", organisation=organisation, role=Role.VOLUNTEER)
    theirs = family_of(someone_else, organisation, "Isla")
    html = volunteer_client.get(NEW).content.decode()
    assert "Which family?" in html
    assert "Rhona" in html
    assert "Isla" not in html
    refused = volunteer_client.post(NEW, answers(match=theirs.pk))
    assert refused.status_code == 400
    assert "match" in refused.context["form"].errors
    # A concern about a parent needs the family.
    refused = volunteer_client.post(NEW, answers())
    assert refused.status_code == 400
    assert "Choose the family the concern is about." in refused.content.decode()
    assert nothing_written()
    assert volunteer_client.post(NEW, answers(match=match.pk)).status_code == 302
    assert Concern.objects.get().match == match


def test_the_same_form_sent_twice_is_kept_once(volunteer_client, match):
    data = answers()
    first = volunteer_client.post(f"{NEW}?match={match.pk}", data)
    again = volunteer_client.post(f"{NEW}?match={match.pk}", data)
    assert first.status_code == again.status_code == 302
    assert Concern.objects.count() == 1
    assert ConcernEvent.objects.count() == 1
    # A new form is a new key: a second concern.
    volunteer_client.post(f"{NEW}?match={match.pk}", answers())
    assert Concern.objects.count() == 2


def test_danger_now_shows_the_organisations_own_instructions_before_sending(volunteer_client, organisation, match):
    SafeguardingSettings.objects.filter(organisation=organisation).update(
        emergency_number="112",
        emergency_instructions="Ring 112 at once and stay with the family if it is safe.",
        on_call_phone="01896 555 010",
        on_call_instructions="Then ring Morag, who is on call tonight.",
    )
    html = volunteer_client.get(f"{NEW}?match={match.pk}").content.decode()
    block = html[html.index('class="danger-now"') : html.index("</section>", html.index('class="danger-now"'))]
    assert 'role="alert"' in block
    assert "Ring 112 at once and stay with the family if it is safe." in block
    assert 'href="tel:112"' in block
    assert "Then ring Morag, who is on call tonight." in block
    assert 'href="tel:01896555010"' in block
    assert "01896 555 010" in block
    # It sits right after the urgency question, before the others.
    assert html.index('value="danger_now"') < html.index('class="danger-now"') < html.index('name="about"')

    response = volunteer_client.post(f"{NEW}?match={match.pk}", answers(urgency=Urgency.DANGER_NOW))
    assert response.status_code == 302
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert told == [
        "Sent. Your coordinator and the safeguarding lead have been told.",
        "If anyone is still in danger, call 112 now.",
    ]


def test_without_an_on_call_phone_there_is_no_empty_call_button(volunteer_client, organisation, match):
    SafeguardingSettings.objects.filter(organisation=organisation).update(on_call_phone="")
    html = volunteer_client.get(f"{NEW}?match={match.pk}").content.decode()
    assert 'href="tel:999"' in html
    assert "Call on-call" not in html
    assert "tel:" not in html.replace('href="tel:999"', "")


def test_my_concerns_shows_status_lines_and_never_the_notes_of_staff(
    volunteer_client, volunteer, coordinator, organisation, match
):
    coordinator.first_name = "Morag"
    coordinator.save()
    waiting = ConcernFactory(match=match, kind=Kind.DOMESTIC_ABUSE)
    received = ConcernFactory(match=match, kind=Kind.BABY_WELFARE)
    services.concern_acknowledge(actor=coordinator, concern=received)
    planned = ConcernFactory(match=match, kind=Kind.PRACTICAL_CRISIS)
    services.concern_plan(
        actor=coordinator,
        concern=planned,
        owner=coordinator,
        follow_up_on=timezone.localdate() + dt.timedelta(days=7),
        note="Plan note: call the health visitor about the partner",
    )
    closed = ConcernFactory(match=match, kind=Kind.MENTAL_HEALTH)
    services.concern_close(
        actor=coordinator, concern=closed, outcome=Outcome.SOCIAL_WORK, note="Closing note: social work took it on"
    )
    dropped = ConcernFactory(match=match, kind=Kind.OTHER)
    services.concern_close(
        actor=coordinator, concern=dropped, outcome=Outcome.NO_FURTHER_ACTION, note="Closing note: nothing in it"
    )
    # Someone else's concern is not "mine".
    ConcernFactory(match=match, raised_by=coordinator, details="Coordinator's own worry")

    html = volunteer_client.get(MINE).content.decode()
    received.refresh_from_db()
    at = timezone.localtime(received.acknowledged_at)
    assert "Waiting to be received" in html
    assert f"Received by Morag at {at:%H:%M}" in html
    assert "Action planned" in html
    assert "Closed: action taken" in html
    assert "Closed: no further action" in html
    assert html.count("Rhona") == 5
    assert "Domestic abuse" in html
    assert "The baby&#x27;s welfare" in html
    # Never the notes, the details of others, or the outcome itself.
    for secret in ("Plan note", "Closing note", "Coordinator's own worry", "Referred to social work"):
        assert secret not in html
    assert waiting.pk  # listed above as waiting


def test_the_status_line_gives_the_date_when_received_on_another_day(coordinator):
    coordinator.first_name = "Morag"
    concern = Concern(
        status=ConcernStatus.ACKNOWLEDGED,
        acknowledged_by=coordinator,
        acknowledged_at=dt.datetime(2028, 2, 14, 14, 5, tzinfo=timezone.get_current_timezone()),
    )
    assert raiser_status(concern, today=dt.date(2028, 2, 14)) == "Received by Morag at 14:05"
    assert raiser_status(concern, today=dt.date(2028, 2, 15)) == "Received by Morag on 14 Feb 2028 at 14:05"
    concern.acknowledged_by = None
    assert raiser_status(concern, today=dt.date(2028, 2, 14)) == "Received at 14:05"
    with time_machine.travel(dt.datetime(2028, 2, 14, 16, 0, tzinfo=dt.UTC), tick=False):
        assert raiser_status(concern) == "Received at 14:05"


def test_a_pso_raises_about_their_own_family_and_about_themself(pso_client, pso, organisation):
    family = family_of(pso, organisation, "Kirsty", preferred_name="Kirs")
    assert pso_client.post(f"{NEW}?match={family.pk}", answers(about=About.CHILD)).status_code == 302
    about_family = Concern.objects.get()
    assert (about_family.match, about_family.about, about_family.raised_by) == (family, About.CHILD, pso)

    response = pso_client.post(NEW, answers(about=About.VOLUNTEER, kind=Kind.OTHER, details="I am not coping"))
    assert response["Location"] == f"{MINE}?sent=0"
    about_me = Concern.objects.exclude(pk=about_family.pk).get()
    assert (about_me.about, about_me.match, about_me.parent) == (About.VOLUNTEER, None, None)
    assert about_me.volunteer == family.volunteer  # the PSO's own profile
    html = pso_client.get(MINE).content.decode()
    assert "Kirs" in html
    assert "About you" in html


def test_someone_with_no_family_can_raise_a_concern_about_themself(volunteer_client, volunteer, organisation):
    VolunteerProfileFactory(organisation=organisation, user=volunteer, membership=False)
    html = volunteer_client.get(NEW).content.decode()
    assert "Which family?" not in html
    assert "No families are matched with you now" in html
    assert volunteer_client.post(NEW, answers(about=About.VOLUNTEER)).status_code == 302
    assert Concern.objects.get().about == About.VOLUNTEER


def test_raise_a_concern_is_one_tap_from_home_and_from_each_family(volunteer_client, pso_client, pso, match):
    for client in (volunteer_client, pso_client):
        home = client.get("/").content.decode()
        assert f'href="{NEW}"' in home
        assert f'href="{MINE}"' in home
    family_page = volunteer_client.get(reverse("matching:match-detail", args=[match.pk])).content.decode()
    assert f'href="{NEW}?match={match.pk}"' in family_page


def test_my_concerns_reads_the_same_number_of_queries_however_many(volunteer_client, match):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert volunteer_client.get(MINE).status_code == 200
        return len(queries)

    ConcernFactory(match=match)
    few = count()
    for _ in range(6):
        services.concern_acknowledge(actor=match.confirmed_by, concern=ConcernFactory(match=match))
    assert count() == few
