"""The expenses API: a volunteer claims and reads only her own claims; staff
decide and pay in batches; bad input is a 400 with field errors and nothing
written; the receipt photo never leaves the organisation."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from operations.core.models import Role
from tests.expenses.conftest import mileage, photo
from tests.factories import VolunteerProfileFactory, member
from volunteers.expenses.models import ClaimStatus, ExpenseCategory, ExpenseClaim, PaymentBatch

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/expenses/claims/"
BATCHES = "/api/v1/expenses/batches/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_volunteer_claims_mileage_and_a_cost_with_a_photo(volunteer, log) -> None:
    made = api(volunteer).post(CLAIMS, mileage(log), format="json")
    assert made.status_code == 201, made.json()
    assert (made.json()["amount"], made.json()["status_words"]) == ("5.63", "Submitted")

    parking = ExpenseCategory.objects.get(organisation=log.organisation, name="Parking")
    body = {
        "kind": "out_of_pocket",
        "contact_log": log.pk,
        "category": parking.pk,
        "amount": "3.50",
        "receipt": photo(),
    }
    made = api(volunteer).post(CLAIMS, body, format="multipart")
    assert made.status_code == 201, made.json()
    receipt_url = made.json()["receipt_url"]
    assert receipt_url == f"{CLAIMS}{made.json()['id']}/receipt/"
    photo_response = api(volunteer).get(receipt_url)
    assert photo_response.status_code == 200
    assert photo_response["Cache-Control"] == "no-store"


def test_bad_input_is_a_400_with_field_errors_and_nothing_written(volunteer, log, strangers_log) -> None:
    answer = api(volunteer).post(CLAIMS, {"kind": "mileage", "contact_log": log.pk, "miles": "-3"}, format="json")
    assert answer.status_code == 400
    assert "miles" in answer.json()
    answer = api(volunteer).post(CLAIMS, mileage(strangers_log), format="json")
    assert answer.status_code == 400
    assert "contact_log" in answer.json()
    answer = api(volunteer).post(CLAIMS, {"kind": "taxi"}, format="json")
    assert answer.status_code == 400
    assert not ExpenseClaim.objects.exists()


def test_she_sees_only_her_own_and_staff_decide(
    organisation, volunteer, coordinator, other_coordinator, log, strangers_log
) -> None:
    mine = api(volunteer).post(CLAIMS, mileage(log), format="json").json()
    theirs = api(strangers_log.match.volunteer.user).post(CLAIMS, mileage(strangers_log), format="json").json()
    assert [c["id"] for c in api(volunteer).get(CLAIMS).json()["results"]] == [mine["id"]]
    assert {c["id"] for c in api(coordinator).get(CLAIMS).json()["results"]} == {mine["id"], theirs["id"]}
    assert api(other_coordinator).get(CLAIMS).json()["results"] == []
    assert api(volunteer).get(f"{CLAIMS}{theirs['id']}/").status_code == 404
    assert api(other_coordinator).get(f"{CLAIMS}{mine['id']}/receipt/").status_code == 404

    assert api(volunteer).post(f"{CLAIMS}{mine['id']}/approve/").status_code == 403
    assert api(other_coordinator).post(f"{CLAIMS}{mine['id']}/approve/").status_code == 404
    query = api(coordinator).post(f"{CLAIMS}{theirs['id']}/query/", {"question": ""}, format="json")
    assert query.status_code == 400
    assert "question" in query.json()
    approved = api(coordinator).post(f"{CLAIMS}{mine['id']}/approve/")
    assert approved.json()["status"] == ClaimStatus.APPROVED
    assert api(coordinator).post(f"{CLAIMS}{mine['id']}/approve/").status_code == 400
    rejected = api(coordinator).post(f"{CLAIMS}{theirs['id']}/reject/", {"reason": "Not on a visit"}, format="json")
    assert rejected.json()["decision_note"] == "Not on a visit"


def test_a_coordinator_who_volunteers_cannot_approve_her_own(organisation, coordinator, log) -> None:
    profile = VolunteerProfileFactory(organisation=organisation, user=coordinator, membership=False)
    claim = ExpenseClaim.objects.create(
        organisation=organisation,
        volunteer=profile,
        kind="mileage",
        contact_log=log,
        spent_on=log.contact_date,
        miles=2,
        pence_per_mile=45,
        amount_pence=90,
    )
    answer = api(coordinator).post(f"{CLAIMS}{claim.pk}/approve/")
    assert answer.status_code == 400
    assert "your own claim" in str(answer.json())
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_batches_are_staff_only_and_paid_once(organisation, volunteer, coordinator, log) -> None:
    claim = api(volunteer).post(CLAIMS, mileage(log), format="json").json()
    api(coordinator).post(f"{CLAIMS}{claim['id']}/approve/")
    assert api(volunteer).post(BATCHES).status_code == 403
    made = api(coordinator).post(BATCHES)
    assert made.status_code == 201
    assert made.json()["payees"][0]["claims"] == [claim["id"]]
    assert api(coordinator).post(BATCHES).status_code == 400
    paid = api(coordinator).post(f"{BATCHES}{made.json()['id']}/paid/", {}, format="json")
    assert paid.status_code == 200
    assert paid.json()["paid_on"] is not None
    again = api(coordinator).post(f"{BATCHES}{made.json()['id']}/paid/", {}, format="json")
    assert again.status_code == 400
    assert "paid_on" in again.json()
    assert PaymentBatch.objects.get().claims.get().status == ClaimStatus.PAID
    other = member(username="other-manager", organisation=organisation, role=Role.MANAGER)
    assert api(other).get(BATCHES).json()["results"][0]["total_pence"] == 563
