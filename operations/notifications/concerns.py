"""Messages of the safeguarding loop, written in the transaction of the step
that causes them (the safeguarding signals are sent inside it): a concern
raised, a concern nobody acknowledged in time, and the raiser told that it
was heard and that it was closed.

Email and SMS leave the service, so their words name no one and say nothing
of what was seen: the concern's number, how urgent it is, and where to open
it. In the app, the parent's and the volunteer's names are added when the
inbox is shown, to a viewer who may see the concern (``concern_names``);
they are never stored in a row.

Every key names the concern and the step (``concern-raised:<pk>:<user>:<channel>``),
so a step announced twice writes its messages once."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from operations.core.models import Membership, Organisation, Role, User
from operations.notifications.models import Channel, Notification
from operations.notifications.services import notification_write
from volunteers.safeguarding.models import Concern, Outcome, SafeguardingSettings, Urgency
from volunteers.safeguarding.services import current_supervisor_id

#: What a message says of a concern's urgency: never what it is about.
URGENCY_WORDS = {
    Urgency.DANGER_NOW: "someone may be in danger now",
    Urgency.TODAY: "it needs a response today",
    Urgency.THIS_WEEK: "it needs a response this week",
}

#: Urgent enough for an SMS to the on-call phone when raised.
SMS_WHEN_RAISED = (Urgency.DANGER_NOW, Urgency.TODAY)


def _active_members(organisation_id: int, user_ids: Iterable[int | None]) -> list[int]:
    """Those of ``user_ids`` still working in the organisation, in a stable order."""
    wanted = {user_id for user_id in user_ids if user_id}
    return sorted(
        Membership.objects.active()
        .filter(organisation_id=organisation_id, user_id__in=wanted)
        .values_list("user_id", flat=True)
        .distinct()
    )


def _members_with_role(organisation_id: int, role: str) -> list[int]:
    return list(
        Membership.objects.active().filter(organisation_id=organisation_id, role=role).values_list("user_id", flat=True)
    )


def _write(
    concern: Concern,
    *,
    step: str,
    user_ids: Iterable[int],
    channels: tuple[str, ...],
    subject: str,
    body: str,
    link: str,
    sms_to: str = "",
) -> None:
    organisation = Organisation(pk=concern.organisation_id)
    for user_id in user_ids:
        for channel in channels:
            notification_write(
                key=f"{step}:{concern.pk}:{user_id}:{channel}",
                kind=step.replace("-", "_"),
                channel=channel,
                organisation=organisation,
                recipient_user=User(pk=user_id),
                subject=subject,
                body=body,
                link=link,
                about=concern,
            )
    if sms_to:
        notification_write(
            key=f"{step}:{concern.pk}:on-call:{Channel.SMS}",
            kind=step.replace("-", "_"),
            channel=Channel.SMS,
            organisation=organisation,
            recipient_address=sms_to,
            subject=subject,
            body=body,
            link=link,
            about=concern,
        )


def _settings(concern: Concern) -> SafeguardingSettings | None:
    return SafeguardingSettings.objects.filter(organisation_id=concern.organisation_id).first()


def concern_raised(concern: Concern) -> None:
    """At once, in the app and by email: the organisation's safeguarding
    leads, the volunteer's current supervisor and the coordinators, but not
    whoever raised it (they know). An urgent concern (danger now, today)
    also goes by SMS to the on-call phone, if one is set.

    By email whatever a person's reminder preference: that preference is
    about reminders, and a concern is not one."""
    config = _settings(concern)
    leads = list(config.leads.values_list("pk", flat=True)) if config else []
    people = _active_members(
        concern.organisation_id,
        [
            *leads,
            current_supervisor_id(concern.volunteer_id),
            *_members_with_role(concern.organisation_id, Role.COORDINATOR),
        ],
    )
    words = URGENCY_WORDS[concern.urgency]
    link = concern.get_absolute_url()
    on_call = config.on_call_phone.strip() if config and concern.urgency in SMS_WHEN_RAISED else ""
    _write(
        concern,
        step="concern-raised",
        user_ids=[user_id for user_id in people if user_id != concern.raised_by_id],
        channels=(Channel.IN_APP, Channel.EMAIL),
        subject=f"Concern #{concern.pk}: {words}",
        body=f"Concern #{concern.pk} — {words}. Open the app to acknowledge it: {link}",
        link=link,
        sms_to=on_call,
    )


def concern_escalated(concern: Concern) -> None:
    """Nobody acknowledged it in time: the organisation's managers and the
    deputy safeguarding lead, in the app and by email; for danger now, the
    on-call phone by SMS too. Once per concern, whatever re-announces it."""
    config = _settings(concern)
    people = _active_members(
        concern.organisation_id,
        [*_members_with_role(concern.organisation_id, Role.MANAGER), config.deputy_id if config else None],
    )
    words = URGENCY_WORDS[concern.urgency]
    link = concern.get_absolute_url()
    on_call = config.on_call_phone.strip() if config and concern.urgency == Urgency.DANGER_NOW else ""
    _write(
        concern,
        step="concern-escalated",
        user_ids=people,
        channels=(Channel.IN_APP, Channel.EMAIL),
        subject=f"Concern #{concern.pk} was not acknowledged in time",
        body=f"Concern #{concern.pk} — {words} — has not been acknowledged in time. "
        f"Open the app to acknowledge it: {link}",
        link=link,
        sms_to=on_call,
    )


def _tell_raiser(concern: Concern, *, step: str, actor_id: int | None, subject: str, body: str) -> None:
    """In the app only, and not when the raiser took the step themself."""
    if concern.raised_by_id is None or concern.raised_by_id == actor_id:
        return
    _write(
        concern,
        step=step,
        user_ids=_active_members(concern.organisation_id, [concern.raised_by_id]),
        channels=(Channel.IN_APP,),
        subject=subject,
        body=body,
        # Their own list: it shows the status, never the notes.
        link=reverse("safeguarding:concern-mine"),
    )


def concern_acknowledged(concern: Concern) -> None:
    """ "Your concern was received by <first name>": who heard it, nothing of what they decided."""
    who = concern.acknowledged_by.first_name if concern.acknowledged_by else ""
    _tell_raiser(
        concern,
        step="concern-acknowledged",
        actor_id=concern.acknowledged_by_id,
        subject=f"Your concern was received by {who}" if who else "Your concern was received",
        body=f"Concern #{concern.pk} was received"
        + (f" by {who}" if who else "")
        + ". Thank you for raising it; they will be in touch if they need more from you.",
    )


def concern_closed(concern: Concern) -> None:
    """That it was closed, and whether action was taken: never the notes or the outcome's detail."""
    action = "no further action was needed" if concern.outcome == Outcome.NO_FURTHER_ACTION else "action was taken"
    _tell_raiser(
        concern,
        step="concern-closed",
        actor_id=concern.closed_by_id,
        subject="Your concern was closed",
        body=f"Concern #{concern.pk} was closed: {action}. Thank you for raising it.",
    )


