"""Word back to the referrer: each organisation's wording, and the log of
what each referral's referrer was told (the message itself is a row of the
outbox, which holds its delivery)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from operations.core.models import Organisation, StaffOnlyQuerySet
from operations.notifications.models import Notification
from operations.referrer_updates.wording import DEFAULT_SUBJECT, DEFAULT_WORDING, Event


def _wording_field(event: str) -> models.TextField:
    return models.TextField(
        Event(event).label,
        blank=True,
        max_length=1500,
        help_text="Leave empty for the standard wording.",
    )


class ReferrerUpdateSettings(models.Model):
    """An organisation's wording of the updates, made with the organisation.
    An empty wording means the standard one (``wording.DEFAULT_WORDING``)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="referrer_update_settings")
    send_updates = models.BooleanField(
        "Send updates to referrers",
        default=True,
        help_text="Only ever where the parent agreed and the referrer has a work email.",
    )
    subject = models.CharField("Subject", max_length=200, blank=True, help_text="Leave empty for the standard one.")
    received = _wording_field(Event.RECEIVED)
    contacted = _wording_field(Event.CONTACTED)
    waiting = _wording_field(Event.WAITING)
    support_started = _wording_field(Event.SUPPORT_STARTED)
    closed = _wording_field(Event.CLOSED)
    support_ended = _wording_field(Event.SUPPORT_ENDED)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "referrer update settings"

    def __str__(self) -> str:
        return f"Referrer update settings of organisation {self.organisation_id}"

    def wording_for(self, event: str) -> str:
        return getattr(self, event) or DEFAULT_WORDING[event]

    @property
    def subject_wording(self) -> str:
        return self.subject or DEFAULT_SUBJECT


class ReferrerUpdate(models.Model):
    """One message to a referral's referrer: an update at a moment that
    matters (once per referral and event) or a coordinator's note."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    referral = models.ForeignKey("referrals.Referral", on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=20, choices=Event.choices)
    # The outbox row (delivery state); it goes after the outbox's retention period, the log stays.
    notification = models.OneToOneField(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    referrer = models.ForeignKey(
        "referrals.Referrer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A coordinator's note as written (blanked if the parent's record is erased).
    note = models.TextField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = StaffOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["referral", "created_at"], name="referrer_update_by_referral")]
        constraints = [
            # Exactly once per referral and moment, whatever path moved it and however often.
            models.UniqueConstraint(
                fields=["referral", "event"],
                condition=~Q(event=Event.NOTE),
                name="one_referrer_update_per_event",
            ),
        ]

    def __str__(self) -> str:
        return f"Referrer update #{self.pk} ({self.event})"
