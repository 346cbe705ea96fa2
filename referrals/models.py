"""Parents and their children, referrals and their transitions.

Visibility is decided in one place per model (``visible_to``): for now only
coordinators and managers of the organisation see parents and referrals.
Matching will widen it for matched volunteers.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from operations.core.ages import age_in_years
from operations.core.models import (
    STAFF_ROLES,
    CouncilArea,
    Organisation,
    Service,
    ServiceKind,
    StaffOnlyQuerySet,
    active_membership,
)
from operations.core.searching import Query, searchable_text
from referrals.validators import validate_postcode, validate_uk_phone
from referrals.workflow import CLOSED_STATUSES, OPEN_STATUSES, Status

YOUNG_PARENT_UNDER = 20


class ParentRole(models.TextChoices):
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    OTHER_CARER = "other_carer", "Other carer"


class Ethnicity(models.TextChoices):
    # Scotland's census 2022 top-level groups, always with "prefer not to say".
    WHITE = "white", "White"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    ASIAN = "asian", "Asian, Scottish Asian or British Asian"
    AFRICAN = "african", "African, Scottish African or British African"
    CARIBBEAN_BLACK = "caribbean_black", "Caribbean or Black"
    OTHER = "other", "Other ethnic group"
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"


class Article6Basis(models.TextChoices):
    CONSENT = "consent", "Consent (6(1)(a))"
    CONTRACT = "contract", "Contract (6(1)(b))"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation (6(1)(c))"
    VITAL_INTERESTS = "vital_interests", "Vital interests (6(1)(d))"
    PUBLIC_TASK = "public_task", "Public task (6(1)(e))"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests (6(1)(f))"


class Article9Condition(models.TextChoices):
    EXPLICIT_CONSENT = "explicit_consent", "Explicit consent (9(2)(a))"
    VITAL_INTERESTS = "vital_interests", "Vital interests (9(2)(c))"
    NOT_FOR_PROFIT = "not_for_profit", "Not-for-profit body (9(2)(d); DPA 2018 Sch. 1 para 16)"
    HEALTH_OR_SOCIAL_CARE = "health_social_care", "Health or social care (9(2)(h))"


def parent_name(first_name: str, preferred_name: str, last_name: str) -> str:
    """How a parent is named on every page; also for lists that read the
    three columns as plain values rather than a Parent."""
    return f"{preferred_name or first_name} {last_name}"


def parent_search_text(parent: Parent) -> str:
    """What a parent is found by (``Parent.search_text``): every name, the
    postcode and the phone number, folded (``operations.core.searching``)."""
    return searchable_text(
        names=[parent.first_name, parent.preferred_name, parent.last_name], postcode=parent.postcode, phone=parent.phone
    )


class ParentQuerySet(StaffOnlyQuerySet):
    def matching(self, query: Query) -> ParentQuerySet:
        """Parents whose search text holds every term of ``query``, in any
        order, or whose record number it is. On PostgreSQL a trigram index
        (migration 0009) answers these ``LIKE '%term%'`` filters without
        reading every row."""
        if query.is_empty:
            return self.none()
        found = Q.create([("search_text__contains", term) for term in query.terms])
        if query.record_number is not None:
            found = found | Q(pk=query.record_number) if query.terms else Q(pk=query.record_number)
        return self.filter(found)


class Parent(models.Model):
    """The supported parent: a mother, a father or another carer."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="parents")
    role = models.CharField(max_length=20, choices=ParentRole.choices, default=ParentRole.MOTHER)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)

    phone = models.CharField(max_length=20, blank=True, validators=[validate_uk_phone])
    email = models.EmailField(blank=True)
    address_line_1 = models.CharField(max_length=150, blank=True)
    address_line_2 = models.CharField(max_length=150, blank=True)
    town = models.CharField(max_length=80, blank=True)
    postcode = models.CharField(max_length=8, blank=True, validators=[validate_postcode])
    council_area = models.ForeignKey(
        CouncilArea, null=True, blank=True, on_delete=models.PROTECT, related_name="parents"
    )
    language = models.CharField(max_length=60, default="English")
    interpreter_needed = models.BooleanField(default=False)

    # Contact safety: read only through referrals.contact.contact_permissions().
    safe_sms = models.BooleanField("SMS is safe", default=False)
    safe_email = models.BooleanField("Email is safe", default=False)
    safe_phone = models.BooleanField("Phone calls are safe", default=False)
    safe_voicemail = models.BooleanField("Voicemail is safe", default=False)
    may_name_service = models.BooleanField("Messages may name the service", default=False)
    # The explicit answer "no channel is safe": recorded, and every contact goes through the referrer.
    contact_through_referrer = models.BooleanField("None is safe: contact through the referrer", default=False)
    best_contact_times = models.CharField(max_length=150, blank=True)
    # Set when safe contact was asked and answered (a channel, or none safe); None means not asked yet.
    contact_safety_recorded_at = models.DateTimeField(null=True, blank=True)
    contact_consent_given_on = models.DateField("Agreed to be contacted on", null=True, blank=True)
    # She texted STOP (set by the notifications app's opt-out): no text goes to
    # her, whatever "SMS is safe" says, until she texts START or a coordinator
    # records that she agreed to texts again. Not on any form.
    sms_stopped_at = models.DateTimeField("Texts stopped by the parent", null=True, blank=True, editable=False)

    # Needs: recorded only with the parent's agreement.
    needs_agreed = models.BooleanField("The parent agreed to record these needs", default=False)
    refugee_or_asylum_seeking = models.BooleanField(default=False)
    substance_use = models.BooleanField(default=False)
    ethnicity = models.CharField(max_length=20, choices=Ethnicity.choices, blank=True)

    lawful_basis_article6 = models.CharField(
        "Article 6 basis", max_length=30, choices=Article6Basis.choices, blank=True
    )
    lawful_basis_article9 = models.CharField(
        "Article 9 condition", max_length=30, choices=Article9Condition.choices, blank=True
    )
    # Asked, whatever the answer: "no" is an answer (asked, never given).
    evaluation_consent_asked_on = models.DateField("Evaluation consent asked on", null=True, blank=True)
    evaluation_consent_given_on = models.DateField(null=True, blank=True)
    evaluation_consent_withdrawn_on = models.DateField(null=True, blank=True)

    # A safeguarding hold keeps the record intact: erasure is refused while it stands.
    safeguarding_hold = models.BooleanField(default=False)
    safeguarding_hold_reason = models.CharField(max_length=300, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Restriction of processing (UK GDPR Art. 18): the record is kept but nothing
    # new is recorded or sent. Set and cleared only with a ProcessingRestriction
    # row (referrals.services); the higher layers read this flag.
    processing_restricted = models.BooleanField(default=False, editable=False)
    # Names, postcode and phone folded for the search box (parent_search_text):
    # written by the services that change them, blanked by erasure.
    search_text = models.CharField(max_length=400, blank=True, editable=False)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ParentQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            models.Index(fields=["organisation", "last_name", "first_name"]),
            # A text received is matched to the parent by the number it came from.
            models.Index(fields=["organisation", "phone"], name="parent_by_phone", condition=~Q(phone="")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(needs_agreed=True)
                | (Q(refugee_or_asylum_seeking=False) & Q(substance_use=False) & Q(ethnicity="")),
                name="parent_needs_only_with_agreement",
                violation_error_message="Needs can be recorded only when the parent agrees.",
            ),
            models.CheckConstraint(
                condition=Q(evaluation_consent_withdrawn_on__isnull=True)
                | (
                    Q(evaluation_consent_given_on__isnull=False)
                    & Q(evaluation_consent_withdrawn_on__gte=models.F("evaluation_consent_given_on"))
                ),
                name="parent_consent_withdrawn_after_given",
                violation_error_message="Consent can only be withdrawn after it was given.",
            ),
            models.CheckConstraint(
                condition=Q(contact_through_referrer=False)
                | (Q(safe_sms=False) & Q(safe_email=False) & Q(safe_phone=False) & Q(safe_voicemail=False)),
                name="parent_none_safe_or_some_channels",
                violation_error_message="Tick the safe channels, or “None is safe”, not both.",
            ),
        ]

    def __str__(self) -> str:
        return f"Parent #{self.pk}"

    @property
    def display_name(self) -> str:
        return parent_name(self.first_name, self.preferred_name, self.last_name)

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        return age_in_years(self.date_of_birth, day)

    @property
    def is_young_parent(self) -> bool:
        age = self.age_on(timezone.localdate())
        return age is not None and age < YOUNG_PARENT_UNDER

    @property
    def evaluation_consent_active(self) -> bool:
        return self.evaluation_consent_given_on is not None and self.evaluation_consent_withdrawn_on is None


