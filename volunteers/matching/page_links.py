"""Links this app adds to lower layers' pages (found by
``operations.core.page_links``): the referral page and its triage card show
them without naming matching's URLs."""

from __future__ import annotations

from django.urls import reverse

from operations.core.page_links import PageLink
from referrals.workflow import Status

LINKS = {
    "referral": [
        PageLink(
            label="Find a volunteer or PSO",
            url=lambda referral: reverse("matching:candidates", args=[referral.pk]),
            shown=lambda referral: referral.status in (Status.WAITING, Status.ASSESSED),
        ),
    ],
}
