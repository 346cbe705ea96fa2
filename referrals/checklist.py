"""What must be on a parent's record before they can be matched.

A pure reading of the parent's own fields (no query), so the referral page,
the API and any list can show it for every row at no cost. Safe contact is
also enforced by ``referral_transition``; the consents and the lawful basis
are asked for here so a coordinator sees the gap before a volunteer does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse

if TYPE_CHECKING:
    from referrals.models import Parent


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    #: What the item is, as the page lists it.
    label: str
    done: bool
    #: What to do about it while it is missing, in the coordinator's words.
    missing: str
    fix_url: str
    fix_label: str


def safe_contact_recorded(parent: Parent) -> bool:
    """Safe contact was asked and answered: some channels, or "none is safe:
    contact through the referrer". Only the contact-safety form records it."""
    return parent.contact_safety_recorded_at is not None


def intake_checklist(parent: Parent, *, referral_pk: int | None = None) -> list[ChecklistItem]:
    """Each thing asked at intake, done or not, with where to fix it (and,
    from a referral's page, the way back to it once saved)."""
    back = f"?referral={referral_pk}" if referral_pk else ""
    safety_url = reverse("referrals:parent-contact-safety", args=[parent.pk]) + back
    edit_url = reverse("referrals:parent-edit", args=[parent.pk]) + back
    return [
        ChecklistItem(
            key="safe_contact",
            label="Safe contact recorded",
            done=safe_contact_recorded(parent),
            missing="Record which channels are safe for the parent, or that none is safe "
            "(contact through the referrer).",
            fix_url=safety_url,
            fix_label="Record safe contact",
        ),
        ChecklistItem(
            key="contact_consent",
            label="Consent to be contacted",
            done=parent.contact_consent_given_on is not None,
            missing="Record the day the parent agreed to be contacted.",
            fix_url=f"{edit_url}#id_contact_consent_given_on",
            fix_label="Edit the parent's details",
        ),
        ChecklistItem(
            key="lawful_basis",
            label="Lawful basis for health data recorded",
            done=bool(parent.lawful_basis_article6 and parent.lawful_basis_article9),
            missing="Record the Article 6 basis and the Article 9 condition for health data.",
            fix_url=f"{edit_url}#id_lawful_basis_article6",
            fix_label="Edit the parent's details",
        ),
        ChecklistItem(
            key="evaluation_consent",
            label="Evaluation consent asked",
            done=parent.evaluation_consent_asked_on is not None or parent.evaluation_consent_given_on is not None,
            missing="Ask the parent whether they agree to take part in evaluation, and record the answer.",
            fix_url=f"{edit_url}#id_evaluation_consent_asked_on",
            fix_label="Edit the parent's details",
        ),
    ]


def missing_before_matching(parent: Parent) -> list[str]:
    """What is still missing before the parent can be matched, as plain sentences."""
    return [item.missing for item in intake_checklist(parent) if not item.done]
