"""Volunteer expenses: each organisation's rate per mile, its categories of
out-of-pocket costs and when a receipt is needed; claims made by a volunteer
or PSO against one of her contacts with a family, decided by a coordinator
(approved, queried, rejected) and paid in batches.

Money is kept in whole pence (integers): no rounding drifts between the
claim, the batch total and the finance system's file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from operations.core.models import Organisation, OrganisationScopedQuerySet, Service, StaffOnlyQuerySet
from volunteers.matching.models import ContactLog
from volunteers.models import VolunteerProfile

#: The rate per mile a new organisation starts with: HMRC's approved mileage
#: allowance for a car's first 10,000 business miles, which volunteers
#: receive tax-free.
DEFAULT_PENCE_PER_MILE = 45

#: Out-of-pocket categories a new organisation starts with; managers rename,
#: add and retire them.
DEFAULT_CATEGORIES = (
    "Bus or train fare",
    "Parking",
    "Childcare",
    "Refreshments with the family",
    "Other",
)


def pounds(pence: int | None) -> str:
    """1250 -> "£12.50": what every page, file and message shows."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}£{whole:,}.{part:02d}"


class ExpenseSettings(models.Model):
    """One per organisation, made with the defaults when it is created."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="expense_settings")
    pence_per_mile = models.PositiveSmallIntegerField(
        "Rate per mile (pence)",
        default=DEFAULT_PENCE_PER_MILE,
        help_text="Claims made from now on use the new rate; claims already made keep theirs.",
    )
    #: 0: every out-of-pocket cost needs a receipt. An auditor (and OSCR's
    #: guidance on charity accounts) expects a receipt for each cost paid
    #: back; an organisation that accepts small bus fares without a ticket
    #: says so by raising this.
    receipt_needed_above_pence = models.PositiveIntegerField(
        "Receipt needed for costs over (pence)",
        default=0,
        help_text="0 means every out-of-pocket cost needs a photo of its receipt.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "expense settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(pence_per_mile__gte=1) & Q(pence_per_mile__lte=200),
                name="expense_rate_per_mile_sane",
                violation_error_message="The rate per mile is between 1p and £2.",
            )
        ]

    def __str__(self) -> str:
        return f"Expense settings of organisation {self.organisation_id}"

    @property
    def rate_words(self) -> str:
        return f"{self.pence_per_mile}p a mile"

    def needs_receipt(self, amount_pence: int) -> bool:
        return amount_pence > self.receipt_needed_above_pence


class ExpenseCategory(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="expense_categories")
    name = models.CharField(max_length=60)
    is_active = models.BooleanField(default=True)

    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "expense categories"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="expense_category_unique_in_organisation")
        ]

    def __str__(self) -> str:
        return self.name


class Kind(models.TextChoices):
    MILEAGE = "mileage", "Mileage"
    OUT_OF_POCKET = "out_of_pocket", "Out-of-pocket cost"


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    QUERIED = "queried", "Queried"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    PAID = "paid", "Paid"


#: Waiting for a coordinator's decision.
TO_DECIDE = (ClaimStatus.SUBMITTED,)
#: The claimant may change it and send it again.
EDITABLE = (ClaimStatus.SUBMITTED, ClaimStatus.QUERIED)


class PaymentBatch(models.Model):
    """Approved claims paid together: downloaded as one file for the finance
    system, then marked paid on the day the money went."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    total_pence = models.PositiveIntegerField(default=0)
    claim_count = models.PositiveIntegerField(default=0)
    paid_on = models.DateField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = StaffOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "payment batches"

    def __str__(self) -> str:
        return f"Payment batch {self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("expenses:batch-detail", args=[self.pk])

    @property
    def total_words(self) -> str:
        return pounds(self.total_pence)

    @property
    def status_words(self) -> str:
        return "Paid" if self.paid_on else "Waiting to be paid"


class ClaimQuerySet(OrganisationScopedQuerySet):
    """Coordinators and managers see the organisation's claims; a volunteer
    or PSO only her own."""

    def visible_to_member(self, scoped, *, user, membership):
        return scoped.filter(volunteer__user_id=user.pk)


class ExpenseClaim(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    volunteer = models.ForeignKey(VolunteerProfile, on_delete=models.PROTECT, related_name="expense_claims")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    #: The contact it was spent for, unless it was for something a plug-in
    #: offers (a group session: ``volunteers.expenses.targets``). Kept empty if
    #: that log is erased: the claim is a record of money paid, and holds
    #: nothing of the family.
    contact_log = models.ForeignKey(
        ContactLog, null=True, blank=True, on_delete=models.SET_NULL, related_name="expense_claims"
    )
    #: The service of that contact when claimed: the dashboard's totals by service.
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    spent_on = models.DateField()
    miles = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    #: The organisation's rate when the claim was made (or last sent again).
    pence_per_mile = models.PositiveSmallIntegerField(null=True, blank=True)
    from_place = models.CharField(max_length=100, blank=True)
    to_place = models.CharField(max_length=100, blank=True)
    category = models.ForeignKey(
        ExpenseCategory, null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    amount_pence = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True)
    #: File name inside settings.EXPENSE_RECEIPTS_DIR (never under static or media).
    receipt_file = models.CharField(max_length=100, blank=True)
    receipt_content_type = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.SUBMITTED)
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    #: The coordinator's question (queried) or reason (rejected), shown to the claimant.
    decision_note = models.CharField(max_length=500, blank=True)
    batch = models.ForeignKey(PaymentBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    paid_on = models.DateField(null=True, blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status", "submitted_at"]),
            models.Index(fields=["organisation", "spent_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_pence__gte=1), name="expense_claim_amount_positive"),
            models.CheckConstraint(
                condition=~Q(kind="mileage") | (Q(miles__gt=0) & Q(pence_per_mile__isnull=False)),
                name="mileage_claim_has_miles_and_rate",
            ),
            models.CheckConstraint(
                condition=~Q(kind="out_of_pocket") | Q(category__isnull=False),
                name="cost_claim_has_category",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | (Q(batch__isnull=False) & Q(paid_on__isnull=False)),
                name="paid_claim_has_batch_and_date",
            ),
            models.CheckConstraint(
                condition=Q(batch__isnull=True) | Q(status__in=["approved", "paid"]),
                name="only_approved_claims_are_batched",
            ),
        ]

    def __str__(self) -> str:
        return f"Expense claim {self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("expenses:claim-detail", args=[self.pk])

    @property
    def amount_words(self) -> str:
        return pounds(self.amount_pence)

    @property
    def what_words(self) -> str:
        """ "12.5 miles (Hawick to Jedburgh)" or "Parking"."""
        if self.kind == Kind.MILEAGE:
            route = " to ".join(part for part in (self.from_place, self.to_place) if part)
            miles = f"{self.miles.normalize():f}" if self.miles is not None else ""
            return f"{miles} miles" + (f" ({route})" if route else "")
        return self.category.name if self.category_id else self.get_kind_display()

    @property
    def for_words(self) -> str:
        """What it was for, without naming the family: "Home visit, 2 Mar 2027"
        or "Bumps and Babies, 3 Mar 2027" (a group session, through its plug-in)."""
        from volunteers.expenses.targets import for_words

        return for_words(self)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE


class PayeeReference(models.Model):
    """The volunteer's reference in the finance system (a supplier or payroll
    number), written on the payment file when there is one."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    volunteer = models.OneToOneField(VolunteerProfile, on_delete=models.CASCADE, related_name="payee_reference")
    reference = models.CharField(max_length=40)

    objects = StaffOnlyQuerySet.as_manager()

    def __str__(self) -> str:
        return self.reference
