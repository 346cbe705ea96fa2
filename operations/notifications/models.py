"""The outbox: every reminder or notification is a row, written before
anything is sent. The unique ``key`` makes writing the same reminder twice
harmless; a sender claims a row with a conditional UPDATE so two senders
never send it twice."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from operations.core.dates import date_time
from operations.core.models import Organisation, OrganisationScopedQuerySet, StaffOnlyQuerySet
from operations.notifications.kinds import kind_label
from operations.notifications.wording import placeholder_errors


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    IN_APP = "in_app", "In the app"


class Status(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class DeliveryStatus(models.TextChoices):
    """What the provider said happened after it accepted the message (its
    delivery receipt). Blank until a receipt arrives (or for channels without)."""

    UNKNOWN = "", "Not known"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Not delivered"


class NotificationQuerySet(OrganisationScopedQuerySet):
    def visible_to_member(self, scoped, *, user, membership):
        """Coordinators and managers see the organisation's log; everyone
        else sees only what was addressed to them."""
        return scoped.filter(recipient_user_id=user.pk)

    def inbox_of(self, user) -> NotificationQuerySet:
        """The in-app notification centre: what was delivered to this user."""
        return self.in_active_organisation(user).filter(
            recipient_user_id=user.pk, channel=Channel.IN_APP, status=Status.SENT
        )

    def due(self, now=None) -> NotificationQuerySet:
        return self.filter(status=Status.PENDING, due_at__lte=now or timezone.now())


class Notification(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=60, db_index=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    # For recipients without an account (a parent): the address chosen from
    # their safe-contact settings when the row was written. The sender asks
    # the parent's record again just before delivery (notifications.safety),
    # so a channel that became unsafe meanwhile is never used.
    recipient_address = models.CharField(max_length=254, blank=True)
    recipient_parent = models.ForeignKey(
        "referrals.Parent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whether the wording names the service or group: a parent may say later
    # that messages must not name it.
    names_service = models.BooleanField(default=False)
    # Why a row was cancelled (never personal: "SMS is no longer recorded as safe").
    cancelled_reason = models.CharField(max_length=200, blank=True)
    about_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    about_id = models.CharField(max_length=40, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True, help_text="A page in the app this notification points to.")
    due_at = models.DateTimeField()
    key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The provider's id for the message it accepted (SmsBackend.send's answer):
    # how its delivery receipt finds this row.
    provider_message_id = models.CharField(max_length=100, blank=True)
    delivery_status = models.CharField(max_length=10, choices=DeliveryStatus.choices, blank=True, default="")
    # The provider's reason in words ("number not in service"), never a code alone.
    delivery_detail = models.CharField(max_length=200, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-due_at", "-pk"]
        indexes = [
            # The sweep's question: which pending rows are due?
            models.Index(fields=["due_at"], name="notification_pending_due", condition=Q(status="pending")),
            models.Index(fields=["organisation", "-due_at"], name="notification_org_log"),
            models.Index(
                fields=["recipient_user", "read_at"],
                name="notification_unread",
                condition=Q(channel="in_app", status="sent"),
            ),
            # Every page's bell counts the unread: an index-only count.
            models.Index(
                fields=["recipient_user", "organisation"],
                name="notification_index_for_bell",
                condition=Q(channel="in_app", status="sent", read_at__isnull=True),
            ),
            # The notification centre: one person's inbox, newest first, a page at a time.
            models.Index(
                fields=["recipient_user", "organisation", "-sent_at", "-id"],
                name="notification_index_for_inbox",
                condition=Q(channel="in_app", status="sent"),
            ),
            # The log's kind filter lists the kinds in use without reading every row.
            models.Index(fields=["organisation", "kind"], name="notification_index_for_kinds"),
            # A change to a parent's contact safety, a restriction or an erasure finds their waiting messages.
            models.Index(
                fields=["recipient_parent"],
                name="notification_parent_pending",
                condition=Q(status__in=["pending", "sending"]),
            ),
            # A delivery receipt finds its message by the provider's id.
            models.Index(
                fields=["provider_message_id"],
                name="notification_provider_id",
                condition=~Q(provider_message_id=""),
            ),
        ]
        constraints = [
            # A row that may still be sent has someone to go to; an erased
            # parent's finished rows keep no address.
            models.CheckConstraint(
                condition=Q(recipient_user__isnull=False)
                | ~Q(recipient_address="")
                | Q(status__in=["sent", "failed", "cancelled"]),
                name="notification_has_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} ({self.get_channel_display()}, {self.get_status_display().lower()})"

    @property
    def kind_label(self) -> str:
        """The kind in words: "Visit reminder", not "visit_reminder"."""
        return kind_label(self.kind)

    @property
    def delivery_in_words(self) -> str:
        """What the provider's delivery receipt said: "Delivered 14 Feb 2028
        10:02", "Not delivered: number not in service", or '' before one came."""
        if self.delivery_status == DeliveryStatus.DELIVERED:
            when = f" {date_time(timezone.localtime(self.delivered_at))}" if self.delivered_at else ""
            return f"Delivered{when}"
        if self.delivery_status == DeliveryStatus.FAILED:
            return f"Not delivered: {self.delivery_detail}" if self.delivery_detail else "Not delivered"
        return ""


