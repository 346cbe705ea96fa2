"""Writes of word back to the referrer. Every message is an outbox row
(``notification_write``) written in the transaction that caused it, with a
key that names it: an update's key is the referral and the moment, so the
same move seen twice (a retry, a second path, the receiver run again)
writes one message; a note's key comes from the form, so a double
submission sends one note."""

from __future__ import annotations

import logging
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from operations.core.audit import AuditAction, audit_log
from operations.core.dates import short_date
from operations.core.models import User
from operations.notifications.models import Channel, Notification
from operations.notifications.services import notification_write
from operations.referrer_updates import status_link, waits, wording
from operations.referrer_updates.models import ReferrerUpdate, ReferrerUpdateSettings
from operations.referrer_updates.selectors import settings_for
from operations.referrer_updates.wording import Event
from referrals.for_referrers import CLOSED_REASON_FOR_REFERRER, initial_of, referral_reference
from referrals.models import Referral
from referrals.services import check_not_restricted

logger = logging.getLogger(__name__)

NOTE_MAX_LENGTH = 2000
#: A note's form key: the hex of a UUID made when the form was shown.
NOTE_KEY = re.compile(r"^[0-9a-f]{32}$")


def why_no_updates(referral: Referral) -> str:
    """Why nothing can go to this referral's referrer ("" when it can), in
    words for the coordinator. Needs ``referral.referrer`` and ``.parent``."""
    if not referral.referrer_updates_consent:
        return "The parent has not agreed that the referrer may hear how the referral goes."
    if referral.referrer is None:
        return "The referral has no referrer from the directory."
    if not referral.referrer.is_active:
        return "The referrer is no longer active in the directory."
    if not referral.referrer.email:
        return "The referrer has no work email in the directory."
    if referral.parent.processing_restricted:
        return "Processing of the parent's record is restricted: nothing is sent about it."
    if referral.parent.erased_at is not None:
        return "The parent's record has been erased."
    return ""


def _values(referral: Referral) -> dict[str, str]:
    return {
        "reference": referral_reference(referral.pk),
        "initial": initial_of(referral.parent.first_name),
        "service": referral.service.name,
        "organisation": referral.organisation.name,
        "status_link": status_link.status_url(referral_id=referral.pk, referrer_id=referral.referrer_id),
        "link_expires": short_date(status_link.link_expires_on()),
    }


def _usable(text: str, default: str, *, allowed: dict[str, str]) -> str:
    """A stored wording, or the standard one if it no longer reads (changed
    outside the settings page): a referral's move never fails for a typo."""
    if wording.wording_errors(text, allowed=allowed):
        logger.warning("referrer update wording not usable, the standard wording was used")
        return default
    return text


def _message(referral: Referral, *, template: str, default: str, extra: dict[str, str]) -> tuple[str, str]:
    config = settings_for(referral.organisation_id)
    values = {**_values(referral), **extra}
    allowed = {**wording.COMMON_PLACEHOLDERS, **dict.fromkeys(extra, "")}
    subject = wording.fill(
        _usable(config.subject_wording, wording.DEFAULT_SUBJECT, allowed=wording.SUBJECT_PLACEHOLDERS), values
    )
    text = _usable(template, default, allowed=allowed)
    parts = [wording.fill(text, values).strip()]
    if "{status_link}" not in text:
        parts.append(wording.fill(wording.FOOTER_LINK, values))
    parts.append(wording.fill(wording.FOOTER_END, values))
    return " ".join(subject.split()), "\n\n".join(parts)


def _write(
    referral: Referral, *, key: str, kind: str, event: str, subject: str, body: str, sent_by=None, note: str = ""
) -> ReferrerUpdate | None:
    notification, created = notification_write(
        key=key,
        kind=kind,
        channel=Channel.EMAIL,
        organisation=referral.organisation,
        subject=subject,
        body=body,
        recipient_address=referral.referrer.email,
        about=referral,
        link=reverse("referrals:referral-detail", args=[referral.pk]),
    )
    if not created:
        return None
    return ReferrerUpdate.objects.create(
        organisation_id=referral.organisation_id,
        referral=referral,
        event=event,
        notification=notification,
        referrer=referral.referrer,
        note=note,
        sent_by=sent_by,
    )


