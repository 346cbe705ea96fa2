"""What a matched volunteer sees of her family's phone number and address.

The organisation chooses (``MatchingSettings.volunteer_contact_details``):
nothing, as before, the phone number, or the phone number and the address.
Only the volunteer of an open match sees them; a PSO's and staff's pages are
unaffected (staff read the parent's own record). The family page and the API
both read them here, and each time they are shown the audit log says who saw
whose contact details (the record's type and id, never the details)."""

from __future__ import annotations

from dataclasses import dataclass

from operations.core.audit import AuditAction, audit_log
from operations.core.models import Role, active_membership
from referrals.contact import contact_permissions, safe_contact_summary
from volunteers.matching.models import Match, VolunteerContactDetails
from volunteers.matching.selectors import matching_settings_for


@dataclass(frozen=True)
class ParentContactDetails:
    phone: str
    #: Empty unless the organisation shares the address too.
    address: str
    #: The safe-contact answers in words, read next to the number.
    safe_contact: str


def contact_details_for(user, match: Match, *, setting: str | None = None) -> ParentContactDetails | None:
    """The parent's contact details ``user`` may see on ``match``, audited;
    None (and nothing audited) when she may see none. ``setting`` spares the
    read of the organisation's settings when the caller has it already (a
    list of matches)."""
    if setting is None:
        setting = matching_settings_for(match.organisation_id).volunteer_contact_details
    if setting == VolunteerContactDetails.NONE or not match.is_open or match.volunteer.user_id != user.pk:
        return None
    membership = active_membership(user)
    if membership is None or membership.role != Role.VOLUNTEER or membership.organisation_id != match.organisation_id:
        return None
    parent = match.parent
    address = ""
    if setting == VolunteerContactDetails.PHONE_AND_ADDRESS:
        parts = (parent.address_line_1, parent.address_line_2, parent.town, parent.postcode)
        address = ", ".join(part for part in parts if part)
    if not parent.phone and not address:
        return None
    audit_log(
        action=AuditAction.VIEW,
        actor=user,
        obj=parent,
        summary=f"Parent contact details seen by the volunteer of match {match.pk}",
    )
    words = safe_contact_summary(contact_permissions(parent), sender=match.organisation.name)
    return ParentContactDetails(phone=parent.phone, address=address, safe_contact=words)
