"""Issue 19, referral workflow: a referral is matched only when a match is
confirmed and active only when its match's support started; a confirmed
match reads "Confirmed", asks once and tells the volunteer; a match cannot
start before it was confirmed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from operations.core.audit import AuditEvent
from operations.notifications.models import Channel, Notification
from referrals.models import Referral, ReferralTransition
from referrals.workflow import Status as ReferralStatus
from tests.factories import council_area
from tests.matching.helpers import fit_volunteer, waiting_referral
from volunteers.matching import services
from volunteers.matching.models import ContactMode, Match, MatchStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    return council_area("S12000026")


@pytest.fixture
def referral(organisation, service, area):
    return waiting_referral(organisation=organisation, service=service, area=area, first_name="Aisha", phone="")


@pytest.fixture
def profile(organisation, area, volunteer):
    return fit_volunteer(organisation=organisation, areas=[area], user=volunteer)


def confirm(coordinator, referral, profile) -> Match:
    return services.match_confirm(
        actor=coordinator, organisation_id=referral.organisation_id, referral_id=referral.pk, volunteer_id=profile.pk
    )


def written(referral: Referral) -> tuple:
    """What a refused move must leave as it was."""
    referral.refresh_from_db()
    return (
        referral.status,
        ReferralTransition.objects.filter(referral=referral).count(),
        AuditEvent.objects.filter(object_type="referrals.Referral", object_id=str(referral.pk)).count(),
    )


def contact(day: dt.date) -> dict:
    return {"contact_date": day, "duration_minutes": 45, "mode": ContactMode.WALK, "topics": ["emotional"]}


# --- 1. Matched without a match ------------------------------------------------


@pytest.mark.parametrize(
    ("status", "target", "words"),
    [(ReferralStatus.WAITING, "matched", "confirm a match"), (ReferralStatus.MATCHED, "active", "first contact")],
)
def test_the_board_refuses_a_bare_move_to_matched_or_active_and_writes_nothing(
    coordinator_client, referral, status, target, words
) -> None:
    Referral.objects.filter(pk=referral.pk).update(status=status)
    before = written(referral)
    response = coordinator_client.post(
        reverse("referrals:referral-transition", args=[referral.pk]), {"to_status": target}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200  # htmx swaps the card with the error on it
    body = response.content.decode()
    assert words in body
    assert "HX-Trigger" not in response
    assert written(referral) == before
    if status == ReferralStatus.WAITING:
        assert f'href="{reverse("matching:candidates", args=[referral.pk])}"' in body


def test_the_referral_page_refuses_a_move_to_matched_with_a_link_to_the_candidates(
    coordinator_client, referral
) -> None:
    before = written(referral)
    response = coordinator_client.post(
        reverse("referrals:referral-transition", args=[referral.pk]), {"to_status": "matched"}
    )
    assert response.status_code == 400
    assert response.context["transition_form"].errors["to_status"] == [
        "A referral becomes matched when a match is confirmed: confirm a match on its candidates page."
    ]
    assert f'href="{reverse("matching:candidates", args=[referral.pk])}"' in response.content.decode()
    assert written(referral) == before


def test_the_move_to_lists_leave_out_matched_and_active(coordinator_client, referral) -> None:
    page = coordinator_client.get(reverse("referrals:referral-detail", args=[referral.pk]))
    # Only exits are left: the list starts blank, so a stray click on "Move" moves nobody.
    assert [value for value, _ in page.context["transition_form"].fields["to_status"].widget.choices] == [
        "",
        "not_eligible",
        "declined",
        "withdrawn",
    ]
    board = coordinator_client.get(reverse("referrals:board")).content.decode()
    card = board.split(f'aria-label="Referral {referral.pk}"', 1)[1].split("</article>", 1)[0]
    assert 'value="matched"' not in card
    assert '<option value="">Choose…</option>' in card
    assert "Find a volunteer or PSO" in card
    blank = coordinator_client.post(reverse("referrals:referral-transition", args=[referral.pk]), {"to_status": ""})
    assert blank.context["transition_form"].errors["to_status"] == ["Choose where to move the referral."]


@pytest.mark.parametrize(
    ("status", "target"), [(ReferralStatus.WAITING, "matched"), (ReferralStatus.MATCHED, "active")]
)
def test_the_api_refuses_a_bare_move_with_a_field_error_and_writes_nothing(
    coordinator_client, referral, status, target
) -> None:
    Referral.objects.filter(pk=referral.pk).update(status=status)
    before = written(referral)
    response = coordinator_client.post(
        reverse("api-referral-transition", args=[referral.pk]), {"to_status": target}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "candidates page" in response.json()["to_status"][0]
    assert written(referral) == before


def test_confirming_a_match_moves_the_referral_to_matched_and_the_first_contact_to_active(
    coordinator, volunteer, referral, profile
) -> None:
    match = confirm(coordinator, referral, profile)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.MATCHED
    services.contact_log_create(actor=volunteer, match=match, data=contact(timezone.localdate()))
    referral.refresh_from_db()
    match.refresh_from_db()
    assert (referral.status, match.status) == (ReferralStatus.ACTIVE, MatchStatus.ACTIVE)
    assert referral.support_started_on == match.started_on == timezone.localdate()
    moves = list(ReferralTransition.objects.filter(referral=referral).values_list("to_status", "reason"))
    assert moves == [("matched", "Match confirmed"), ("active", "First contact logged")]


def test_a_coordinator_starting_the_match_makes_the_referral_active(coordinator, referral, profile) -> None:
    match = confirm(coordinator, referral, profile)
    match = services.match_transition(actor=coordinator, match=match, to_status=MatchStatus.INTRODUCED)
    services.match_transition(actor=coordinator, match=match, to_status=MatchStatus.ACTIVE)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACTIVE
    assert referral.support_started_on == timezone.localdate()


# --- 2. One word, one meaning; asked once; the volunteer told ----------------------


def test_match_opens_a_confirmation_page_that_writes_nothing(coordinator_client, referral, profile) -> None:
    url = reverse("matching:confirm", args=[referral.pk])
    page = coordinator_client.get(url, {"volunteer": profile.pk})
    assert page.status_code == 200
    body = page.content.decode()
    assert f"Match Aisha with {profile.user}?" in body
    assert "The volunteer will be told" in body
    assert f'action="{url}"' in body
    assert f'href="{reverse("matching:candidates", args=[referral.pk])}"' in body  # Cancel
    assert (Match.objects.count(), Notification.objects.count()) == (0, 0)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING


def test_the_confirmation_page_of_a_stranger_volunteer_goes_back_to_the_candidates(
    coordinator_client, other_organisation, referral
) -> None:
    stranger = fit_volunteer(organisation=other_organisation)
    url = reverse("matching:confirm", args=[referral.pk])
    for query in ({"volunteer": stranger.pk}, {"volunteer": "x"}, {}):
        response = coordinator_client.get(url, query)
        assert response.status_code == 302
        assert response["Location"] == reverse("matching:candidates", args=[referral.pk])


def test_confirming_on_the_page_reads_confirmed_and_tells_the_volunteer_once(
    coordinator_client, volunteer_client, volunteer, referral, profile
) -> None:
    response = coordinator_client.post(
        reverse("matching:confirm", args=[referral.pk]), {"volunteer": profile.pk}, follow=True
    )
    match = Match.objects.get()
    assert match.status == MatchStatus.CONFIRMED
    body = response.content.decode()
    assert "Match confirmed" in body
    assert ">Confirmed</span>" in body
    assert "Proposed" not in body
    rows = Notification.objects.filter(kind="match_confirmed")
    assert {(row.recipient_user_id, row.channel) for row in rows} == {
        (volunteer.pk, Channel.IN_APP),
        (volunteer.pk, Channel.EMAIL),
    }
    for row in rows:
        words = row.subject + row.body
        assert referral.parent.last_name not in words
        assert "Aisha" not in words  # email leaves the service: no name at all
        assert row.link == reverse("matching:match-detail", args=[match.pk])
    # The volunteer sees it in the app, and the match page says Confirmed too.
    assert ">Confirmed</span>" in volunteer_client.get(row.link).content.decode()


def test_a_refused_confirmation_tells_nobody(coordinator_client, coordinator, referral, profile, service, area):
    Referral.objects.filter(pk=referral.pk).update(status=ReferralStatus.ASSESSED)
    response = coordinator_client.post(reverse("matching:confirm", args=[referral.pk]), {"volunteer": profile.pk})
    assert response.status_code == 302
    assert (Match.objects.count(), Notification.objects.count()) == (0, 0)
    # In a batch, only the confirmed pair tells its volunteer.
    Referral.objects.filter(pk=referral.pk).update(status=ReferralStatus.WAITING)
    other = waiting_referral(organisation=referral.organisation, service=service, area=area)
    Referral.objects.filter(pk=other.pk).update(status=ReferralStatus.CLOSED)
    results = services.match_confirm_batch(
        actor=coordinator,
        organisation_id=referral.organisation_id,
        pairs=[(referral.pk, profile.pk), (other.pk, profile.pk)],
    )
    assert [result.ok for result in results] == [True, False]
    assert set(Notification.objects.values_list("about_id", flat=True)) == {str(results[0].match.pk)}


def test_the_api_confirms_through_the_same_service_and_tells_the_volunteer(
    coordinator_client, volunteer, referral, profile
) -> None:
    pair = {"referral": referral.pk, "volunteer": profile.pk}
    response = coordinator_client.post("/api/v1/matches/", pair, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"
    assert Notification.objects.filter(kind="match_confirmed", recipient_user=volunteer).count() == 2
    again = coordinator_client.post("/api/v1/matches/", pair, content_type="application/json")
    assert again.status_code == 400
    assert Notification.objects.filter(kind="match_confirmed").count() == 2


# --- 3. A match cannot start before it is confirmed ------------------------------------


def test_the_database_refuses_a_match_that_starts_before_it_was_confirmed(coordinator, referral, profile) -> None:
    match = confirm(coordinator, referral, profile)
    confirmed_on = match.confirmed_at.date()
    with pytest.raises(IntegrityError), transaction.atomic():
        Match.objects.filter(pk=match.pk).update(started_on=confirmed_on - dt.timedelta(days=42))
    Match.objects.filter(pk=match.pk).update(started_on=confirmed_on)  # the same day is fine


def test_a_first_contact_before_the_confirmation_is_refused_and_nothing_written(
    coordinator, volunteer, referral, profile
) -> None:
    match = confirm(coordinator, referral, profile)
    confirmed_on = timezone.localdate(match.confirmed_at)
    with pytest.raises(ValidationError) as caught:
        services.contact_log_create(actor=volunteer, match=match, data=contact(confirmed_on - dt.timedelta(days=1)))
    assert caught.value.message_dict["contact_date"] == [
        f"The match was confirmed on {confirmed_on:%-d %b %Y}: log contacts from then on."
    ]
    match.refresh_from_db()
    referral.refresh_from_db()
    assert (match.status, match.started_on, match.contact_logs.count()) == (MatchStatus.CONFIRMED, None, 0)
    assert referral.status == ReferralStatus.MATCHED


def test_a_match_cannot_be_started_before_it_was_confirmed(coordinator, referral, profile) -> None:
    match = confirm(coordinator, referral, profile)
    early = timezone.localdate(match.confirmed_at) - dt.timedelta(days=3)
    with pytest.raises(ValidationError) as caught:
        services.match_transition(actor=coordinator, match=match, to_status=MatchStatus.INTRODUCED, on=early)
    assert "cannot be introduced or start before then" in caught.value.message_dict["to_status"][0]
    match.refresh_from_db()
    assert (match.status, match.introduced_on) == (MatchStatus.CONFIRMED, None)