class LossKind(models.TextChoices):
    MISCARRIAGE = "miscarriage", "Miscarriage"
    STILLBIRTH = "stillbirth", "Stillbirth"
    NEONATAL_DEATH = "neonatal_death", "Death of a baby"


class ChildQuerySet(StaffOnlyQuerySet):
    organisation_field = "parent__organisation"

    def birth_to_confirm(self, today: date) -> ChildQuerySet:
        from datetime import timedelta

        from referrals.eligibility import CONFIRM_BIRTH_AFTER_DAYS

        return self.filter(
            birth_date__isnull=True,
            loss_date__isnull=True,
            due_date__lt=today - timedelta(days=CONFIRM_BIRTH_AFTER_DAYS),
        )

    def loss_review_open(self) -> ChildQuerySet:
        return self.filter(loss_date__isnull=False, loss_reviewed_at__isnull=True)


class Child(models.Model):
    """A pregnancy or a child. A birth or a loss is recorded on the same row."""

    parent = models.ForeignKey(Parent, on_delete=models.CASCADE, related_name="children")
    name = models.CharField(max_length=100, blank=True, help_text="Leave empty before the birth.")
    due_date = models.DateField("Expected due date", null=True, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    gestation_weeks_at_birth = models.PositiveSmallIntegerField(null=True, blank=True)
    neonatal_care = models.BooleanField("Neonatal care", null=True, blank=True)
    loss_kind = models.CharField("Kind of loss", max_length=20, choices=LossKind.choices, blank=True)
    loss_date = models.DateField("Date of the loss", null=True, blank=True)
    # A loss opens a coordinator review; it never closes a case by itself.
    loss_reviewed_at = models.DateTimeField(null=True, blank=True)
    loss_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["parent_id", "pk"]
        verbose_name_plural = "children"
        indexes = [
            # The home page's births to confirm and loss reviews (and the
            # reminders about them) look for a few rows among every child.
            models.Index(
                fields=["due_date"],
                name="child_index_for_births",
                condition=Q(birth_date__isnull=True, loss_date__isnull=True),
            ),
            models.Index(
                fields=["loss_date"],
                name="child_index_for_loss_reviews",
                condition=Q(loss_date__isnull=False, loss_reviewed_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__isnull=False) | Q(birth_date__isnull=False),
                name="child_has_due_or_birth_date",
                violation_error_message="Give the expected due date, or the birth date.",
            ),
            models.CheckConstraint(
                condition=(Q(loss_kind="") & Q(loss_date__isnull=True))
                | (~Q(loss_kind="") & Q(loss_date__isnull=False)),
                name="child_loss_kind_and_date_together",
                violation_error_message="Record both the kind of loss and its date.",
            ),
            models.CheckConstraint(
                condition=Q(gestation_weeks_at_birth__isnull=True)
                | (Q(gestation_weeks_at_birth__gte=20) & Q(gestation_weeks_at_birth__lte=45)),
                name="child_gestation_in_range",
                violation_error_message="Gestation at birth is between 20 and 45 weeks.",
            ),
        ]

    def __str__(self) -> str:
        return f"Child #{self.pk}"

    @property
    def is_born(self) -> bool:
        return self.birth_date is not None

    @property
    def is_lost(self) -> bool:
        return self.loss_date is not None

    @property
    def loss_review_open(self) -> bool:
        return self.is_lost and self.loss_reviewed_at is None


class Source(models.TextChoices):
    SELF = "self", "Self-referral"
    HEALTH_VISITOR = "health_visitor", "Health visitor"
    MIDWIFE = "midwife", "Midwife"
    GP = "gp", "GP"
    PERINATAL_MENTAL_HEALTH = "perinatal_mh", "Perinatal mental health team"
    SOCIAL_WORK = "social_work", "Social work"
    OTHER_CHARITY = "other_charity", "Other charity"
    OTHER = "other", "Other"


class Channel(models.TextChoices):
    """How a referral came in; the triage board marks the online ones."""

    STAFF = "staff", "Typed by staff"
    SELF_ONLINE = "self_online", "Online self-referral form"
    PROFESSIONAL_ONLINE = "professional_online", "Online professional referral form"
    PARTNER_API = "partner_api", "Partner system"


class ReferrerKind(models.TextChoices):
    HEALTH_VISITING = "health_visiting", "Health visiting team"
    MIDWIFERY = "midwifery", "Midwifery team"
    GP_PRACTICE = "gp_practice", "GP practice"
    PERINATAL_MENTAL_HEALTH = "perinatal_mh", "Perinatal mental health team"
    SOCIAL_WORK = "social_work", "Social work office"
    CHARITY = "charity", "Charity or voluntary organisation"
    OTHER = "other", "Other"


class ReferringOrganisation(models.Model):
    """A team that refers to the charity (an NHS board's health visiting team,
    a GP practice …): kept by the charity's coordinators, in its own directory."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="referring_organisations")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=ReferrerKind.choices, default=ReferrerKind.OTHER)
    email = models.EmailField("Team email", blank=True)
    phone = models.CharField("Team phone", max_length=30, blank=True, validators=[validate_uk_phone])
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = StaffOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("name"),
                "organisation",
                name="one_referring_organisation_per_name",
                violation_error_message="This team is already in the directory.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Referrer(models.Model):
    """A person who refers: a named midwife, health visitor, GP … at work.
    Their work details only; never the parent's."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="referrers")
    referring_organisation = models.ForeignKey(
        ReferringOrganisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    name = models.CharField(max_length=150)
    role = models.CharField("Role", max_length=100, blank=True, help_text="For example: health visitor, midwife.")
    email = models.EmailField("Work email", blank=True)
    phone = models.CharField("Work phone", max_length=30, blank=True, validators=[validate_uk_phone])
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = StaffOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["organisation", "email"], name="referrer_org_email_idx")]

    def __str__(self) -> str:
        team = f", {self.referring_organisation}" if self.referring_organisation_id else ""
        return f"{self.name}{team}"


