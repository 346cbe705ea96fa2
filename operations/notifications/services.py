"""Writes for the outbox. Rules that decide *what* is due live with their
domain; they call ``notification_write`` with a key that names the reminder
uniquely (kind, object, occasion), so finding it due twice writes it once."""

from __future__ import annotations

import logging
from datetime import datetime

import kombu.exceptions
import redis.exceptions
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.models import Membership, Organisation, Role, User
from operations.notifications import channels, rules, safety
from operations.notifications.models import (
    Channel,
    DeliveryStatus,
    MessageTemplate,
    Notification,
    ReminderSettings,
    Status,
)
from operations.notifications.reminder_settings import SWITCHES
from referrals.models import Parent
from referrals.services import check_not_restricted

logger = logging.getLogger(__name__)

# What a publish raises when the broker cannot be reached (Redis, or a
# filesystem folder that is missing); anything else is a bug and propagates.
BROKER_ERRORS = (kombu.exceptions.OperationalError, redis.exceptions.ConnectionError, OSError)


class RetryLater(channels.TransientSendError):
    """A transient failure was recorded; the row is due again after a delay."""

    def __init__(self, message: str, *, delay_seconds: int) -> None:
        super().__init__(message)
        self.delay_seconds = delay_seconds


def notification_write(
    *,
    key: str,
    kind: str,
    channel: str,
    organisation: Organisation,
    subject: str,
    body: str,
    due_at: datetime | None = None,
    recipient_user: User | None = None,
    recipient_address: str = "",
    recipient_parent: Parent | None = None,
    names_service: bool = False,
    about: models.Model | None = None,
    link: str = "",
) -> tuple[Notification, bool]:
    """Writes one outbox row unless its key exists; returns (row, created).

    Call it inside the transaction that caused it (a concern, an alert): the
    row commits with its cause, and a row due now is handed to a worker
    once the transaction commits. Refused for a parent whose processing is
    restricted: nothing new is written about them."""
    if recipient_parent is not None:
        check_not_restricted(recipient_parent, field="recipient_parent")
    due_at = due_at or timezone.now()
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                key=key,
                kind=kind,
                channel=channel,
                organisation=organisation,
                subject=subject[:200],
                body=body,
                due_at=due_at,
                recipient_user=recipient_user,
                recipient_address=recipient_address,
                recipient_parent=recipient_parent,
                names_service=names_service,
                about_type=ContentType.objects.get_for_model(about) if about is not None else None,
                about_id=str(about.pk) if about is not None else "",
                link=link,
            )
    except IntegrityError:
        return Notification.objects.get(key=key), False
    if due_at <= timezone.now():
        transaction.on_commit(lambda: enqueue_send(notification.pk))
    return notification, True


def enqueue_send(notification_id: int) -> bool:
    """Hands a row to a worker. If the broker is down the row simply stays
    pending and the sweep sends it when the broker is back: a web request
    never fails because of the broker."""
    from operations.notifications.tasks import send_notification

    try:
        send_notification.apply_async(
            (notification_id,),
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5},
        )
    except BROKER_ERRORS as exc:
        logger.warning(
            "notification %s left for the sweep: broker unavailable (%s)", notification_id, type(exc).__name__
        )
        return False
    return True


def notification_send(*, notification_id: int, now: datetime | None = None) -> str:
    """Claims one due row, sends it and records the outcome.

    The claim is a conditional UPDATE (pending and due → sending): of two
    workers given the same row, exactly one claims it. Returns the status."""
    now = now or timezone.now()
    if not notification_claim(notification_id=notification_id, now=now):
        return "not-claimed"
    return notification_deliver_claimed(notification_id=notification_id, now=now)


