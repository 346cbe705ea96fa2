"""Messages about transfers of a family between organisations (issue 24),
written in the transaction of the step that causes them: the receiving
organisation's coordinators when a family is proposed (or the proposal is
withdrawn), the proposing coordinator when it is accepted or declined, and
the volunteers whose matches the transfer ended.

The words name no family and no reason: the transfer's number, the other
organisation and where to open it. Keys name the transfer and the step, so
a step announced twice writes its messages once."""

from __future__ import annotations

from operations.core.models import Role
from operations.notifications.due import Due, link, reminders_write
from referrals.models import Transfer, TransferStatus
from volunteers.matching.models import Match


def transfer_changed(*, transfer_id: int) -> None:
    transfer = Transfer.objects.select_related("sending_organisation", "receiving_organisation").get(pk=transfer_id)
    sending, receiving = transfer.sending_organisation, transfer.receiving_organisation
    url = link("referrals:transfer-detail", transfer.pk)
    if transfer.status == TransferStatus.PROPOSED:
        due = Due(
            key=f"transfer-proposed:{transfer.pk}",
            kind="transfer_proposed",
            organisation_id=receiving.pk,
            subject="A family may be transferred to your organisation",
            body=f"{sending.name} proposes to transfer a family moving to your area (transfer #{transfer.pk}). "
            "Open it to see what they ask and to accept or decline.",
            link=url,
            roles=(Role.COORDINATOR,),
            about=transfer,
        )
    elif transfer.status == TransferStatus.WITHDRAWN:
        due = Due(
            key=f"transfer-withdrawn:{transfer.pk}",
            kind="transfer_withdrawn",
            organisation_id=receiving.pk,
            subject="A proposed transfer was withdrawn",
            body=f"{sending.name} withdrew the transfer they proposed (transfer #{transfer.pk}). Nothing to do.",
            link=url,
            roles=(Role.COORDINATOR,),
            about=transfer,
        )
    else:
        accepted = transfer.status == TransferStatus.ACCEPTED
        due = Due(
            key=f"transfer-answered:{transfer.pk}",
            kind="transfer_accepted" if accepted else "transfer_declined",
            organisation_id=sending.pk,
            subject="Your transfer was accepted" if accepted else "Your transfer was declined",
            body=(
                f"{receiving.name} accepted the family (transfer #{transfer.pk}); "
                "the referral is closed as transferred."
                if accepted
                else f"{receiving.name} declined the transfer (transfer #{transfer.pk}); the referral stays open "
                "with you. Open it to read why."
            ),
            link=url,
            user_ids=(transfer.proposed_by_id,) if transfer.proposed_by_id else (),
            roles=() if transfer.proposed_by_id else (Role.COORDINATOR,),
            about=transfer,
        )
    reminders_write([due], enqueue=True)


def matches_ended_by_transfer(*, match_ids: list[int]) -> None:
    """Each volunteer or PSO whose match ended because the family moved to another organisation."""
    dues = [
        Due(
            key=f"match-ended-transfer:{match.pk}",
            kind="match_ended_transfer",
            organisation_id=match.organisation_id,
            subject="One of your matches has ended",
            body=f"The family of match #{match.pk} moved to another organisation's area and their support continues "
            "there, so the match has ended. Thank you for your support.",
            link=link("matching:match-detail", match.pk),
            user_ids=(match.volunteer.user_id,),
            about=match,
        )
        for match in Match.objects.filter(pk__in=match_ids).select_related("volunteer")
    ]
    reminders_write(dues, enqueue=True)