class NotificationPreference(models.Model):
    """How a user wants their reminders. In-app is always on; email unless
    turned off. (Parents' channels are not preferences: they come from their
    safe-contact record, and nothing overrides that.)"""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.BooleanField("Also send my reminders by email", default=True)

    def __str__(self) -> str:
        return f"Notification preferences of user {self.user_id}"


def _bounded(
    default: int, low: int, high: int, verbose_name: str, help_text: str = ""
) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name,
        default=default,
        validators=[MinValueValidator(low), MaxValueValidator(high)],
        help_text=help_text or f"Default {default}; between {low} and {high}.",
    )


class ReminderSettings(models.Model):
    """When each reminder goes, per organisation: made with the defaults (the
    issue's table) when the organisation is created."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="reminder_settings")
    visit_hours_before = _bounded(24, 1, 168, "Planned visit: hours before")
    contact_log_hours_after = _bounded(48, 24, 336, "Contact log missing: hours after the visit")
    session_hours_before = _bounded(24, 1, 168, "Group session (to parents): hours before")
    supervision_days_before = _bounded(7, 1, 42, "Supervision due: days before")
    pvg_first_months_before = _bounded(3, 2, 12, "PVG renewal, first reminder: months before")
    pvg_second_months_before = _bounded(1, 1, 11, "PVG renewal, second reminder: months before")
    training_days_before = _bounded(30, 1, 180, "Required training expiring: days before")
    eligibility_first_weeks_before = _bounded(8, 2, 26, "Eligibility ending, first reminder: weeks before")
    eligibility_second_weeks_before = _bounded(4, 1, 25, "Eligibility ending, second reminder: weeks before")
    birth_overdue_days = _bounded(14, 1, 60, "Birth to confirm: days after the due date")
    match_review_days_before = _bounded(0, 0, 30, "Match review: days before it is due")
    outcome_baseline_days = _bounded(14, 1, 90, "Baseline measure: days after support starts")
    outcome_review_months = _bounded(3, 1, 12, "Review measure: months since the last measure")
    outcome_ending_days = _bounded(28, 1, 90, "Ending measure: days after ending or closing it is still asked for")
    quiet_match_days = _bounded(21, 7, 90, "Match gone quiet: days without a logged contact")
    # The number the organisation's texts come from, and parents' replies go to
    # (E.164). Blank: the default sender (SMS_SENDER).
    sms_number = models.CharField(
        "Text messages come from",
        max_length=20,
        blank=True,
        help_text=(
            "The mobile number your provider gave you, for example 07700 900123. "
            "Leave blank to use the service's default sender."
        ),
    )
    # Names of the rules (operations.notifications.scan.RULES) this organisation turned off.
    turned_off = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "reminder settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(pvg_second_months_before__lt=models.F("pvg_first_months_before")),
                name="reminder_pvg_second_after_first",
                violation_error_message="The second PVG reminder must come after the first.",
            ),
            models.CheckConstraint(
                condition=Q(eligibility_second_weeks_before__lt=models.F("eligibility_first_weeks_before")),
                name="reminder_eligibility_second_after_first",
                violation_error_message="The second eligibility reminder must come after the first.",
            ),
            # A reply is filed with the organisation whose number it was sent to: one each.
            models.UniqueConstraint(
                fields=["sms_number"],
                condition=~Q(sms_number=""),
                name="reminder_sms_number_unique",
                violation_error_message="Another organisation already uses this number.",
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder settings of organisation {self.organisation_id}"

    def clean(self) -> None:
        errors = {}
        if self.pvg_second_months_before is not None and self.pvg_first_months_before is not None:
            if self.pvg_second_months_before >= self.pvg_first_months_before:
                errors["pvg_second_months_before"] = "Must be fewer months than the first PVG reminder."
        if self.eligibility_second_weeks_before is not None and self.eligibility_first_weeks_before is not None:
            if self.eligibility_second_weeks_before >= self.eligibility_first_weeks_before:
                errors["eligibility_second_weeks_before"] = "Must be fewer weeks than the first eligibility reminder."
        if errors:
            raise ValidationError(errors)

    def is_on(self, rule: str) -> bool:
        return rule not in self.turned_off


class InboundTextQuerySet(OrganisationScopedQuerySet):
    """Texts people sent to an organisation's number: its staff only."""

    def visible_to_member(self, scoped, *, user, membership) -> InboundTextQuerySet:
        return scoped.none()