def notification_claim(*, notification_id: int, now: datetime) -> bool:
    """pending and due → sending, for exactly one caller."""
    return bool(
        Notification.objects.filter(pk=notification_id, status=Status.PENDING, due_at__lte=now).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def notification_deliver_claimed(*, notification_id: int, now: datetime) -> str:
    """Delivers a row this caller claimed. A message to a parent is checked
    against her record first (``safety.verdict_for``), with her row locked
    until the provider has answered: a change to her contact safety saved
    meanwhile waits for this send, and any later send sees it."""
    notification = Notification.objects.select_related("recipient_user").get(pk=notification_id)

    if (
        notification.channel == Channel.SMS
        and rules.waits_for_morning(notification.kind, now)
        and not settings.NOTIFICATION_IGNORE_QUIET_HOURS
    ):
        # The row waits for the morning; the attempt does not count.
        Notification.objects.filter(pk=notification.pk).update(
            status=Status.PENDING, due_at=rules.end_of_quiet_hours(now), attempts=F("attempts") - 1, claimed_at=None
        )
        return Status.PENDING

    failure: channels.TransientSendError | channels.PermanentSendError | None = None
    with transaction.atomic():
        if notification.recipient_parent_id is not None:
            parent = Parent.objects.select_for_update().get(pk=notification.recipient_parent_id)
            verdict = safety.verdict_for(
                channel=notification.channel, names_service=notification.names_service, parent=parent
            )
            if not verdict.allowed:
                _withhold(notification, verdict)
                return Status.CANCELLED
            notification.recipient_address = verdict.address
        try:
            provider_message_id = _deliver(notification)
        except (channels.TransientSendError, channels.PermanentSendError) as exc:
            failure = exc
        else:
            Notification.objects.filter(pk=notification.pk, status=Status.SENDING).update(
                status=Status.SENT,
                sent_at=timezone.now(),
                last_error="",
                provider_message_id=(provider_message_id or "")[:100],
            )
    if failure is not None:
        permanent = isinstance(failure, channels.PermanentSendError)
        return _record_failure(notification, str(failure), permanent=permanent, now=now)
    return Status.SENT


def _withhold(notification: Notification, verdict: safety.Verdict) -> None:
    """Cancels a message that is no longer safe to send, with the reason,
    and asks the coordinators in the app to reach the parent another way
    (by record number: nothing personal in the notification)."""
    cancelled = Notification.objects.filter(pk=notification.pk, status__in=[Status.PENDING, Status.SENDING]).update(
        status=Status.CANCELLED, cancelled_reason=verdict.reason[:200], claimed_at=None
    )
    if not cancelled:
        return
    logger.info("notification %s cancelled before delivery: %s", notification.pk, verdict.reason)
    if not verdict.tell_coordinators:
        return
    organisation = Organisation(pk=notification.organisation_id)
    channel = safety.CHANNEL_NAMES.get(notification.channel, notification.channel)
    record = f"parent #{notification.recipient_parent_id}"
    coordinators = Membership.objects.active().filter(
        organisation_id=notification.organisation_id, role=Role.COORDINATOR
    )
    for user_id in coordinators.order_by("user_id").values_list("user_id", flat=True):
        notification_write(
            key=f"withheld-{notification.pk}-coordinator-{user_id}",
            kind="message_withheld",
            channel=Channel.IN_APP,
            organisation=organisation,
            recipient_user=User(pk=user_id),
            subject=f"A message to {record} was not sent",
            body=(
                f'{channel} message "{notification.subject}" to {record} was cancelled before it went: '
                f"{verdict.reason} Please reach them another way."
            ),
            link=reverse("referrals:parent-detail", args=[notification.recipient_parent_id]),
        )


def notifications_recheck_for_parent(*, parent_id: int) -> int:
    """Cancels at once every waiting message to a parent that her record no
    longer allows (called when her contact safety changes, her processing is
    restricted or her record is erased). Rows being sent right now are
    checked by their sender, which waits for her row. Returns how many."""
    parent = Parent.objects.get(pk=parent_id)
    cancelled = 0
    waiting = Notification.objects.filter(recipient_parent_id=parent_id, status=Status.PENDING).order_by("pk")
    for notification in waiting:
        verdict = safety.verdict_for(
            channel=notification.channel, names_service=notification.names_service, parent=parent
        )
        if not verdict.allowed:
            _withhold(notification, verdict)
            cancelled += 1
    return cancelled


def notifications_forget_parent(*, parent_id: int) -> None:
    """Erasure: every message still waiting for the parent is cancelled, and
    the address and wording of every message to them, sent or not, goes; the
    rows stay, without anything personal, for the counts."""
    Notification.objects.filter(recipient_parent_id=parent_id, status=Status.PENDING).update(
        status=Status.CANCELLED, cancelled_reason="The parent's record was erased.", claimed_at=None
    )
    Notification.objects.filter(recipient_parent_id=parent_id).update(
        recipient_address="", subject="(erased)", body="", last_error=""
    )


def _deliver(notification: Notification) -> str | None:
    """Hands the message to its channel; returns the provider's message id
    when the channel has one (an SMS provider's, for its delivery receipt)."""
    if notification.channel == Channel.IN_APP:
        return None  # delivered by being marked sent: the bell shows it
    address = notification.recipient_address
    if not address and notification.recipient_user is not None:
        address = notification.recipient_user.email if notification.channel == Channel.EMAIL else ""
    if not address:
        raise channels.PermanentSendError("no address for this channel")
    if notification.channel == Channel.EMAIL:
        message = channels.Outgoing(
            key=notification.key, to=address, subject=notification.subject, body=notification.body
        )
        channels.send_email(message)
        return None
    message = channels.Outgoing(
        key=notification.key,
        to=address,
        subject=notification.subject,
        body=notification.body,
        sender=sms_sender_for(notification.organisation_id),
    )
    return channels.send_sms(message)


def sms_sender_for(organisation_id: int) -> str:
    """Who an organisation's texts come from: its own SMS number, else the
    default sender (SMS_SENDER). (Never a volunteer's number.)"""
    number = (
        ReminderSettings.objects.filter(organisation_id=organisation_id).values_list("sms_number", flat=True).first()
    )
    return number or settings.SMS_SENDER


def _record_failure(notification: Notification, error: str, *, permanent: bool, now: datetime) -> str:
    if permanent or notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        Notification.objects.filter(pk=notification.pk).update(status=Status.FAILED, last_error=error[:300])
        logger.warning("notification %s failed after %s attempts", notification.pk, notification.attempts)
        return Status.FAILED
    delay = rules.retry_delay(notification.attempts)
    Notification.objects.filter(pk=notification.pk).update(
        status=Status.PENDING, last_error=error[:300], claimed_at=None, due_at=now + delay
    )
    raise RetryLater(error, delay_seconds=int(delay.total_seconds()))


@transaction.atomic
def notification_record_receipt(
    *, provider_message_id: str, delivered: bool, detail: str = "", at: datetime | None = None, reference: str = ""
) -> bool:
    """Records a provider's delivery receipt on the text it is about, found
    by the provider's message id (or by our outbox key, ``reference``, when
    the receipt came before the outbox kept the id). Delivered is final: a
    late or repeated receipt never moves a delivered text back. Returns
    whether a row changed (a receipt for a text we do not know changes nothing)."""
    texts = Notification.objects.filter(channel=Channel.SMS)
    rows = texts.filter(provider_message_id=provider_message_id) if provider_message_id else texts.none()
    if reference and not rows.exists():
        rows = texts.filter(key=reference, provider_message_id__in=["", provider_message_id])
    rows = rows.exclude(delivery_status=DeliveryStatus.DELIVERED)
    if delivered:
        changes = {
            "delivery_status": DeliveryStatus.DELIVERED,
            "delivered_at": at or timezone.now(),
            "delivery_detail": "",
        }
    else:
        changes = {"delivery_status": DeliveryStatus.FAILED, "delivery_detail": detail[:200]}
    return bool(rows.update(provider_message_id=provider_message_id[:100], **changes))


def notification_sweep(*, now: datetime | None = None, batch: int = 1000) -> int:
    """Offers again rows whose worker died mid-send, then hands every due
    pending row to a worker, a batch at a time until the backlog is empty
    (after an outage, recovery is bounded by the workers, not by one batch a
    minute). Enqueuing a row twice is harmless: only one claim succeeds.
    Returns how many rows were enqueued."""
    now = now or timezone.now()
    stale = now - timezone.timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS)
    Notification.objects.filter(status=Status.SENDING, claimed_at__lt=stale).update(
        status=Status.PENDING, claimed_at=None
    )
    enqueued = 0
    after: tuple[datetime, int] | None = None
    while True:
        due = Notification.objects.due(now).order_by("due_at", "pk")
        if after is not None:
            # Rows stay pending until a worker claims them: read on from the last one handed out.
            due = due.filter(Q(due_at__gt=after[0]) | Q(due_at=after[0], pk__gt=after[1]))
        rows = list(due.values_list("due_at", "pk")[:batch])
        for _, notification_id in rows:
            if not enqueue_send(notification_id):
                return enqueued  # broker down: the next sweep tries again
            enqueued += 1
        if len(rows) < batch:
            return enqueued
        after = rows[-1]