# --- Naming in the app ------------------------------------------------------------


def concern_names(viewer: User, notifications: Iterable[Notification]) -> dict[int, str]:
    """For each notification about a concern the viewer may see
    (``Concern.objects.visible_to``): "Parent: Ros · Volunteer: Jane Smith",
    by notification id. Worked out when the inbox is shown, so the names
    follow the records (a changed preferred name, a concern no longer
    visible) and never sit in the outbox."""
    concern_type = ContentType.objects.get_for_model(Concern)
    about = {
        notification.pk: int(notification.about_id)
        for notification in notifications
        if notification.about_type_id == concern_type.pk and notification.about_id.isdigit()
    }
    if not about:
        return {}
    concerns = {
        concern.pk: concern
        for concern in Concern.objects.visible_to(viewer)
        .filter(pk__in=set(about.values()))
        .select_related("parent", "volunteer__user")
        .only(
            "pk",
            "parent__first_name",
            "parent__preferred_name",
            "volunteer__user__first_name",
            "volunteer__user__last_name",
            "volunteer__user__username",
        )
    }
    names = {}
    for notification_id, concern_id in about.items():
        concern = concerns.get(concern_id)
        if concern is None:
            continue
        parts = []
        if concern.parent is not None:
            parts.append(f"Parent: {concern.parent.preferred_name or concern.parent.first_name}")
        if concern.volunteer is not None:
            user = concern.volunteer.user
            parts.append(f"Volunteer: {user.get_full_name() or user.username}")
        if parts:
            names[notification_id] = " · ".join(parts)
    return names