class InboundText(models.Model):
    """A text message received from a provider's inbound webhook, kept once
    per provider message id (a provider retrying its webhook stores nothing
    more). The organisation is the one whose SMS number it was sent to; None
    when no organisation uses that number."""

    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    provider = models.CharField(max_length=20)
    provider_message_id = models.CharField(max_length=100)
    from_number = models.CharField(max_length=20)
    to_number = models.CharField(max_length=20)
    body = models.TextField(blank=True)
    received_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = InboundTextQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-received_at"], name="inbound_text_org_recent")]
        constraints = [
            models.UniqueConstraint(fields=["provider", "provider_message_id"], name="inbound_text_once"),
        ]

    def __str__(self) -> str:
        return f"Text received {date_time(timezone.localtime(self.received_at))}"


class MessagePurpose(models.TextChoices):
    """What a message template is for: the parent-facing messages, and the
    named quick texts staff pick from when they text someone from a record."""

    SESSION_REMINDER = "session_reminder", "Group session reminder"
    SESSION_CANCELLED = "session_cancelled", "Group session cancelled"
    SESSION_MOVED = "session_moved", "Group session moved"
    PLACE_OFFERED = "booking_place_offered", "Group place offered from the waiting list"
    PARENT_VISIT_REMINDER = "parent_visit_reminder", "Visit reminder (to the parent)"
    QUICK_TEXT = "text_from_staff", "Quick text from staff"


class MessageTemplate(models.Model):
    """An organisation's own wording of a message, in one language. A
    parent's language (``Parent.language``) picks the template in it where
    there is one, the English one otherwise, and the built-in wording
    (``wording.DEFAULTS``) where there is neither. The placeholders are
    checked on save (``clean``): an unknown one is a field error."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="message_templates")
    purpose = models.CharField(max_length=40, choices=MessagePurpose.choices)
    name = models.CharField(
        max_length=80, blank=True, help_text="Quick texts only: the name staff pick it by, e.g. Running late."
    )
    language = models.CharField(
        max_length=60, default="English", help_text="As it is written on the parent's record, e.g. Polish."
    )
    subject = models.CharField(
        max_length=150, blank=True, help_text="Emails only; left blank, the usual subject in English."
    )
    body = models.TextField(
        "Wording", max_length=600, help_text="Neutral: it must not say who it is from. Sent to every parent."
    )
    named_body = models.TextField(
        "Wording that may name the service",
        max_length=600,
        blank=True,
        help_text="Sent only where the parent's record says messages may name the service; blank: the wording above.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = StaffOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["purpose", "name", "language", "pk"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                "purpose",
                "name",
                Lower("language"),
                name="message_template_one_per_language",
                violation_error_message="There is already a template for this message in this language.",
            ),
            models.CheckConstraint(
                condition=Q(purpose="text_from_staff") ^ Q(name=""),
                name="message_template_quick_texts_named",
                violation_error_message="A quick text needs a name; other messages have none.",
            ),
        ]

    def __str__(self) -> str:
        label = self.name or self.get_purpose_display()
        return f"{label} ({self.language})"

    @property
    def audit_name(self) -> str:
        """ "Group session reminder, in Polish": a quick text by number, since its name is free text."""
        what = f"quick text {self.pk}" if self.name else self.get_purpose_display()
        return f"{what}, in {self.language}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        self.language = " ".join(self.language.split())
        self.name = " ".join(self.name.split())
        if self.purpose == MessagePurpose.QUICK_TEXT and not self.name:
            errors["name"] = ["Give the quick text a name staff will recognise."]
        if self.purpose and self.purpose != MessagePurpose.QUICK_TEXT:
            self.name = ""
        for field, named in (("subject", False), ("body", False), ("named_body", True)):
            if found := placeholder_errors(getattr(self, field), purpose=self.purpose, named=named):
                errors[field] = found
        if errors:
            raise ValidationError(errors)
