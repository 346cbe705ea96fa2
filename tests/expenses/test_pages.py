"""The expenses pages: the volunteer claims on her phone and sees each
claim's state; the receipt photo reaches only her and her coordinators; the
coordinator decides, batches, downloads the finance file and marks it paid;
bad input is a field error with nothing written."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from operations.core.dates import short_date
from operations.core.models import Role
from tests.expenses.conftest import cost, mileage, photo, posted
from tests.factories import ContactLogFactory, MatchFactory, VolunteerProfileFactory, member
from volunteers.expenses import services
from volunteers.expenses.models import ClaimStatus, ExpenseCategory, ExpenseClaim, PayeeReference

pytestmark = pytest.mark.django_db


@pytest.fixture
def parking(organisation):
    return ExpenseCategory.objects.get(organisation=organisation, name="Parking")


def test_she_claims_mileage_and_a_cost_with_a_photo_and_sees_them(volunteer_client, log, parking) -> None:
    page = volunteer_client.get(reverse("expenses:claim-new"))
    assert page.status_code == 200
    assert "Paid at 45p a mile." in page.text

    sent = volunteer_client.post(reverse("expenses:claim-new"), posted(mileage(log)))
    assert sent.status_code == 302
    sent = volunteer_client.post(reverse("expenses:claim-new"), posted(cost(log, parking)) | {"receipt": photo()})
    assert sent.status_code == 302

    mine = volunteer_client.get(reverse("expenses:mine"))
    assert "£5.63" in mine.text
    assert "12.5 miles (Hawick to Denholm)" in mine.text
    assert "£4.20" in mine.text
    assert "Parking" in mine.text
    assert mine.text.count(">Submitted<") == 2
    assert "out_of_pocket" not in mine.text


def test_a_bad_receipt_is_a_field_error_and_nothing_is_written(volunteer_client, log, parking) -> None:
    not_a_photo = SimpleUploadedFile("receipt.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    page = volunteer_client.post(reverse("expenses:claim-new"), posted(cost(log, parking)) | {"receipt": not_a_photo})
    assert page.status_code == 400
    assert "Send a photo of the receipt (JPEG, PNG or WebP)." in page.text
    page = volunteer_client.post(reverse("expenses:claim-new"), {"kind": "mileage", "for_what": "abc"})
    assert page.status_code == 400
    assert not ExpenseClaim.objects.exists()


def test_the_receipt_photo_reaches_only_the_claimant_and_her_staff(
    organisation, volunteer, volunteer_client, coordinator_client, other_coordinator_client, log, parking
) -> None:
    claim = services.claim_submit(actor=volunteer, data=cost(log, parking), upload=photo(), upload_size=1)
    url = reverse("expenses:claim-receipt", args=[claim.pk])
    for client in (volunteer_client, coordinator_client):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "no-store"
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    another = member(username="another-volunteer", organisation=organisation, role=Role.VOLUNTEER)
    VolunteerProfileFactory(organisation=organisation, user=another, membership=False)
    stranger = Client()
    stranger.force_login(another)
    assert stranger.get(url).status_code == 404
    assert other_coordinator_client.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to sign in


def test_the_coordinator_approves_batches_downloads_and_marks_paid(volunteer, coordinator_client, log, parking) -> None:
    PayeeReference.objects.create(organisation=log.organisation, volunteer=log.match.volunteer, reference="=SUP-0042")
    first = services.claim_submit(actor=volunteer, data=mileage(log))
    second = services.claim_submit(actor=volunteer, data=cost(log, parking), upload=photo(), upload_size=1)
    worklist = coordinator_client.get(reverse("expenses:list"))
    assert f"#{first.pk}" in worklist.text
    assert "£5.63" in worklist.text

    for claim in (first, second):
        assert coordinator_client.post(reverse("expenses:claim-approve", args=[claim.pk])).status_code == 302
    batch_page = coordinator_client.post(reverse("expenses:batch-new"), follow=True)
    assert "2 claims, £9.83" in batch_page.text
    batch = first.__class__.objects.get(pk=first.pk).batch

    download = coordinator_client.get(reverse("expenses:batch-csv", args=[batch.pk]))
    assert download["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    name = volunteer.get_full_name()
    visit = f"Home visit, {short_date(log.contact_date)}"
    assert rows == [
        ["Name", "Payee reference", "Claims", "Total (GBP)", "Claim numbers", "For"],
        [name, "'=SUP-0042", "2", "9.83", f"{first.pk}; {second.pk}", f"#{first.pk} {visit}; #{second.pk} {visit}"],
        ["Total", "", "2", "9.83", "", ""],
    ]

    paid = coordinator_client.post(reverse("expenses:batch-paid", args=[batch.pk]), {"paid_on": "2020-01-01"})
    assert paid.status_code == 400
    assert "before the batch was made" in paid.text
    today = batch.created_at.date().isoformat()
    assert (
        coordinator_client.post(reverse("expenses:batch-paid", args=[batch.pk]), {"paid_on": today}).status_code == 302
    )
    assert set(ExpenseClaim.objects.values_list("status", flat=True)) == {ClaimStatus.PAID}
    again = coordinator_client.post(reverse("expenses:batch-paid", args=[batch.pk]), {"paid_on": today})
    assert again.status_code == 400
    assert "already marked paid" in again.text


def test_a_query_without_a_question_comes_back_with_the_error(volunteer, coordinator_client, log) -> None:
    claim = services.claim_submit(actor=volunteer, data=mileage(log))
    page = coordinator_client.post(reverse("expenses:claim-query", args=[claim.pk]), {"text": ""})
    assert page.status_code == 400
    assert "Write the question the volunteer should answer." in page.text
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_the_queried_volunteer_reads_the_question_and_sends_again(
    volunteer, volunteer_client, coordinator, log
) -> None:
    claim = services.claim_submit(actor=volunteer, data=mileage(log))
    services.claim_query(actor=coordinator, claim=claim, question="Which route did you take?")
    detail = volunteer_client.get(reverse("expenses:claim-detail", args=[claim.pk]))
    assert "Which route did you take?" in detail.text
    assert "Answer and send again" in detail.text
    edit = volunteer_client.post(reverse("expenses:claim-edit", args=[claim.pk]), posted(mileage(log, miles="11")))
    assert edit.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.amount_pence) == (ClaimStatus.SUBMITTED, 495)


def test_the_manager_sets_the_rate_and_categories(manager_client, coordinator_client, organisation) -> None:
    assert coordinator_client.get(reverse("expenses:settings")).status_code == 403
    data = {"pence_per_mile": "40", "receipt_needed_above": "10", "categories": "Parking\nTaxi"}
    assert manager_client.post(reverse("expenses:settings"), data).status_code == 302
    config = services.settings_for(organisation.pk)
    assert (config.pence_per_mile, config.receipt_needed_above_pence) == (40, 1000)
    active = ExpenseCategory.objects.filter(organisation=organisation, is_active=True)
    assert sorted(active.values_list("name", flat=True)) == ["Parking", "Taxi"]
    bad = manager_client.post(reverse("expenses:settings"), {**data, "pence_per_mile": "0"})
    assert bad.status_code == 400


def _claims(organisation, count: int) -> None:
    for _ in range(count):
        log = ContactLogFactory(match=MatchFactory(referral__organisation=organisation))
        claim = services.claim_submit(actor=log.match.volunteer.user, data=mileage(log))
        assert claim.pk


def test_the_worklist_reads_a_fixed_number_of_queries(organisation, coordinator_client) -> None:
    _claims(organisation, 2)
    with CaptureQueriesContext(connection) as few:
        assert coordinator_client.get(reverse("expenses:list")).status_code == 200
    _claims(organisation, 6)
    with CaptureQueriesContext(connection) as more:
        assert coordinator_client.get(reverse("expenses:list")).status_code == 200
    assert len(more) == len(few)


def test_the_audit_log_names_claims_in_words(volunteer, coordinator, manager_client, log) -> None:
    claim = services.claim_submit(actor=volunteer, data=mileage(log))
    services.claim_approve(actor=coordinator, claim=claim)
    page = manager_client.get(reverse("audit-log"))
    assert f"Expense claim of {volunteer} for £5.63" in page.text
    assert reverse("expenses:claim-detail", args=[claim.pk]) in page.text
    assert ">expenses.ExpenseClaim" not in page.text
