"""STOP and START: numbers that asked for no more texts.

A STOP is kept by number (``SmsOptOut``), for the whole system rather than
per organisation: when organisations share the provider's default sender,
the person cannot tell whose text they are stopping, and "stop" must mean
stop. It is checked at the one place every text leaves
(``services.notification_deliver_claimed``), so no path can send to a
stopped number, whatever wrote the message and whenever.

On a parent's record the stop is also written (``Parent.sms_stopped_at``,
"Texts stopped by the parent on 7 Dec 2026"), which ``contact_permissions``
reads: the pages stop offering a text, and ticking "SMS is safe" again on
her record does not lift it. Only the number texting START (or UNSTOP), or
a coordinator recording that she agreed to texts again (an audited action
on her page), lifts it."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.core.dates import short_date
from operations.core.models import User
from operations.notifications.models import SmsOptOut
from operations.notifications.numbers import normalise_number
from operations.notifications.senders import stored_forms
from referrals.models import Parent
from referrals.services import check_not_restricted


def sms_stopped(number: str) -> bool:
    """Whether ``number`` (any form) texted STOP and has not been released since."""
    number = normalise_number(number)
    return bool(number) and SmsOptOut.objects.filter(number=number).exists()


def stopped_reason(number: str) -> str:
    """Why a text to ``number`` is withheld, in words with the date (no number in it)."""
    stopped_at = SmsOptOut.objects.filter(number=normalise_number(number)).values_list("stopped_at", flat=True).first()
    when = f" on {short_date(timezone.localdate(stopped_at))}" if stopped_at else ""
    return f"The number texted STOP{when}: no texts until it texts START or new consent is recorded."


def _set_on_parents(
    number: str, organisation_id: int | None, *, stopped_at: datetime | None, summary: str
) -> list[int]:
    """Writes the stop (or its end) on the records of the organisation's
    parents with this number, auditing each record it changes; returns their ids."""
    if organisation_id is None:
        return []
    parent_ids = list(
        Parent.objects.filter(organisation_id=organisation_id, phone__in=stored_forms(number))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for parent_id in parent_ids:
        changed = Parent.objects.filter(pk=parent_id, sms_stopped_at__isnull=stopped_at is not None).update(
            sms_stopped_at=stopped_at
        )
        if changed:
            audit_log(
                action=AuditAction.CHANGE, obj=Parent(pk=parent_id, organisation_id=organisation_id), summary=summary
            )
    return parent_ids


@transaction.atomic
def sms_stop(*, number: str, organisation_id: int | None, now: datetime | None = None) -> list[int]:
    """Records a STOP from ``number``, at once: the number is stopped, and so
    is every parent of the organisation with that number (on her record).
    Stopping twice keeps the first date. Returns the parents' ids (whose
    waiting texts the caller withholds)."""
    now = now or timezone.now()
    number = normalise_number(number)
    if not number:
        return []
    SmsOptOut.objects.get_or_create(number=number, defaults={"stopped_at": now, "organisation_id": organisation_id})
    return _set_on_parents(
        number, organisation_id, stopped_at=now, summary="Texts stopped by the parent (she texted STOP)"
    )


@transaction.atomic
def sms_start(*, number: str, organisation_id: int | None) -> list[int]:
    """The number texted START: the stop is lifted, for the number and on
    the organisation's parents with it. Whether a text is safe is again what
    each record says ("SMS is safe"). Returns the parents' ids."""
    number = normalise_number(number)
    if not number:
        return []
    SmsOptOut.objects.filter(number=number).delete()
    return _set_on_parents(
        number, organisation_id, stopped_at=None, summary="Texts started again by the parent (she texted START)"
    )


@transaction.atomic
def sms_consent_record(*, parent: Parent, actor: User) -> Parent:
    """A coordinator records that the parent agreed to texts again: her stop
    is lifted, and so is her number's. Refused while her processing is
    restricted; nothing to do when no stop is recorded."""
    locked = Parent.objects.select_for_update().get(pk=parent.pk)
    check_not_restricted(locked, field="parent")
    number = normalise_number(locked.phone)
    stopped = locked.sms_stopped_at is not None or (number and SmsOptOut.objects.filter(number=number).exists())
    if not stopped:
        return locked
    Parent.objects.filter(pk=locked.pk).update(sms_stopped_at=None)
    if number:
        SmsOptOut.objects.filter(number=number).delete()
    audit_log(
        action=AuditAction.CHANGE,
        actor=actor,
        obj=locked,
        summary="Texts agreed again: a coordinator recorded the parent's new consent",
    )
    locked.sms_stopped_at = None
    return locked