@transaction.atomic
def referrer_update_write(*, referral_id: int, event: str) -> ReferrerUpdate | None:
    """Writes the update for ``event`` to the referral's referrer, once:
    only where the parent agreed, the referrer has a work email and the
    organisation sends updates. Returns the update, or None when nothing
    was written (not allowed, or already written). Called by the receiver
    of ``referral_moved`` inside the move's transaction: it never refuses
    the move, it only stays silent."""
    if event not in wording.AUTOMATIC_EVENTS:
        raise ValueError(f"not an automatic update: {event}")
    referral = Referral.objects.select_related("referrer", "service", "organisation", "parent").get(pk=referral_id)
    if why_no_updates(referral) or not settings_for(referral.organisation_id).send_updates:
        return None
    if ReferrerUpdate.objects.filter(referral_id=referral.pk, event=event).exists():
        return None
    extra: dict[str, str] = {}
    if event == Event.WAITING:
        extra["typical_wait"] = wording.typical_wait_sentence(waits.typical_wait_days(service_id=referral.service_id))
    if event == Event.CLOSED:
        extra["reason"] = CLOSED_REASON_FOR_REFERRER[referral.status]
    subject, body = _message(
        referral,
        template=settings_for(referral.organisation_id).wording_for(event),
        default=wording.DEFAULT_WORDING[event],
        extra=extra,
    )
    return _write(
        referral,
        key=f"referrer-update:{referral.pk}:{event}",
        kind="referrer_update",
        event=event,
        subject=subject,
        body=body,
    )


@transaction.atomic
def referrer_note_send(*, actor: User, referral: Referral, text: str, key: str) -> ReferrerUpdate:
    """A coordinator's free-text note to the referral's referrer, through
    the outbox; audited (the record, never the text). Refused where no
    update may go (no agreement, no work email, processing restricted).
    ``key`` is the form's: the same key twice sends the note once."""
    referral = Referral.objects.select_related("referrer", "service", "organisation", "parent").get(pk=referral.pk)
    check_not_restricted(referral.parent, field="text")
    problem = why_no_updates(referral)
    if problem:
        raise ValidationError({"text": f"{problem} No note can be sent."})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the note to the referrer."})
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError({"text": f"Keep the note to {NOTE_MAX_LENGTH} characters."})
    if not NOTE_KEY.match(key or ""):
        raise ValidationError({"text": "The form has expired: open the referral again and write the note."})
    existing = ReferrerUpdate.objects.filter(notification__key=f"referrer-note:{referral.pk}:{key}").first()
    if existing is not None:
        return existing
    subject, framed = _message(referral, template=wording.NOTE_WORDING, default=wording.NOTE_WORDING, extra={})
    lead, _, footer = framed.partition("\n\n")
    update = _write(
        referral,
        key=f"referrer-note:{referral.pk}:{key}",
        kind="referrer_note",
        event=Event.NOTE,
        subject=subject,
        body=f"{lead}\n\n{text}\n\n{footer}",
        sent_by=actor,
        note=text,
    )
    if update is None:  # written by a request that finished meanwhile
        return ReferrerUpdate.objects.get(notification__key=f"referrer-note:{referral.pk}:{key}")
    # The note may describe the person: the audit names the record only.
    audit_log(action=AuditAction.CREATE, actor=actor, obj=referral, summary="Note sent to the referrer")
    return update


def referrer_update_settings_create(*, organisation_id: int) -> ReferrerUpdateSettings:
    """A new organisation's settings: updates on, the standard wording."""
    return ReferrerUpdateSettings.objects.get_or_create(organisation_id=organisation_id)[0]


@transaction.atomic
def referrer_update_settings_save(*, form, actor: User) -> ReferrerUpdateSettings:
    """Saves a valid ``ReferrerUpdateSettingsForm``; the audit names what
    changed (the wording itself is the organisation's, not personal)."""
    row = form.save()
    changed = ", ".join(form.changed_data) or "nothing"
    audit_log(action=AuditAction.CHANGE, actor=actor, obj=row, summary=f"Referrer update wording: changed {changed}")
    return row


def referrer_updates_forget_parent(*, parent_id: int) -> None:
    """Erasure: the wording of every message to the referrers of the
    parent's referrals goes (notes may describe her), and waiting ones are
    cancelled; the log keeps which moments were told, and when."""
    from operations.notifications.models import Status

    updates = ReferrerUpdate.objects.filter(referral__parent_id=parent_id)
    notifications = Notification.objects.filter(pk__in=updates.exclude(notification=None).values("notification_id"))
    notifications.filter(status=Status.PENDING).update(
        status=Status.CANCELLED, cancelled_reason="The parent's record was erased.", claimed_at=None
    )
    notifications.update(subject="(erased)", body="", last_error="")
    updates.update(note="")
