"""Partner systems: a referring organisation's API credential, and the
referrals it made (each under the Idempotency-Key its request carried)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from operations.core.models import Organisation, StaffOnlyQuerySet
from referrals.models import Referral, Referrer, ReferringOrganisation


class PartnerCredential(models.Model):
    """An API credential given to one team of the directory. The token is
    shown once, when it is made; only its SHA-256 is kept (a random token of
    256 bits needs no slow hash), so a copy of the database opens nothing."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    referring_organisation = models.ForeignKey(
        ReferringOrganisation,
        on_delete=models.PROTECT,
        related_name="partner_credentials",
        verbose_name="Team",
    )
    referrer = models.ForeignKey(
        Referrer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Referrer",
        help_text="The person its referrals name as the referrer (updates go to their work email "
        "where the parent agreed). Leave empty to name the team only.",
    )
    name = models.CharField(
        "What it is for", max_length=100, help_text="For example: the health visiting team's records system."
    )
    # The first characters, to tell credentials apart on the page and in a partner's configuration.
    token_prefix = models.CharField(max_length=16, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = StaffOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class PartnerReferralQuerySet(models.QuerySet):
    def made_by(self, credential: PartnerCredential) -> PartnerReferralQuerySet:
        """The referrals the credential's team made through the API, with
        any of its credentials (a team keeps its referrals when its
        credential is replaced)."""
        return self.filter(
            credential__organisation_id=credential.organisation_id,
            credential__referring_organisation_id=credential.referring_organisation_id,
            referral__isnull=False,
        )


class PartnerReferral(models.Model):
    """One referral made through the partner API, under the request's
    Idempotency-Key: the key is claimed (the unique constraint) before the
    referral is made, in the same transaction, so the same key twice, even
    at the same moment, makes one referral."""

    credential = models.ForeignKey(PartnerCredential, on_delete=models.PROTECT, related_name="referrals_made")
    key = models.CharField(max_length=200)
    # SHA-256 of the request body as sent: the same key with another body is refused, not replayed.
    request_hash = models.CharField(max_length=64)
    # Set in the transaction that claimed the key; a committed row always has it.
    referral = models.OneToOneField(
        Referral, null=True, blank=True, on_delete=models.CASCADE, related_name="partner_request"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PartnerReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["credential", "key"], name="one_referral_per_partner_idempotency_key"),
        ]
        indexes = [models.Index(fields=["credential", "-created_at"], name="partner_referral_by_credential")]

    def __str__(self) -> str:
        return f"Partner referral #{self.pk}"