@transaction.atomic
def notification_retry(*, notification: Notification) -> None:
    """A coordinator's retry of a failed row: back to pending, due now."""
    updated = Notification.objects.filter(pk=notification.pk, status=Status.FAILED).update(
        status=Status.PENDING, attempts=0, due_at=timezone.now(), claimed_at=None
    )
    if updated:
        transaction.on_commit(lambda: enqueue_send(notification.pk))


def notification_mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    inbox = Notification.objects.inbox_of(user).filter(read_at__isnull=True)
    if notification_ids is not None:
        inbox = inbox.filter(pk__in=notification_ids)
    return inbox.update(read_at=timezone.now())


@transaction.atomic
def reminder_settings_save(*, form, actor: User) -> ReminderSettings:
    """Saves a valid ``ReminderSettingsForm`` and audits what changed (names
    and values of settings only: nothing personal)."""
    reminder_settings = form.save()
    changed = [name for name in form.changed_data if name != "send"]
    # Said in the form's words ("Hours before a visit: 24"), not as field names.
    summary = ", ".join(f"{form.fields[name].label}: {form.cleaned_data[name]}" for name in changed)
    if "send" in form.changed_data:
        off = ", ".join(SWITCHES.get(name, name) for name in reminder_settings.turned_off) or "none"
        summary = f"{summary}; turned off: {off}" if summary else f"turned off: {off}"
    audit_log(
        action=AuditAction.CHANGE,
        actor=actor,
        obj=reminder_settings,
        summary=f"Reminder settings: {summary or 'saved unchanged'}",
    )
    return reminder_settings


@transaction.atomic
def message_template_save(*, form, actor: User) -> MessageTemplate:
    """Saves a valid ``MessageTemplateForm`` (a new template, a translation
    or a change) and audits it by message and language: the wording is the
    organisation's, not personal, but the log says what changed, not the words."""
    created = form.instance.pk is None
    template = form.save()
    audit_log(
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        actor=actor,
        obj=template,
        summary=f"Message template {'added' if created else 'changed'}: {template.audit_name}",
    )
    return template


@transaction.atomic
def message_template_delete(*, template: MessageTemplate, actor: User) -> None:
    """Removes a template: that message goes in the English template or the built-in wording again."""
    audit_log(
        action=AuditAction.DELETE,
        actor=actor,
        obj=template,
        summary=f"Message template removed: {template.audit_name}",
    )
    template.delete()
