"""A coordinator texts a parent or a volunteer from their record: a quick
text (``MessageTemplate`` of purpose ``text_from_staff``, in the parent's
language) or her own words. Always through the outbox (``notification_write``):
the parent's record is asked again just before it goes (``safety``), a STOP
from that number is honoured at the same place, and it comes from the
organisation's number (``services.sms_sender_for``), never anyone's own.

Refused, with nothing written, when a text is not safe for the parent
(``contact_permissions``) or there is no mobile number to send to; in the
quiet hours it is written to go at their end."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.models import Organisation, User
from operations.notifications import optout, rules
from operations.notifications.message_templates import TemplateBook
from operations.notifications.models import Channel, MessagePurpose, MessageTemplate, Notification
from operations.notifications.numbers import normalise_number
from operations.notifications.services import notification_write
from referrals.contact import contact_permissions
from referrals.models import Parent
from volunteers.models import VolunteerProfile

KIND = "text_from_staff"
#: Three text messages at most: a longer message is a call or a visit.
MAX_LENGTH = 459


@dataclass(frozen=True)
class StaffText:
    notification: Notification
    #: When it goes, if the quiet hours hold it; None when it goes now.
    held_until: datetime | None


def parent_sms_refusal(parent: Parent) -> str:
    """Why a text may not go to ``parent`` now, and what to do ('' when it may)."""
    if parent.erased_at is not None:
        return "Her record was erased: nobody contacts her."
    if parent.processing_restricted:
        return "Processing of her record is restricted: no message can be sent. A manager can lift the restriction."
    permissions = contact_permissions(parent)
    if not permissions.recorded:
        return "Nothing is recorded as safe for her yet: ask her how to contact her and record it under Safe contact."
    if permissions.through_referrer:
        return "No channel is safe for her: contact her through her referrer."
    if parent.sms_stopped_at is not None or optout.sms_stopped(parent.phone):
        return (
            "She texted STOP: no texts go to her until she texts START, "
            "or you record on her page that she has agreed to texts again."
        )
    if not parent.safe_sms:
        others = permissions.safe_channel_words
        where = f"use a safe way instead ({others})" if others else "contact her through her referrer"
        return f"Text messages are not recorded as safe for her: {where}, or record her new consent under Safe contact."
    if not normalise_number(parent.phone):
        return "Her record has no mobile number a text can go to: add it under Edit details."
    return ""


def volunteer_sms_refusal(profile: VolunteerProfile) -> str:
    """Why a text may not go to a volunteer ('' when it may)."""
    if not normalise_number(profile.phone):
        return "Their record has no mobile number a text can go to: add it to their details first."
    if optout.sms_stopped(profile.phone):
        return "Their number texted STOP: no texts go to it until it texts START. Call or email them instead."
    return ""


def quick_text_names(organisation_id: int) -> list[str]:
    """The organisation's quick texts by name (each may have several languages)."""
    names = MessageTemplate.objects.filter(organisation_id=organisation_id, purpose=MessagePurpose.QUICK_TEXT)
    return sorted(set(names.values_list("name", flat=True)))


def quick_text_for(*, organisation_id: int, name: str, language: str, first_name: str) -> str:
    """A quick text in the recipient's language (else English), filled in."""
    book = TemplateBook(organisation_id=organisation_id, purpose=MessagePurpose.QUICK_TEXT, name=name)
    if not book.by_language:
        return ""
    return book.render(language=language, named=False, values={"first_name": first_name})[1]


def held_until(now: datetime) -> datetime | None:
    """When a text written at ``now`` goes: None (at once) outside the quiet hours."""
    return rules.end_of_quiet_hours(now) if rules.in_quiet_hours(now) else None


def when_it_goes(held: datetime | None, now: datetime) -> str:
    """ "It will go at 08:00 tomorrow." in the words a coordinator reads."""
    if held is None:
        return "It is being sent now."
    local, today = timezone.localtime(held), timezone.localtime(now).date()
    day = "tomorrow" if local.date() > today else "today"
    return f"It is the quiet hours: it will go at {local:%H:%M} {day}."


def _body_errors(body: str) -> str:
    if not body:
        return "Write the message, or choose a quick text."
    if len(body) > MAX_LENGTH:
        return f"Keep it to {MAX_LENGTH} characters (three text messages); this is {len(body)}."
    return ""


@transaction.atomic
def staff_text_send(
    *,
    actor: User,
    body: str,
    parent: Parent | None = None,
    profile: VolunteerProfile | None = None,
    token: str = "",
    now: datetime | None = None,
) -> StaffText:
    """Writes a coordinator's text to a parent or a volunteer into the
    outbox, once per ``token`` (the form's: a second press of Send writes
    nothing more). Raises ValidationError (``body``, or the refusal as a
    non-field error) with nothing written."""
    if (parent is None) == (profile is None):
        raise ValueError("Text either a parent or a volunteer.")
    now = now or timezone.now()
    body = body.strip()
    if problem := _body_errors(body):
        raise ValidationError({"body": problem})
    if parent is not None:
        # Her row is locked: a change to her safe contact saved meanwhile waits, and the outbox sees it.
        parent = Parent.objects.select_for_update().get(pk=parent.pk)
        if refusal := parent_sms_refusal(parent):
            raise ValidationError(refusal)
        organisation_id = parent.organisation_id
        address = normalise_number(parent.phone)
        record = f"parent #{parent.pk}"
        link = reverse("referrals:parent-detail", args=[parent.pk])
    else:
        if refusal := volunteer_sms_refusal(profile):
            raise ValidationError(refusal)
        organisation_id = profile.organisation_id
        address = normalise_number(profile.phone)
        record = f"volunteer #{profile.pk}"
        link = reverse("volunteers:detail", args=[profile.pk])
    held = held_until(now)
    notification, created = notification_write(
        key=f"text-from-staff:{organisation_id}:{token or uuid.uuid4()}",
        kind=KIND,
        channel=Channel.SMS,
        organisation=Organisation(pk=organisation_id),
        # What the timeline shows: the start of the words.
        subject=body if len(body) <= 60 else f"{body[:59]}…",
        body=body,
        due_at=held or now,
        recipient_user=profile.user if profile is not None else None,
        recipient_address=address,
        recipient_parent=parent,
        # She may be named by the coordinator's own words only where her record allows naming the service.
        names_service=parent is not None and parent.may_name_service,
        about=parent or profile,
        link=link,
    )
    if not created and notification.body != body:
        # The same form sent again with other words (the browser's Back): not a repeat of the first.
        raise ValidationError("This form was sent already: open Send a text again to write another message.")
    if created:
        audit_log(
            action=AuditAction.CREATE,
            actor=actor,
            obj=notification,
            summary=f"Text message to {record} written from the record"
            + (" (held for the end of the quiet hours)" if held else ""),
        )
    return StaffText(notification=notification, held_until=held)
