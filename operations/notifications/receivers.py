"""What the notifications app does on another app's event (a parent's
contact details changed, a concern raised, escalated, acknowledged or
closed, a safety alert raised, a match confirmed, a volunteer's own break, an organisation created,
a group place offered, a session cancelled or moved, a form sent
through the online referral forms): it calls its own
code, which holds the rules."""

from __future__ import annotations

from operations.notifications import (
    concerns,
    due,
    expenses,
    group_messages,
    online_referrals,
    replies,
    services,
    transfers,
)
from operations.notifications.reminder_settings import reminder_settings_create


def recheck_waiting_messages(sender, *, parent_id: int, **kwargs) -> None:
    services.notifications_recheck_for_parent(parent_id=parent_id)


def make_reminder_settings(sender, *, organisation, **kwargs) -> None:
    reminder_settings_create(organisation_id=organisation.pk)


def tell_of_concern(sender, *, concern, **kwargs) -> None:
    concerns.concern_raised(concern)


def tell_of_escalated_concern(sender, *, concern, **kwargs) -> None:
    concerns.concern_escalated(concern)


def tell_raiser_concern_acknowledged(sender, *, concern, **kwargs) -> None:
    concerns.concern_acknowledged(concern)


def tell_raiser_concern_closed(sender, *, concern, **kwargs) -> None:
    concerns.concern_closed(concern)


def tell_coordinators_of_safety_alert(sender, *, alert, **kwargs) -> None:
    due.safety_alert_raised(alert)


def tell_volunteer_of_match(sender, *, match_id: int, **kwargs) -> None:
    due.match_confirmed(match_id=match_id)


def tell_of_volunteer_break(sender, *, profile_id: int, event_id: int, **kwargs) -> None:
    due.volunteer_break_changed(profile_id=profile_id, event_id=event_id)


def tell_parent_of_place(sender, *, booking_id: int, session_id: int, **kwargs) -> None:
    group_messages.place_offered_write(booking_id=booking_id, session_id=session_id)


def tell_attendees_of_session_change(sender, *, session_id: int, cancelled: bool, **kwargs) -> None:
    group_messages.session_change_write(session_id=session_id, cancelled=cancelled)


def tell_of_online_submission(
    sender, *, submission_id: int, acknowledge_to: str, names_service: bool, **kwargs
) -> None:
    online_referrals.online_submission_write(
        submission_id=submission_id, acknowledge_to=acknowledge_to, names_service=names_service
    )


def tell_claimant_of_decision(sender, *, claim_id: int, **kwargs) -> None:
    expenses.claim_decided(claim_id)


def tell_claimants_of_payment(sender, *, batch_id: int, **kwargs) -> None:
    expenses.batch_paid(batch_id)


def act_on_text(sender, *, inbound, **kwargs) -> None:
    replies.text_handle(inbound_id=inbound.pk)


def tell_of_transfer(sender, *, transfer_id: int, **kwargs) -> None:
    transfers.transfer_changed(transfer_id=transfer_id)


def tell_volunteers_of_transfer(sender, *, match_ids: list[int], **kwargs) -> None:
    transfers.matches_ended_by_transfer(match_ids=match_ids)
