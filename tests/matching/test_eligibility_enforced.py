"""Eligibility enforced when matching: a match before the referral's
eligibility starts or after it ends is refused, through the service, the
candidates page and the API, unless a coordinator gives a reason; the
override is kept on the match, audited and shown on the referral; whole-list
proposals leave such parents out and say so."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from operations.core.audit import AuditEvent
from operations.notifications.models import Notification
from referrals.eligibility import outside_eligibility
from referrals.models import Referral
from referrals.workflow import Status as ReferralStatus
from tests.factories import council_area
from tests.matching.helpers import fit_volunteer, waiting_referral
from volunteers.matching import selectors, services
from volunteers.matching.models import Match

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)
EARLY_START = dt.date(2027, 1, 4)
ENDED = dt.date(2026, 2, 14)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.date(2026, 12, 7), tick=False):
        yield


@pytest.fixture
def area():
    return council_area("S12000026")


@pytest.fixture
def profile(organisation, area):
    return fit_volunteer(organisation=organisation, areas=[area])


def _referral(organisation, service, area, *, start=None, end=None) -> Referral:
    referral = waiting_referral(organisation=organisation, service=service, area=area)
    Referral.objects.filter(pk=referral.pk).update(
        eligibility_start=start, eligibility_end=end or TODAY + dt.timedelta(days=300)
    )
    referral.refresh_from_db()
    return referral


@pytest.fixture
def early(organisation, service, area) -> Referral:
    return _referral(organisation, service, area, start=EARLY_START)


@pytest.fixture
def ended(organisation, service, area) -> Referral:
    return _referral(organisation, service, area, start=dt.date(2025, 1, 1), end=ENDED)


def _nothing_written(referral: Referral) -> None:
    assert not Match.objects.filter(referral=referral).exists()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING
    assert not referral.transitions.exists()
    assert not AuditEvent.objects.filter(object_type="matching.Match").exists()
    assert not Notification.objects.exists()


def test_the_pure_rule_names_the_start_or_the_end() -> None:
    assert outside_eligibility(EARLY_START, None, TODAY) == "not eligible until 4 Jan 2027"
    assert outside_eligibility(None, ENDED, TODAY) == "eligibility ended on 14 Feb 2026"
    assert outside_eligibility(TODAY, TODAY, TODAY) == ""  # both days are inside
    assert outside_eligibility(None, None, TODAY) == ""  # unknown dates hold nothing back


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("early", "Not eligible until 4 Jan 2027: to match now, give a reason to override."),
        ("ended", "Eligibility ended on 14 Feb 2026: to match now, give a reason to override."),
    ],
)
def test_the_service_refuses_outside_eligibility_and_writes_nothing(
    request, coordinator, organisation, profile, which, message
) -> None:
    referral = request.getfixturevalue(which)
    for blank in ["", "   "]:
        with pytest.raises(ValidationError) as caught:
            services.match_confirm(
                actor=coordinator,
                organisation_id=organisation.pk,
                referral_id=referral.pk,
                volunteer_id=profile.pk,
                eligibility_override_reason=blank,
            )
        assert caught.value.message_dict == {"eligibility_override_reason": [message]}
    _nothing_written(referral)


def test_other_refusals_stay_on_the_volunteer(coordinator, organisation, early, area) -> None:
    stranger = fit_volunteer(organisation=organisation, areas=[council_area("S12000036")])
    with pytest.raises(ValidationError) as caught:
        services.match_confirm(
            actor=coordinator, organisation_id=organisation.pk, referral_id=early.pk, volunteer_id=stranger.pk
        )
    assert set(caught.value.message_dict) == {"volunteer", "eligibility_override_reason"}
    _nothing_written(early)


def test_a_reason_overrides_it_and_is_kept_audited_and_shown_on_the_referral(
    coordinator, coordinator_client, organisation, early, profile
) -> None:
    match = services.match_confirm(
        actor=coordinator,
        organisation_id=organisation.pk,
        referral_id=early.pk,
        volunteer_id=profile.pk,
        eligibility_override_reason="  Perinatal mental health team asked for early support.  ",
    )
    assert match.eligibility_override_note == "not eligible until 4 Jan 2027"
    assert match.eligibility_override_reason == "Perinatal mental health team asked for early support."
    early.refresh_from_db()
    assert early.status == ReferralStatus.MATCHED
    event = AuditEvent.objects.get(object_type="matching.Match")
    assert "outside eligibility (not eligible until 4 Jan 2027): overridden" in event.summary
    assert "Perinatal" not in event.summary  # free text stays out of the audit log
    page = coordinator_client.get(reverse("referrals:referral-detail", args=[early.pk])).content.decode()
    assert "Eligibility overridden" in page
    assert "Matched on 7 Dec 2026 by" in page
    assert "although not eligible until 4 Jan 2027. Reason: Perinatal mental health team asked" in page


def test_a_reason_inside_the_eligibility_is_not_recorded(coordinator, organisation, service, area, profile) -> None:
    referral = _referral(organisation, service, area, start=TODAY, end=TODAY)
    match = services.match_confirm(
        actor=coordinator,
        organisation_id=organisation.pk,
        referral_id=referral.pk,
        volunteer_id=profile.pk,
        eligibility_override_reason="Not needed",
    )
    assert match.eligibility_override_reason == ""
    assert "overridden" not in AuditEvent.objects.get(object_type="matching.Match").summary


def test_a_batch_refuses_only_the_pairs_outside_eligibility(
    coordinator, organisation, service, area, early, profile
) -> None:
    inside = _referral(organisation, service, area)
    results = services.match_confirm_batch(
        actor=coordinator, organisation_id=organisation.pk, pairs=[(early.pk, profile.pk), (inside.pk, profile.pk)]
    )
    assert [r.ok for r in results] == [False, True]
    assert results[0].errors == ["Not eligible until 4 Jan 2027: to match now, give a reason to override."]
    assert not Match.objects.filter(referral=early).exists()


def test_the_candidates_page_says_eligible_from_and_the_confirmation_asks_for_a_reason(
    coordinator_client, early, profile
) -> None:
    url = reverse("matching:candidates", args=[early.pk])
    page = coordinator_client.get(url).content.decode()
    assert "Eligible from 4 Jan 2027" in page
    assert "Outside eligibility today: not eligible until 4 Jan 2027" in page
    asking = coordinator_client.get(reverse("matching:confirm", args=[early.pk]), {"volunteer": profile.pk})
    assert asking.status_code == 200
    assert 'name="eligibility_override_reason"' in asking.content.decode()
    _nothing_written(early)
    response = coordinator_client.post(reverse("matching:confirm", args=[early.pk]), {"volunteer": profile.pk})
    assert response.status_code == 400
    form = response.context["override_form"]
    assert form.errors["eligibility_override_reason"] == [
        "Not eligible until 4 Jan 2027: to match now, give a reason to override."
    ]
    assert "to match now, give a reason to override" in response.content.decode()
    _nothing_written(early)


def test_the_candidates_page_confirms_with_a_reason(coordinator_client, ended, profile) -> None:
    response = coordinator_client.post(
        reverse("matching:confirm", args=[ended.pk]),
        {"volunteer": profile.pk, "eligibility_override_reason": "Bereavement support agreed by the manager."},
    )
    match = Match.objects.get(referral=ended)
    assert response.status_code == 302
    assert match.eligibility_override_note == "eligibility ended on 14 Feb 2026"
    assert match.eligibility_override_reason == "Bereavement support agreed by the manager."


def test_the_candidates_page_refuses_a_too_long_reason(coordinator_client, ended, profile) -> None:
    response = coordinator_client.post(
        reverse("matching:confirm", args=[ended.pk]),
        {"volunteer": profile.pk, "eligibility_override_reason": "x" * 501},
    )
    assert response.status_code == 400
    assert "eligibility_override_reason" in response.context["override_form"].errors
    _nothing_written(ended)


def test_a_parent_inside_eligibility_gets_the_plain_match_button(
    coordinator_client, organisation, service, area, profile
) -> None:
    referral = _referral(organisation, service, area)
    page = coordinator_client.get(reverse("matching:candidates", args=[referral.pk])).content.decode()
    assert "Outside eligibility" not in page
    assert "Eligible from" not in page
    asking = coordinator_client.get(reverse("matching:confirm", args=[referral.pk]), {"volunteer": profile.pk})
    assert 'name="eligibility_override_reason"' not in asking.content.decode()


def test_the_api_refuses_with_a_field_error_and_accepts_a_reason(coordinator_client, early, profile) -> None:
    body = {"referral": early.pk, "volunteer": profile.pk}
    refused = coordinator_client.post("/api/v1/matches/", body, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["eligibility_override_reason"] == [
        "Not eligible until 4 Jan 2027: to match now, give a reason to override."
    ]
    _nothing_written(early)
    too_long = coordinator_client.post(
        "/api/v1/matches/", {**body, "eligibility_override_reason": "x" * 501}, content_type="application/json"
    )
    assert too_long.status_code == 400
    assert "eligibility_override_reason" in too_long.json()
    _nothing_written(early)
    accepted = coordinator_client.post(
        "/api/v1/matches/",
        {**body, "eligibility_override_reason": "Agreed early start"},
        content_type="application/json",
    )
    assert accepted.status_code == 201
    assert Match.objects.get(referral=early).eligibility_override_reason == "Agreed early start"


def test_the_api_batch_confirm_refuses_and_overrides(coordinator_client, ended, profile) -> None:
    pairs = [{"referral": ended.pk, "volunteer": profile.pk}]
    refused = coordinator_client.post("/api/v1/matching/proposals/confirm/", {"pairs": pairs}, "application/json")
    assert refused.status_code == 400
    assert refused.json()["failed"][0]["errors"] == [
        "Eligibility ended on 14 Feb 2026: to match now, give a reason to override."
    ]
    _nothing_written(ended)
    accepted = coordinator_client.post(
        "/api/v1/matching/proposals/confirm/",
        {"pairs": pairs, "eligibility_override_reason": "Agreed by the manager"},
        "application/json",
    )
    assert accepted.status_code == 200
    assert Match.objects.get(referral=ended).eligibility_override_note == "eligibility ended on 14 Feb 2026"


def test_proposals_leave_out_parents_outside_eligibility_and_say_why(
    coordinator_client, organisation, service, area, early, ended, profile
) -> None:
    inside = _referral(organisation, service, area)
    result = selectors.proposals_for(service)
    assert [row.referral.pk for row in result.rows] == [inside.pk]
    # In waiting-list order: the one past the end of their eligibility first.
    assert [(r.pk, why) for r, why in result.left_out] == [
        (ended.pk, "eligibility ended on 14 Feb 2026"),
        (early.pk, "not eligible until 4 Jan 2027"),
    ]
    assert result.waiting == 3
    page = coordinator_client.get(reverse("matching:proposals"), {"service": service.pk}).content.decode()
    assert "2 waiting parents left out of this proposal: outside their eligibility today." in page
    assert f"#{early.pk} {early.parent.display_name}</a>: not eligible until 4 Jan 2027" in page
    body = coordinator_client.get("/api/v1/matching/proposals/", {"service": service.pk}).json()
    assert body["left_out"] == [
        {"referral": ended.pk, "why": "eligibility ended on 14 Feb 2026"},
        {"referral": early.pk, "why": "not eligible until 4 Jan 2027"},
    ]
    assert [p["referral"] for p in body["proposals"]] == [inside.pk]


def test_a_parent_comes_into_the_proposals_on_their_start_date(organisation, service, early, profile) -> None:
    assert selectors.proposals_for(service).rows == []
    with time_machine.travel(dt.date(2027, 1, 4), tick=False):
        assert [row.referral.pk for row in selectors.proposals_for(service).rows] == [early.pk]
