"""Transferring a family to another organisation (issue 24): proposed by the
sending coordinator with the parent's consent, accepted or declined by the
receiving organisation's coordinators; nothing identifying crosses before
acceptance."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from operations.core.audit import AuditEvent
from operations.core.models import Role
from operations.notifications.models import Channel, Notification
from referrals import gdpr as referrals_gdpr
from referrals import services, transfers
from referrals.models import Child, Parent, Referral, ReferralTransition, Transfer, TransferStatus
from referrals.workflow import Status, transition_error
from tests.factories import (
    ChildFactory,
    MatchFactory,
    ParentFactory,
    ReferralFactory,
    TransferFactory,
    council_area,
    member,
)
from volunteers.matching.models import EndingType, MatchStatus

NAME, PHONE, STREET = "Morwenna", "07700 900123", "12 Quayside Lane"
SUMMARY = "Morwenna is anxious about the move and prefers mornings."


@pytest.fixture
def family_referral(organisation, service) -> Referral:
    """An open referral of a fictional mother with a baby born 4 months ago."""
    parent = ParentFactory(
        organisation=organisation,
        first_name=NAME,
        last_name="Testcase",
        phone=PHONE,
        address_line_1=STREET,
        council_area=council_area("S12000026"),
        safe_sms=True,
        contact_safety_recorded_at=timezone.now(),
        needs_agreed=True,
        substance_use=True,
    )
    ChildFactory(parent=parent, due_date=None, birth_date=timezone.localdate() - timedelta(days=125))
    referral = ReferralFactory(organisation=organisation, parent=parent, service=service, status=Status.WAITING)
    services.parent_recompute_eligibility(parent=parent)
    referral.refresh_from_db()
    return referral


def propose(coordinator, referral, receiving, **overrides) -> Transfer:
    data = {
        "receiving_organisation": receiving,
        "reason": "Moving to Glasgow in January",
        "consent": True,
        "summary_note": SUMMARY,
    }
    return transfers.transfer_propose(actor=coordinator, referral=referral, **{**data, **overrides})


def counts() -> tuple[int, ...]:
    return (
        Transfer.objects.count(),
        Parent.objects.count(),
        Referral.objects.count(),
        ReferralTransition.objects.count(),
        AuditEvent.objects.filter(object_type="referrals.Transfer").count(),
    )


# --- accepted ---------------------------------------------------------------------


def test_accepted_family_is_a_new_record_in_the_receiving_triage_with_its_own_eligibility(
    coordinator, other_coordinator, family_referral, other_organisation, other_service
) -> None:
    transfer = propose(coordinator, family_referral, other_organisation)
    transfer = transfers.transfer_accept(actor=other_coordinator, transfer=transfer, service=other_service)

    assert transfer.status == TransferStatus.ACCEPTED
    new = transfer.new_referral
    assert new.organisation == other_organisation
    assert new.service == other_service
    assert new.status == Status.RECEIVED
    assert new.received_on == timezone.localdate()
    assert new.parent_id != family_referral.parent_id
    assert (new.parent.first_name, new.parent.phone, new.parent.address_line_1) == (NAME, PHONE, STREET)
    assert new.parent.organisation == other_organisation
    assert new.parent.safe_sms
    # The needs were not ticked to pass on.
    assert not new.parent.needs_agreed
    assert not new.parent.substance_use
    birth = family_referral.parent.children.get().birth_date
    assert list(Child.objects.filter(parent=new.parent).values_list("birth_date", flat=True)) == [birth]
    # The receiving service's own policy (24 months), not the sender's (12).
    assert family_referral.eligibility_end.year == birth.year + 1
    assert new.eligibility_end.year == birth.year + 2

    family_referral.refresh_from_db()
    assert family_referral.status == Status.TRANSFERRED
    last = family_referral.transitions.last()
    assert last.to_status == Status.TRANSFERRED
    assert "Other Charity" in last.reason
    # The sending side keeps its own record.
    assert Parent.objects.get(pk=family_referral.parent_id).first_name == NAME

    # Audited on both sides, with no personal data in the summaries.
    events = AuditEvent.objects.filter(object_type="referrals.Transfer", object_id=str(transfer.pk))
    assert {e.organisation_id for e in events} == {family_referral.organisation_id, other_organisation.pk}
    assert not any(NAME in e.summary or PHONE in e.summary or STREET in e.summary for e in AuditEvent.objects.all())

    # The receiving coordinators were told of the proposal, the proposer of the answer.
    told = Notification.objects.filter(channel=Channel.IN_APP)
    assert told.filter(kind="transfer_proposed", recipient_user=other_coordinator).exists()
    assert told.filter(kind="transfer_accepted", recipient_user=coordinator).exists()
    assert not any(NAME in n.body or NAME in n.subject for n in Notification.objects.all())


def test_needs_pass_on_only_when_ticked(
    coordinator, other_coordinator, family_referral, other_organisation, other_service
):
    transfer = propose(coordinator, family_referral, other_organisation, include_needs=True)
    transfer = transfers.transfer_accept(actor=other_coordinator, transfer=transfer, service=other_service)
    assert transfer.new_referral.parent.needs_agreed
    assert transfer.new_referral.parent.substance_use


def test_accepting_ends_open_matches_as_planned_and_tells_the_volunteer(
    coordinator, other_coordinator, organisation, service, other_organisation, other_service
) -> None:
    match = MatchFactory(referral__organisation=organisation, referral__service=service)
    match.parent.contact_safety_recorded_at = timezone.now()
    match.parent.save()
    transfer = propose(coordinator, match.referral, other_organisation)
    transfers.transfer_accept(actor=other_coordinator, transfer=transfer, service=other_service)
    match.refresh_from_db()
    match.referral.refresh_from_db()
    assert match.status == MatchStatus.ENDED
    assert match.ending_type == EndingType.PLANNED
    assert match.referral.status == Status.TRANSFERRED
    assert Notification.objects.filter(kind="match_ended_transfer", recipient_user=match.volunteer.user).exists()


def test_accepting_through_the_pages(
    coordinator_client, other_coordinator_client, family_referral, other_organisation, other_service
) -> None:
    page = coordinator_client.get(reverse("referrals:referral-detail", args=[family_referral.pk]))
    assert "Transfer to another organisation" in page.content.decode()
    answer = coordinator_client.post(
        reverse("referrals:transfer-propose", args=[family_referral.pk]),
        {"receiving_organisation": other_organisation.pk, "reason": "Moving to Glasgow", "consent": "on"},
    )
    transfer = Transfer.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("referrals:transfer-detail", args=[transfer.pk])
    answer = other_coordinator_client.post(
        reverse("referrals:transfer-accept", args=[transfer.pk]), {"service": other_service.pk}
    )
    transfer.refresh_from_db()
    assert answer["Location"] == reverse("referrals:referral-detail", args=[transfer.new_referral_id])
    page = other_coordinator_client.get(answer["Location"]).content.decode()
    assert NAME in page
    assert "Came from Tweed Valley Test" in page


# --- declined and withdrawn ------------------------------------------------------------


def test_declined_tells_the_sender_why_and_the_referral_stays_open(
    coordinator, coordinator_client, other_coordinator_client, family_referral, other_organisation
) -> None:
    transfer = propose(coordinator, family_referral, other_organisation)
    answer = other_coordinator_client.post(
        reverse("referrals:transfer-decline", args=[transfer.pk]), {"reason": "No volunteers in that area until spring"}
    )
    assert answer.status_code == 302
    transfer.refresh_from_db()
    family_referral.refresh_from_db()
    assert transfer.status == TransferStatus.DECLINED
    assert transfer.new_referral is None
    assert family_referral.status == Status.WAITING
    assert Notification.objects.filter(kind="transfer_declined", recipient_user=coordinator).exists()
    page = coordinator_client.get(reverse("referrals:transfer-detail", args=[transfer.pk])).content.decode()
    assert "No volunteers in that area until spring" in page
    # Declined, it may be proposed again (elsewhere or later).
    assert propose(coordinator, family_referral, other_organisation).is_pending


def test_decline_without_a_reason_is_a_field_error_and_changes_nothing(
    coordinator, other_coordinator_client, family_referral, other_organisation
) -> None:
    transfer = propose(coordinator, family_referral, other_organisation)
    answer = other_coordinator_client.post(reverse("referrals:transfer-decline", args=[transfer.pk]), {"reason": " "})
    assert answer.status_code == 400
    assert "Say why" in answer.content.decode()
    transfer.refresh_from_db()
    assert transfer.is_pending


def test_withdrawn_by_the_sender(coordinator, coordinator_client, family_referral, other_organisation) -> None:
    transfer = propose(coordinator, family_referral, other_organisation)
    coordinator_client.post(reverse("referrals:transfer-withdraw", args=[transfer.pk]))
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.WITHDRAWN


# --- nothing identifying before acceptance -----------------------------------------------


def test_the_receiving_side_sees_no_name_phone_address_or_summary_before_accepting(
    coordinator, other_coordinator_client, family_referral, other_organisation
) -> None:
    transfer = propose(coordinator, family_referral, other_organisation)
    for url in (reverse("referrals:transfer-detail", args=[transfer.pk]), reverse("referrals:transfer-list")):
        body = other_coordinator_client.get(url).content.decode()
        for secret in (NAME, "Testcase", PHONE, STREET, "TD1 1AA", SUMMARY):
            assert secret not in body, (url, secret)
        assert "baby 4 months" in body
        assert "Scottish Borders" in body
    # The referral and the parent themselves stay out of reach, on the pages and the API.
    assert (
        other_coordinator_client.get(reverse("referrals:referral-detail", args=[family_referral.pk])).status_code == 404
    )
    api = other_coordinator_client.get(f"/api/v1/referrals/{family_referral.pk}/")
    assert api.status_code == 404
    assert NAME not in api.content.decode()
    api = other_coordinator_client.get(f"/api/v1/transfers/{transfer.pk}/")
    assert api.status_code == 200
    for secret in (NAME, PHONE, STREET, SUMMARY):
        assert secret not in api.content.decode()


def test_after_accepting_the_receiving_side_reads_the_summary(
    coordinator, other_coordinator, other_coordinator_client, family_referral, other_organisation, other_service
) -> None:
    transfer = propose(coordinator, family_referral, other_organisation, safeguarding_note="Keep visits at the centre.")
    transfers.transfer_accept(actor=other_coordinator, transfer=transfer, service=other_service)
    body = other_coordinator_client.get(reverse("referrals:transfer-detail", args=[transfer.pk])).content.decode()
    assert "prefers mornings" in body
    assert "Keep visits at the centre." in body


# --- refusals, with nothing written -----------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent": False}, "consent"),
        ({"reason": ""}, "reason"),
        ({"receiving_organisation": None}, "receiving_organisation"),
    ],
)
def test_proposal_refusals(coordinator, family_referral, other_organisation, overrides, field) -> None:
    before = counts()
    with pytest.raises(ValidationError) as refused:
        propose(coordinator, family_referral, other_organisation, **overrides)
    assert field in refused.value.message_dict
    assert counts() == before


def test_same_organisation_is_refused(coordinator, family_referral, organisation) -> None:
    before = counts()
    with pytest.raises(ValidationError) as refused:
        propose(coordinator, family_referral, organisation)
    assert "receiving_organisation" in refused.value.message_dict
    assert counts() == before


def test_a_closed_referral_is_refused(coordinator, family_referral, other_organisation) -> None:
    services.referral_transition(
        actor=coordinator, referral=family_referral, to_status=Status.WITHDRAWN, reason="Asked to stop"
    )
    before = counts()
    with pytest.raises(ValidationError) as refused:
        propose(coordinator, family_referral, other_organisation)
    assert "only an open referral" in str(refused.value.message_dict["referral"])
    assert counts() == before


def test_a_second_pending_transfer_is_refused(coordinator, family_referral, other_organisation) -> None:
    propose(coordinator, family_referral, other_organisation)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        propose(coordinator, family_referral, other_organisation)
    assert "already waiting" in str(refused.value.message_dict["referral"])
    assert counts() == before


def test_a_restricted_record_is_refused(coordinator, family_referral, other_organisation) -> None:
    services.parent_restrict(
        actor=coordinator, parent=family_referral.parent, requested_on=timezone.localdate(), reason="Contests it"
    )
    before = counts()
    with pytest.raises(ValidationError):
        propose(coordinator, family_referral, other_organisation)
    assert counts() == before


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.PSO])
def test_volunteers_and_psos_cannot_propose(organisation, family_referral, other_organisation, role, client) -> None:
    user = member(username=f"someone-{role}", organisation=organisation, role=role)
    before = counts()
    with pytest.raises(PermissionDenied):
        propose(user, family_referral, other_organisation)
    client.force_login(user)
    answer = client.post(
        reverse("referrals:transfer-propose", args=[family_referral.pk]),
        {"receiving_organisation": other_organisation.pk, "reason": "x", "consent": "on"},
    )
    assert answer.status_code == 403
    assert counts() == before


def test_the_sender_cannot_accept_its_own_proposal(
    coordinator, coordinator_client, family_referral, other_organisation, service
) -> None:
    transfer = propose(coordinator, family_referral, other_organisation)
    before = counts()
    with pytest.raises(PermissionDenied):
        transfers.transfer_accept(actor=coordinator, transfer=transfer, service=service)
    answer = coordinator_client.post(reverse("referrals:transfer-accept", args=[transfer.pk]), {"service": service.pk})
    assert answer.status_code == 403
    assert counts() == before


def test_accepting_without_a_service_or_twice_is_refused(
    coordinator, other_coordinator, other_coordinator_client, family_referral, other_organisation, other_service
) -> None:
    transfer = propose(coordinator, family_referral, other_organisation)
    before = counts()
    answer = other_coordinator_client.post(reverse("referrals:transfer-accept", args=[transfer.pk]), {"service": ""})
    assert answer.status_code == 400
    assert "Choose the service" in answer.content.decode()
    assert counts() == before
    transfers.transfer_accept(actor=other_coordinator, transfer=transfer, service=other_service)
    after = counts()
    with pytest.raises(ValidationError) as refused:
        transfers.transfer_accept(actor=other_coordinator, transfer=transfer, service=other_service)
    assert "already been answered" in str(refused.value)
    assert counts() == after


def test_a_bare_move_to_transferred_is_refused(coordinator, family_referral) -> None:
    assert "to_status" in transition_error(Status.WAITING, Status.TRANSFERRED, "moving")
    with pytest.raises(ValidationError):
        services.referral_transition(
            actor=coordinator, referral=family_referral, to_status=Status.TRANSFERRED, reason="x"
        )
    family_referral.refresh_from_db()
    assert family_referral.status == Status.WAITING


# --- stage words (pure) ---------------------------------------------------------------------


def test_stage_words() -> None:
    today = timezone.localdate().replace(day=15)
    assert transfers.stage_words([(today.replace(year=today.year + 1, month=3), None, None)], today) == (
        f"due in March {today.year + 1}"
    )
    assert transfers.stage_words([(None, today - timedelta(days=125), None)], today) == "baby 4 months"
    assert transfers.stage_words([(None, today - timedelta(days=800), None)], today) == "child 2 years"
    assert transfers.stage_words([], today) == "No pregnancy or child recorded"


# --- data-subject rights ------------------------------------------------------------------


def test_subject_access_and_erasure_cover_the_transfer(coordinator, family_referral, other_organisation) -> None:
    transfer = propose(coordinator, family_referral, other_organisation, safeguarding_note="A note")
    sections = {s.source: s for s in referrals_gdpr.subject_access(family_referral.parent)}
    assert sections["referrals.Transfer"].rows
    referrals_gdpr.erase(family_referral.parent)
    transfer.refresh_from_db()
    assert (transfer.summary_note, transfer.safeguarding_note, transfer.stage) == ("", "", "")


# --- the worklist's query count ---------------------------------------------------------


def test_worklist_queries_do_not_grow_with_rows(coordinator_client, organisation, other_organisation) -> None:
    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert coordinator_client.get(reverse("referrals:transfer-list")).status_code == 200
        return len(queries)

    TransferFactory(referral__organisation=organisation, receiving_organisation=other_organisation)
    TransferFactory(referral__organisation=other_organisation, receiving_organisation=organisation)
    few = measure()
    for _ in range(4):
        TransferFactory(referral__organisation=organisation, receiving_organisation=other_organisation)
        TransferFactory(referral__organisation=other_organisation, receiving_organisation=organisation)
    assert measure() == few


# --- concurrency (PostgreSQL) -------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_accepting_twice_at_once_makes_one_parent(organisation, other_organisation, service, other_service) -> None:
    sender = member(username="sender", organisation=organisation, role=Role.COORDINATOR)
    receivers = [
        member(username=f"receiver{i}", organisation=other_organisation, role=Role.COORDINATOR) for i in range(2)
    ]
    parent = ParentFactory(organisation=organisation, contact_safety_recorded_at=timezone.now())
    ChildFactory(parent=parent)
    referral = ReferralFactory(organisation=organisation, parent=parent, service=service)
    transfer = propose(sender, referral, other_organisation)
    parents_before = Parent.objects.count()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(user) -> None:
        try:
            barrier.wait()
            transfers.transfer_accept(actor=user, transfer=Transfer.objects.get(pk=transfer.pk), service=other_service)
            outcomes.append("accepted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(user,)) for user in receivers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "refused"]
    assert Parent.objects.count() == parents_before + 1
    assert Referral.objects.filter(organisation=other_organisation).count() == 1


# --- the API -----------------------------------------------------------------------------------


def test_the_api_proposes_and_accepts_with_field_errors_on_bad_input(
    coordinator_client, other_coordinator_client, family_referral, other_organisation, other_service
) -> None:
    body = {"referral": family_referral.pk, "receiving_organisation": other_organisation.pk, "reason": "Moving"}
    before = counts()
    refused = coordinator_client.post("/api/v1/transfers/", {**body, "consent": False}, content_type="application/json")
    assert refused.status_code == 400
    assert "consent" in refused.json()
    assert counts() == before

    made = coordinator_client.post("/api/v1/transfers/", {**body, "consent": True}, content_type="application/json")
    assert made.status_code == 201
    transfer_id = made.json()["id"]
    url = f"/api/v1/transfers/{transfer_id}/accept/"
    refused = other_coordinator_client.post(url, {"service": "x"}, content_type="application/json")
    assert refused.status_code == 400
    assert "service" in refused.json()
    accepted = other_coordinator_client.post(url, {"service": other_service.pk}, content_type="application/json")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["new_referral"] == Transfer.objects.get().new_referral_id
    assert accepted.json()["referral"] is None


def test_the_sending_side_keeps_its_history_until_its_own_retention_erases_it(
    coordinator, other_coordinator, family_referral, other_organisation, other_service
) -> None:
    from referrals.retention import closed_cases_due, erase_closed_cases

    transfer = propose(coordinator, family_referral, other_organisation)
    transfer = transfers.transfer_accept(actor=other_coordinator, transfer=transfer, service=other_service)
    sending_parent = family_referral.parent
    # Closed as transferred: a closed case of the sending organisation, due once its period has passed.
    assert sending_parent not in closed_cases_due(family_referral.organisation_id, timezone.now() - timedelta(days=1))
    due = closed_cases_due(family_referral.organisation_id, timezone.now() + timedelta(days=1))
    assert list(due) == [sending_parent]
    erase_closed_cases(due)
    transfer.refresh_from_db()
    assert transfer.reason == "Erased"
    assert Parent.objects.get(pk=sending_parent.pk).first_name == "Erased"
    # The receiving organisation's own record, and the summary passed on to it, stay
    # until its own erasure.
    assert Parent.objects.get(pk=transfer.new_referral.parent_id).first_name == NAME
    assert transfer.summary_note == SUMMARY
    referrals_gdpr.erase(transfer.new_referral.parent)
    transfer.refresh_from_db()
    assert transfer.summary_note == ""
