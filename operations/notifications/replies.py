"""What happens to a text received (the receiver of ``text_received``).

Once per text, whatever runs it twice (the receiver claims the row with a
conditional UPDATE, as the outbox's sender does): the sender is matched
(``senders``), then

- STOP and its kin stop texts to the number at once (``optout``) and
  withhold what is waiting for it; START lifts that;
- YES or NO to the latest session reminder or parent visit reminder sent to
  that parent in the last few days confirms or cancels the booking (the
  place offered to the waiting list, as the groups service does), or
  confirms the visit or asks the volunteer, in the app, to plan it again;
- anything else, or an answer with nothing left to act on, waits in the
  coordinators' inbox (``/messages/``).

A short text answers what was done (kind ``text_reply``), through the
outbox and so through the parent's safe-contact record: no answer where a
text is not safe for her, neutral words unless her record says messages may
name the service. No answer to STOP: nothing more goes to that number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from operations.core.dates import weekday_date
from operations.core.models import Organisation, User
from operations.groups import services as groups
from operations.groups.models import Booking
from operations.notifications import optout, services
from operations.notifications.answers import Answer, answer_of
from operations.notifications.models import Channel, InboundText, Notification, Status, TextHandling
from operations.notifications.senders import Senders, senders_of, stored_forms
from referrals.contact import contact_permissions
from referrals.models import Parent
from volunteers.matching import services as matching
from volunteers.matching.models import Visit

#: How long after a reminder a YES or NO still answers it.
ANSWER_WITHIN = timedelta(days=3)
#: How far back a text to the provider's shared number looks for the organisation that last texted the sender.
SHARED_NUMBER_WITHIN = timedelta(days=30)
#: The reminders a YES or NO answers.
ANSWERED_KINDS = ("session_reminder", "parent_visit_reminder")


@dataclass(frozen=True)
class Done:
    """What was done, for the inbox, and the answer texted back (either wording)."""

    outcome: str
    named: str = ""
    neutral: str = ""
    acted: bool = True


def text_handle(*, inbound_id: int, now: datetime | None = None) -> InboundText | None:
    """Matches and acts on one received text, once; returns it, or None
    when it was already handled (a second run, a retried task)."""
    now = now or timezone.now()
    with transaction.atomic():
        if not InboundText.objects.filter(pk=inbound_id, processed_at__isnull=True).update(processed_at=now):
            return None
        inbound = InboundText.objects.select_for_update().get(pk=inbound_id)
        if inbound.organisation_id is None:
            inbound.organisation_id = _organisation_that_last_texted(inbound.from_number, now)
        senders = (
            senders_of(organisation_id=inbound.organisation_id, number=inbound.from_number)
            if inbound.organisation_id
            else Senders()
        )
        inbound.parent_id = senders.one_parent
        inbound.volunteer_id = senders.one_volunteer
        inbound.candidates = senders.candidates if senders.count > 1 else []
        done = _act(inbound, senders, answer_of(inbound.body), now)
        if done is not None:
            inbound.outcome = done.outcome[:200]
            if done.acted:
                inbound.handling = TextHandling.ACTED
        inbound.save(
            update_fields=["organisation", "parent", "volunteer", "candidates", "outcome", "handling", "processed_at"]
        )
        if done is not None and done.acted and (done.named or done.neutral):
            _answer(inbound, named=done.named, neutral=done.neutral)
    return inbound


def _organisation_that_last_texted(number: str, now: datetime) -> int | None:
    """A text to the provider's shared number (no organisation has it as its
    own) belongs to the organisation that last texted that number."""
    forms = stored_forms(number)
    if not forms:
        return None
    return (
        Notification.objects.filter(
            channel=Channel.SMS,
            status=Status.SENT,
            recipient_address__in=forms,
            sent_at__gte=now - SHARED_NUMBER_WITHIN,
        )
        .order_by("-sent_at", "-pk")
        .values_list("organisation_id", flat=True)
        .first()
    )


def _act(inbound: InboundText, senders: Senders, answer: Answer | None, now: datetime) -> Done | None:
    if answer == Answer.STOP:
        parent_ids = optout.sms_stop(number=inbound.from_number, organisation_id=inbound.organisation_id, now=now)
        services.notifications_withhold_sms_to(number=inbound.from_number, parent_ids=parent_ids)
        return Done(outcome="Texts stopped for this number: nothing more is sent to it by text.")
    if answer == Answer.START:
        optout.sms_start(number=inbound.from_number, organisation_id=inbound.organisation_id)
        words = "Texts are on again. Text STOP at any time to stop them."
        return Done(outcome="Texts started again for this number.", named=words, neutral=words)
    if answer in (Answer.YES, Answer.NO) and senders.parent_ids:
        return _answer_reminder(inbound, senders, answer, now)
    return None


def _answer_reminder(inbound: InboundText, senders: Senders, answer: Answer, now: datetime) -> Done | None:
    reminder = (
        Notification.objects.filter(
            organisation_id=inbound.organisation_id,
            recipient_parent_id__in=senders.parent_ids,
            kind__in=ANSWERED_KINDS,
            channel=Channel.SMS,
            status=Status.SENT,
            sent_at__gte=now - ANSWER_WITHIN,
        )
        .order_by("-sent_at", "-pk")
        .only("pk", "kind", "about_id", "recipient_parent_id")
        .first()
    )
    if reminder is None or not reminder.about_id.isdigit():
        return None
    # The reminder says whose it was, whoever else shares the number.
    inbound.parent_id, inbound.candidates = reminder.recipient_parent_id, []
    if reminder.kind == "session_reminder":
        return _answer_booking(inbound, int(reminder.about_id), answer, now)
    return _answer_visit(inbound, int(reminder.about_id), answer, now, reminder_id=reminder.pk)


def _answer_booking(inbound: InboundText, booking_id: int, answer: Answer, now: datetime) -> Done | None:
    booking = (
        Booking.objects.filter(pk=booking_id, organisation_id=inbound.organisation_id)
        .select_related("session__group")
        .first()
    )
    if booking is None:
        return None
    session = booking.session
    local = timezone.localtime(session.starts_at)
    when = f"{weekday_date(local.date())} at {local:%H:%M}"  # as the reminder said it
    group = session.group.name
    try:
        if answer == Answer.YES:
            groups.booking_confirm(booking=booking, actor=None, now=now)
            return Done(
                outcome=f"Place confirmed for {group}, {when}.",
                named=f"Thank you: your place at {group} on {when} is confirmed.",
                neutral=f"Thank you: your appointment on {when} is confirmed.",
            )
        promoted = groups.booking_cancel(booking=booking, actor=None, now=now)
    except ValidationError as refusal:
        return Done(
            outcome=f"Answered {answer.upper()} to the reminder for {group}, {when}: {_words(refusal)}", acted=False
        )
    offered = " The place was offered to the waiting list." if promoted else ""
    return Done(
        outcome=f"Place cancelled for {group}, {when}.{offered}",
        named=f"Thank you for letting us know: your place at {group} on {when} is cancelled.",
        neutral=f"Thank you for letting us know: your appointment on {when} is cancelled.",
    )


def _answer_visit(
    inbound: InboundText, visit_id: int, answer: Answer, now: datetime, *, reminder_id: int
) -> Done | None:
    visit = (
        Visit.objects.filter(pk=visit_id, organisation_id=inbound.organisation_id)
        .select_related("match__volunteer")
        .first()
    )
    if visit is None:
        return None
    day = weekday_date(visit.planned_for) + (f" at {visit.at_time:%H:%M}" if visit.at_time else "")
    if answer == Answer.YES:
        try:
            matching.visit_confirm_by_parent(visit=visit, now=now)
        except ValidationError as refusal:
            return Done(outcome=f"Answered YES to the reminder of the visit on {day}: {_words(refusal)}", acted=False)
        return Done(
            outcome=f"Visit confirmed for {day}.",
            named=f"Thank you: your visit on {day} is confirmed.",
            neutral=f"Thank you: your appointment on {day} is confirmed.",
        )
    # Asked in the app, once per reminder: the volunteer opens the family's page to plan again.
    services.notification_write(
        key=f"visit-replan-{visit.pk}-{reminder_id}",
        kind="visit_replan",
        channel=Channel.IN_APP,
        organisation=Organisation(pk=visit.organisation_id),
        recipient_user=User(pk=visit.match.volunteer.user_id),
        subject="Please plan a visit again",
        body=f"The family answered NO to the reminder of the visit on {day}: please agree another time with them.",
        link=reverse("matching:match-detail", args=[visit.match_id]),
        about=visit,
    )
    return Done(
        outcome=f"The visit on {day} does not suit: the volunteer was asked to plan it again.",
        named="Thank you for letting us know. We will be in touch to find another time.",
        neutral="Thank you for letting us know. We will be in touch to find another time.",
    )


def _words(refusal: ValidationError) -> str:
    return " ".join(message for message in refusal.messages)


def _answer(inbound: InboundText, *, named: str, neutral: str) -> None:
    """The answer texted back: to the parent through her record (only if a
    text is safe for her), else to a volunteer whose number it is; an
    unknown number gets none."""
    organisation = Organisation(pk=inbound.organisation_id)
    key = f"text-reply-{inbound.pk}"
    if inbound.parent_id is not None:
        parent = Parent.objects.get(pk=inbound.parent_id)
        permissions = contact_permissions(parent)
        if not permissions.allows("sms") or parent.processing_restricted:
            return
        services.notification_write(
            key=key,
            kind="text_reply",
            channel=Channel.SMS,
            organisation=organisation,
            subject="Your reply",
            body=named if permissions.may_name_service else neutral,
            recipient_parent=parent,
            recipient_address=parent.phone,
            names_service=permissions.may_name_service and named != neutral,
            about=inbound,
        )
    elif inbound.volunteer_id is not None:
        services.notification_write(
            key=key,
            kind="text_reply",
            channel=Channel.SMS,
            organisation=organisation,
            subject="Your reply",
            body=neutral,
            recipient_address=inbound.from_number,
            about=inbound,
        )
