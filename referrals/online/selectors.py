"""Reads of the online referral forms."""

from __future__ import annotations

from dataclasses import dataclass

import segno
from django.db.models import Max, QuerySet
from django.http import HttpRequest
from django.urls import reverse

from operations.core.models import Organisation, Service
from referrals.online.models import FormKind, OnlineReferralSettings, OnlineSubmission, Outcome

#: Held forms and spam shown on the page at once, oldest held first, newest spam first:
#: a bot that fills the spam hold must not make the page unreadable.
SHOWN_AT_ONCE = 50
#: What the "sent" page promises when no service says otherwise.
DEFAULT_REPLY_DAYS = 10


def online_settings_for(organisation: Organisation) -> OnlineReferralSettings:
    """The organisation's settings (made with it; unsaved and closed for one
    made some other way: reading never writes)."""
    return OnlineReferralSettings.objects.filter(organisation=organisation).first() or OnlineReferralSettings(
        organisation=organisation
    )


def reply_within_days(organisation: Organisation) -> int:
    """The longest contact target among the organisation's open services:
    the "sent" page's promise, the same for every submitter."""
    found = Service.objects.filter(organisation=organisation, is_active=True).aggregate(
        days=Max("waiting_target_working_days")
    )
    return found["days"] or DEFAULT_REPLY_DAYS


@dataclass(frozen=True)
class PublicAddress:
    kind: str
    label: str
    url: str
    link_text: str

    @property
    def qr_svg_data_uri(self) -> str:
        """A QR code of the address, as an SVG data URI (the CSP allows data: images)."""
        return segno.make(self.url, error="m").svg_data_uri(scale=6, dark="#000", light="#fff")

    @property
    def snippet(self) -> str:
        """The HTML a charity pastes on its website."""
        return f'<a href="{self.url}">{self.link_text}</a>'


def public_addresses(request: HttpRequest, organisation: Organisation) -> list[PublicAddress]:
    """Both forms' full addresses, as this server is reached."""
    return [
        PublicAddress(
            FormKind.SELF,
            FormKind.SELF.label,
            request.build_absolute_uri(reverse("online_referrals:self", args=[organisation.slug])),
            f"Refer yourself to {organisation.name}",
        ),
        PublicAddress(
            FormKind.PROFESSIONAL,
            FormKind.PROFESSIONAL.label,
            request.build_absolute_uri(reverse("online_referrals:professional", args=[organisation.slug])),
            f"Refer a family to {organisation.name} (professionals)",
        ),
    ]


def held_to_check(user) -> QuerySet[OnlineSubmission]:
    return (
        OnlineSubmission.objects.visible_to(user)
        .to_check()
        .select_related("referral", "service")
        .order_by("received_at", "pk")
    )


def spam_held(user) -> QuerySet[OnlineSubmission]:
    return OnlineSubmission.objects.visible_to(user).filter(outcome=Outcome.SPAM).order_by("-received_at", "-pk")


def spam_held_count(user) -> int:
    return spam_held(user).count()
