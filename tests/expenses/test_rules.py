"""The rules of volunteer expenses, in their services: a claim made against
her own contact only, mileage at the rate of the day, receipts checked by
content and size, each decision and who may take it, batches made and paid
once, the volunteer told; each refusal writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from operations.core.audit import AuditEvent
from operations.core.models import Membership, Role
from operations.notifications.models import Notification
from tests.expenses.conftest import cost, mileage, photo, photo_bytes
from tests.factories import VolunteerProfileFactory
from volunteers.expenses import services
from volunteers.expenses.models import ClaimStatus, ExpenseCategory, ExpenseClaim, PaymentBatch

pytestmark = pytest.mark.django_db


def submit(actor, data, upload=None):
    return services.claim_submit(
        actor=actor, data=data, upload=upload, upload_size=upload.size if upload is not None else None
    )


@pytest.fixture
def parking(organisation):
    return ExpenseCategory.objects.get(organisation=organisation, name="Parking")


def test_a_new_organisation_gets_the_default_rate_and_categories(organisation) -> None:
    config = services.settings_for(organisation.pk)
    assert config.pence_per_mile == 45
    assert config.receipt_needed_above_pence == 0
    assert list(ExpenseCategory.objects.filter(organisation=organisation).values_list("name", flat=True)) == [
        "Bus or train fare",
        "Parking",
        "Childcare",
        "Refreshments with the family",
        "Other",
    ]


def test_mileage_is_the_miles_at_the_rate_of_the_day_and_keeps_it(organisation, volunteer, log, manager) -> None:
    claim = submit(volunteer, mileage(log))
    assert claim.amount_pence == 563  # 12.5 miles at 45p, to the nearest penny
    assert claim.amount_words == "£5.63"
    assert claim.what_words == "12.5 miles (Hawick to Denholm)"
    assert claim.service_id == log.match.referral.service_id
    assert claim.spent_on == log.contact_date
    assert claim.status == ClaimStatus.SUBMITTED

    services.expense_settings_save(
        actor=manager,
        config=services.settings_for(organisation.pk),
        pence_per_mile=50,
        receipt_needed_above_pence=0,
        categories=["Parking"],
    )
    claim.refresh_from_db()
    assert (claim.pence_per_mile, claim.amount_pence) == (45, 563)
    assert submit(volunteer, mileage(log, miles="10")).amount_pence == 500


def test_a_cost_needs_its_receipt_photo_unless_the_organisation_says_otherwise(
    organisation, volunteer, log, parking, manager, receipts_folder
) -> None:
    with pytest.raises(ValidationError) as refused:
        submit(volunteer, cost(log, parking))
    assert "photo of the receipt" in str(refused.value.message_dict["receipt"])
    assert not ExpenseClaim.objects.exists()

    claim = submit(volunteer, cost(log, parking), upload=photo())
    assert (claim.amount_pence, claim.receipt_content_type) == (420, "image/jpeg")
    assert (receipts_folder / claim.receipt_file).read_bytes()[:2] == b"\xff\xd8"

    config = services.settings_for(organisation.pk)
    services.expense_settings_save(
        actor=manager, config=config, pence_per_mile=45, receipt_needed_above_pence=500, categories=["Parking"]
    )
    assert submit(volunteer, cost(log, parking)).receipt_file == ""
    with pytest.raises(ValidationError, match="over £5.00"):
        submit(volunteer, cost(log, parking, amount="5.01"))


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (SimpleUploadedFile("receipt.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg"), "JPEG, PNG or WebP"),
        (SimpleUploadedFile("receipt.gif", photo_bytes("GIF"), content_type="image/gif"), "JPEG, PNG or WebP"),
        (SimpleUploadedFile("receipt.png", photo_bytes("JPEG")[:200], content_type="image/png"), "JPEG, PNG or WebP"),
    ],
    ids=["pdf-named-jpg", "gif", "truncated"],
)
def test_a_receipt_that_is_not_a_photo_is_refused_and_nothing_is_kept(
    volunteer, log, parking, receipts_folder, upload, words
) -> None:
    with pytest.raises(ValidationError) as refused:
        submit(volunteer, cost(log, parking), upload=upload)
    assert words in str(refused.value.message_dict["receipt"])
    assert not ExpenseClaim.objects.exists()
    assert not receipts_folder.exists() or not any(receipts_folder.iterdir())


@pytest.mark.parametrize(("fmt", "content_type"), [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_png_and_webp_photos_are_taken_by_their_content(volunteer, log, parking, fmt, content_type) -> None:
    # Named .jpg: the name says nothing, the content decides.
    upload = SimpleUploadedFile("IMG_0001.jpg", photo_bytes(fmt), content_type="application/octet-stream")
    assert submit(volunteer, cost(log, parking), upload=upload).receipt_content_type == content_type


def test_an_oversized_receipt_is_refused(settings, volunteer, log, parking, receipts_folder) -> None:
    settings.EXPENSE_RECEIPT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.png", photo_bytes("PNG", size=(1200, 1200)), content_type="image/png")
    # Noise would be larger; a plain PNG this size is small, so say it is large as the upload handler would.
    with pytest.raises(ValidationError, match="too large: at most 1 MB"):
        services.claim_submit(actor=volunteer, data=cost(log, parking), upload=big, upload_size=2 * 1024 * 1024)
    assert not ExpenseClaim.objects.exists()


def test_claiming_against_someone_elses_contact_is_refused(
    profile, volunteer, strangers_log, other_coordinator
) -> None:
    with pytest.raises(ValidationError) as refused:
        submit(volunteer, mileage(strangers_log))
    assert "your own contacts" in str(refused.value.message_dict["contact_log"])
    with pytest.raises(ValidationError):
        submit(other_coordinator, mileage(strangers_log))
    assert not ExpenseClaim.objects.exists()
    assert not AuditEvent.objects.filter(summary__startswith="Expense claim").exists()


def test_bad_amounts_and_dates_are_field_errors(volunteer, log, parking) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        submit(volunteer, cost(log, parking, amount="0", spent_on=tomorrow), upload=photo())
    assert set(refused.value.message_dict) == {"amount", "spent_on"}
    with pytest.raises(ValidationError) as refused:
        submit(volunteer, mileage(log, miles="1500"))
    assert set(refused.value.message_dict) == {"miles"}
    assert not ExpenseClaim.objects.exists()


def test_approve_query_answer_and_reject_each_tell_the_volunteer(volunteer, coordinator, log) -> None:
    claim = submit(volunteer, mileage(log))
    queried = services.claim_query(actor=coordinator, claim=claim, question="Was the visit at her mum's?")
    assert (queried.status, queried.decision_note) == (ClaimStatus.QUERIED, "Was the visit at her mum's?")

    again = services.claim_resubmit(actor=volunteer, claim=queried, data=mileage(log, miles="14", note="Yes, Denholm"))
    assert (again.status, again.amount_pence) == (ClaimStatus.SUBMITTED, 630)

    approved = services.claim_approve(actor=coordinator, claim=again)
    assert approved.status == ClaimStatus.APPROVED
    with pytest.raises(ValidationError, match="already approved"):
        services.claim_reject(actor=coordinator, claim=approved, reason="Too late")

    other = submit(volunteer, mileage(log, miles="3"))
    services.claim_reject(actor=coordinator, claim=other, reason="Walked, not driven")

    told = Notification.objects.filter(recipient_user=volunteer).order_by("pk")
    assert [n.kind for n in told] == ["expense_queried", "expense_approved", "expense_rejected"]
    assert all(volunteer.first_name not in n.body and str(log.match.parent.first_name) not in n.body for n in told)
    assert AuditEvent.objects.filter(summary=f"Expense claim #{claim.pk} approved: £6.30").exists()


def test_a_query_and_a_rejection_need_their_words(volunteer, coordinator, log) -> None:
    claim = submit(volunteer, mileage(log))
    with pytest.raises(ValidationError) as refused:
        services.claim_query(actor=coordinator, claim=claim, question="  ")
    assert "question" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.claim_reject(actor=coordinator, claim=claim, reason="")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert not Notification.objects.exists()


def test_nobody_approves_their_own_claim_and_volunteers_approve_none(
    organisation, coordinator, volunteer, pso, log, other_coordinator
) -> None:
    # A coordinator who also befriends a family claims like any volunteer…
    profile = VolunteerProfileFactory(organisation=organisation, user=coordinator, membership=False)
    own_log = type(log).objects.create(
        organisation=organisation,
        match=type(log.match).objects.create(
            organisation=organisation,
            referral=log.match.referral,
            parent=log.match.parent,
            volunteer=profile,
            role="pso_support",
            status="active",
        ),
        contact_date=timezone.localdate(),
        duration_minutes=30,
        mode="phone",
    )
    own = submit(coordinator, mileage(own_log))
    # …and cannot approve it.
    with pytest.raises(ValidationError, match="cannot decide your own claim"):
        services.claim_approve(actor=coordinator, claim=own)
    theirs = submit(volunteer, mileage(log))
    for someone in (volunteer, pso, other_coordinator):
        with pytest.raises(ValidationError):
            services.claim_approve(actor=someone, claim=theirs)
    assert set(ExpenseClaim.objects.values_list("status", flat=True)) == {ClaimStatus.SUBMITTED}
    assert Membership.objects.get(user=coordinator).role == Role.COORDINATOR


def test_a_batch_takes_every_approved_claim_once_and_is_paid_once(
    organisation, volunteer, coordinator, manager, log
) -> None:
    first, second, waiting = (submit(volunteer, mileage(log, miles=miles)) for miles in ("10", "2", "1"))
    with pytest.raises(ValidationError, match="no approved claims"):
        services.batch_create(actor=coordinator)
    for claim in (first, second):
        services.claim_approve(actor=coordinator, claim=claim)

    batch = services.batch_create(actor=coordinator)
    assert (batch.claim_count, batch.total_pence) == (2, 540)
    assert set(batch.claims.values_list("pk", flat=True)) == {first.pk, second.pk}
    with pytest.raises(ValidationError, match="no approved claims"):
        services.batch_create(actor=manager)
    with pytest.raises(ValidationError):
        services.batch_create(actor=volunteer)
    assert PaymentBatch.objects.count() == 1

    paid = services.batch_mark_paid(actor=manager, batch=batch)
    assert paid.paid_on == timezone.localdate()
    assert set(ExpenseClaim.objects.filter(batch=batch).values_list("status", flat=True)) == {ClaimStatus.PAID}
    waiting.refresh_from_db()
    assert waiting.status == ClaimStatus.SUBMITTED

    with pytest.raises(ValidationError, match="already marked paid"):
        services.batch_mark_paid(actor=coordinator, batch=batch, paid_on=timezone.localdate())
    assert AuditEvent.objects.filter(summary__startswith=f"Payment batch #{batch.pk} marked paid").count() == 1
    assert Notification.objects.filter(recipient_user=volunteer, kind="expense_paid").count() == 2


def test_a_paid_claim_can_no_longer_be_changed(volunteer, coordinator, log) -> None:
    claim = submit(volunteer, mileage(log))
    services.claim_approve(actor=coordinator, claim=claim)
    with pytest.raises(ValidationError, match="approved: it can no longer be changed"):
        services.claim_resubmit(actor=volunteer, claim=claim, data=mileage(log, miles="99"))
    claim.refresh_from_db()
    assert claim.miles == Decimal("12.5")


def test_other_organisations_never_see_or_pay_the_claims(volunteer, coordinator, log, other_coordinator) -> None:
    claim = submit(volunteer, mileage(log))
    services.claim_approve(actor=coordinator, claim=claim)
    assert not ExpenseClaim.objects.visible_to(other_coordinator).exists()
    with pytest.raises(ValidationError, match="no approved claims"):
        services.batch_create(actor=other_coordinator)
    batch = services.batch_create(actor=coordinator)
    with pytest.raises(ValidationError, match="not in your organisation"):
        services.batch_mark_paid(actor=other_coordinator, batch=batch)
    assert PaymentBatch.objects.get().paid_on is None


def test_settings_refuse_no_categories(organisation, manager) -> None:
    config = services.settings_for(organisation.pk)
    with pytest.raises(ValidationError) as refused:
        services.expense_settings_save(
            actor=manager, config=config, pence_per_mile=0, receipt_needed_above_pence=0, categories=[" "]
        )
    assert set(refused.value.message_dict) == {"pence_per_mile", "categories"}
    config.refresh_from_db()
    assert config.pence_per_mile == 45


def test_a_volunteer_sees_only_her_own_claims(organisation, volunteer, coordinator, log, strangers_log) -> None:
    mine = submit(volunteer, mileage(log))
    other_volunteer = strangers_log.match.volunteer.user
    theirs = submit(other_volunteer, mileage(strangers_log))
    assert set(ExpenseClaim.objects.visible_to(volunteer).values_list("pk", flat=True)) == {mine.pk}
    assert set(ExpenseClaim.objects.visible_to(coordinator).values_list("pk", flat=True)) == {mine.pk, theirs.pk}
