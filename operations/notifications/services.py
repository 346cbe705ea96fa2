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
from django.db.models import F
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.models import Organisation, User
from operations.notifications import channels, rules
from operations.notifications.models import Channel, Notification, ReminderSettings, Status

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
    about: models.Model | None = None,
    link: str = "",
) -> tuple[Notification, bool]:
    """Writes one outbox row unless its key exists; returns (row, created).

    Call it inside the transaction that caused it (a concern, an alert): the
    row commits with its cause, and a row due now is handed to a worker
    once the transaction commits."""
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
    claimed = Notification.objects.filter(pk=notification_id, status=Status.PENDING, due_at__lte=now).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "not-claimed"
    notification = Notification.objects.select_related("recipient_user").get(pk=notification_id)

    if (
        notification.channel == Channel.SMS
        and rules.in_quiet_hours(now)
        and not settings.NOTIFICATION_IGNORE_QUIET_HOURS
    ):
        # The row waits for the morning; the attempt does not count.
        Notification.objects.filter(pk=notification.pk).update(
            status=Status.PENDING, due_at=rules.end_of_quiet_hours(now), attempts=F("attempts") - 1, claimed_at=None
        )
        return Status.PENDING

    try:
        _deliver(notification)
    except channels.TransientSendError as exc:
        return _record_failure(notification, str(exc), permanent=False, now=now)
    except channels.PermanentSendError as exc:
        return _record_failure(notification, str(exc), permanent=True, now=now)
    Notification.objects.filter(pk=notification.pk, status=Status.SENDING).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return Status.SENT


def _deliver(notification: Notification) -> None:
    if notification.channel == Channel.IN_APP:
        return  # delivered by being marked sent: the bell shows it
    address = notification.recipient_address
    if not address and notification.recipient_user is not None:
        address = notification.recipient_user.email if notification.channel == Channel.EMAIL else ""
    if not address:
        raise channels.PermanentSendError("no address for this channel")
    message = channels.Outgoing(key=notification.key, to=address, subject=notification.subject, body=notification.body)
    if notification.channel == Channel.EMAIL:
        channels.send_email(message)
    else:
        channels.send_sms(message)


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


def notification_sweep(*, now: datetime | None = None, batch: int = 1000) -> int:
    """Offers again rows whose worker died mid-send, then hands every due
    pending row to a worker. Enqueuing a row twice is harmless: only one
    claim succeeds. Returns how many rows were enqueued."""
    now = now or timezone.now()
    stale = now - timezone.timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS)
    Notification.objects.filter(status=Status.SENDING, claimed_at__lt=stale).update(
        status=Status.PENDING, claimed_at=None
    )
    due_ids = list(Notification.objects.due(now).order_by("due_at").values_list("pk", flat=True)[:batch])
    for notification_id in due_ids:
        if not enqueue_send(notification_id):
            break  # broker down: the next sweep tries again
    return len(due_ids)


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
def reminder_settings_save(*, form, actor: User, request=None) -> ReminderSettings:
    """Saves a valid ``ReminderSettingsForm`` and audits what changed (names
    and values of settings only: nothing personal)."""
    reminder_settings = form.save()
    changed = [name for name in form.changed_data if name != "send"]
    summary = ", ".join(f"{name}={form.cleaned_data[name]}" for name in changed)
    if "send" in form.changed_data:
        off = ", ".join(reminder_settings.turned_off) or "none"
        summary = f"{summary}; turned off: {off}" if summary else f"turned off: {off}"
    audit_log(
        action=AuditAction.CHANGE,
        actor=actor,
        obj=reminder_settings,
        request=request,
        summary=f"Reminder settings: {summary or 'saved unchanged'}",
    )
    return reminder_settings