class Urgency(models.IntegerChoices):
    # Lower sorts first on the waiting list.
    URGENT = 1, "Urgent"
    SOON = 2, "Soon"
    ROUTINE = 3, "Routine"


class ReferralQuerySet(StaffOnlyQuerySet):
    def open(self) -> ReferralQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def waiting_list(self) -> ReferralQuerySet:
        """Waiting referrals: most urgent first, then those closest to the end of
        their eligibility (at risk of ageing out), then the longest waiting."""
        return (
            self.filter(status=Status.WAITING)
            .select_related("parent", "service", "parent__council_area")
            .order_by(
                "urgency",
                models.F("eligibility_end").asc(nulls_last=True),
                "received_on",
                "pk",
            )
        )


class Referral(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals")
    parent = models.ForeignKey(Parent, on_delete=models.PROTECT, related_name="referrals")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    source = models.CharField(max_length=20, choices=Source.choices)
    referrer_name = models.CharField(max_length=150, blank=True)
    referrer_contact = models.CharField(max_length=150, blank=True, help_text="Phone or email of the referrer.")
    channel = models.CharField("Came in by", max_length=20, choices=Channel.choices, default=Channel.STAFF)
    referrer = models.ForeignKey(
        Referrer, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals", verbose_name="Referrer"
    )
    # The professional form asks it; staff record it when the parent agrees on the phone.
    referrer_updates_consent = models.BooleanField(
        "The parent agreed the referrer may hear how the referral goes", default=False
    )
    reason = models.TextField("Reason for referral", blank=True)
    urgency = models.PositiveSmallIntegerField(choices=Urgency.choices, default=Urgency.ROUTINE)
    received_on = models.DateField(default=timezone.localdate)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    status_changed_at = models.DateTimeField(default=timezone.now)
    support_started_on = models.DateField(null=True, blank=True)

    # Computed by referrals.eligibility in the service layer; stored for querying.
    eligibility_start = models.DateField(null=True, blank=True, editable=False)
    eligibility_end = models.DateField(null=True, blank=True, editable=False)
    eligibility_estimated = models.BooleanField(default=True, editable=False)
    eligibility_reason = models.CharField(max_length=300, blank=True, editable=False)
    # A coordinator's audited decision to go on despite eligibility (past the
    # end at intake; the matching app adds its own cases): why, who, when.
    eligibility_override_reason = models.TextField(blank=True, editable=False)
    eligibility_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    eligibility_override_at = models.DateTimeField(null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status", "urgency"]),
            models.Index(fields=["organisation", "eligibility_end"]),
            # The home page's "ending soon" and "past their end date": open
            # referrals only, or closed ones fill the scan for "past end".
            models.Index(
                fields=["organisation", "eligibility_end"],
                condition=Q(status__in=OPEN_STATUSES),
                name="referral_open_end_idx",
            ),
            # The dashboard's referrals received in a period.
            models.Index(fields=["organisation", "received_on"], name="referral_org_received_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "service"],
                condition=Q(status__in=OPEN_STATUSES),
                name="one_open_referral_per_parent_and_service",
                violation_error_message="This parent already has an open referral for this service.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[*OPEN_STATUSES, *CLOSED_STATUSES]),
                name="referral_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def days_left(self, today: date | None = None) -> int | None:
        if self.eligibility_end is None:
            return None
        return (self.eligibility_end - (today or timezone.localdate())).days

    @property
    def days_past_end(self) -> int:
        """How many days ago eligibility ended (0 while it has not)."""
        left = self.days_left()
        return -left if left is not None and left < 0 else 0

    def days_waiting(self, today: date | None = None) -> int:
        return ((today or timezone.localdate()) - self.received_on).days


class ReferralTransition(models.Model):
    """One move of a referral through the workflow: who, when, why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or 'New'} → {self.get_to_status_display()}"


class ProcessingRestriction(models.Model):
    """One restriction of processing of a parent's record, recorded at their
    request and later lifted; the rows are the record of when and why."""

    parent = models.ForeignKey(Parent, on_delete=models.CASCADE, related_name="processing_restrictions")
    requested_on = models.DateField()
    reason = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    lifted_on = models.DateField(null=True, blank=True)
    lift_reason = models.CharField(max_length=300, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent"],
                condition=Q(lifted_on__isnull=True),
                name="one_standing_restriction_per_parent",
                violation_error_message="Processing of this record is already restricted.",
            ),
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | Q(lifted_on__gte=models.F("requested_on")),
                name="restriction_lifted_after_requested",
                violation_error_message="A restriction is lifted on or after the day it was requested.",
            ),
        ]

    def __str__(self) -> str:
        return f"Restriction #{self.pk}"

    @property
    def is_standing(self) -> bool:
        return self.lifted_on is None


class TransferStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class TransferQuerySet(models.QuerySet["Transfer"]):
    def visible_to(self, user) -> TransferQuerySet:
        """Coordinators and managers of the sending organisation (outgoing) or
        of the receiving one (incoming); nobody else. What the receiving side
        may read of a transfer before it accepts is decided by the pages,
        which show only the proposal's own fields (``referrals.transfers``)."""
        membership = active_membership(user)
        if membership is None or membership.role not in STAFF_ROLES:
            return self.none()
        organisation_id = membership.organisation_id
        return self.filter(Q(sending_organisation_id=organisation_id) | Q(receiving_organisation_id=organisation_id))

    def pending(self) -> TransferQuerySet:
        return self.filter(status=TransferStatus.PROPOSED)


class Transfer(models.Model):
    """A family moving to another organisation's area, proposed by the sending
    organisation with the parent's consent and accepted or declined by the
    receiving one. Until it is accepted the receiving side reads only the
    proposal: council area, stage, service kind asked for, the reason."""

    sending_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="transfers_out")
    receiving_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="transfers_in")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="transfers")
    status = models.CharField(max_length=20, choices=TransferStatus.choices, default=TransferStatus.PROPOSED)

    # The proposal, as the receiving side reads it before accepting (nothing identifying).
    council_area = models.ForeignKey(CouncilArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=150, blank=True)
    service_kind = models.CharField("Service asked for", max_length=30, choices=ServiceKind.choices, blank=True)
    reason = models.CharField("Why the family is moving", max_length=300)

    # What the sending side passes on at acceptance, beyond the family's details.
    include_needs = models.BooleanField("Pass on the needs the parent agreed to record", default=False)
    summary_note = models.TextField("Summary for the receiving organisation", blank=True)
    safeguarding_note = models.TextField("Safeguarding note", blank=True)

    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    consent_recorded_at = models.DateTimeField(editable=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    proposed_at = models.DateTimeField(default=timezone.now, editable=False)

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decision_reason = models.CharField("Why it was declined", max_length=300, blank=True)
    new_referral = models.OneToOneField(
        Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="transferred_in", editable=False
    )

    objects = TransferQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(status="proposed"),
                name="one_pending_transfer_per_referral",
                violation_error_message="A transfer of this referral is already waiting for an answer.",
            ),
            models.CheckConstraint(
                condition=~Q(sending_organisation=models.F("receiving_organisation")),
                name="transfer_between_two_organisations",
                violation_error_message="A family is transferred to another organisation.",
            ),
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(decided_at__isnull=False),
                name="answered_transfer_has_decision_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Transfer #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status == TransferStatus.PROPOSED
