"""What has become due: each rule reads the domain state with a few
set-based queries and yields ``Due`` reminders; ``reminders_write`` turns
them into outbox rows, one per recipient and channel, keyed so that
finding the same reminder due again (tomorrow's scan, a re-run, a second
beat) writes nothing new.

Reminders about a parent whose processing is restricted (UK GDPR Art. 18)
are not written: every rule about a family filters them out.

Keys name the occasion, not the day of the scan: ``pvg-renewal:<id>:<renewal
date>:3m`` is the same row every day of the three-month window, and a new
renewal date makes a new reminder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from math import ceil

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from operations.core.dates import short_date, weekday_date
from operations.core.models import Membership, Role, Service
from operations.core.working_days import subtract_working_days
from operations.notifications import group_messages, visit_messages
from operations.notifications.models import Channel, Notification, NotificationPreference
from operations.notifications.reminder_settings import ReminderConfig
from operations.notifications.services import enqueue_send
from referrals.models import Child, Referral
from referrals.workflow import OPEN_STATUSES
from referrals.workflow import Status as ReferralStatus
from volunteers import fitness
from volunteers.matching.models import OPEN_MATCH_STATUSES, ContactLog, Match, Visit
from volunteers.models import PvgRecord, Status, SupervisorPairing, TrainingRecord, VolunteerProfile, VolunteerSettings
from volunteers.safeguarding.models import Concern, ConcernStatus


@dataclass(frozen=True)
class Due:
    key: str
    kind: str
    organisation_id: int
    subject: str
    body: str
    link: str = ""
    #: Specific people (a volunteer, their supervisor) …
    user_ids: tuple[int, ...] = ()
    #: … and/or every active member with one of these roles.
    roles: tuple[str, ...] = ()
    about: object | None = field(default=None, compare=False)


_PLACEHOLDER = 987654321


@cache
def _link_template(name: str) -> str:
    return reverse(name, args=[_PLACEHOLDER])


def link(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])``, resolved once per name: a scan builds
    thousands of links."""
    return _link_template(name).replace(str(_PLACEHOLDER), str(pk))


def coordinators() -> tuple[str, ...]:
    return (Role.COORDINATOR,)


def month_days(months: int) -> int:
    """A reminder "N months before" counts a month as 31 days, so it is never late."""
    return 31 * months


def whole_days(hours: int) -> int:
    """Visits are planned by day (the time is optional), so hours round up to days."""
    return ceil(hours / 24)


# --- Volunteers and PSOs ------------------------------------------------------


def pvg_renewals(today: dt.date, config: ReminderConfig | None = None) -> Iterator[Due]:
    """Coordinator: PVG renewal 3 months and 1 month before it is due (by default)."""
    config = config or ReminderConfig.load()
    horizon = today + dt.timedelta(days=month_days(config.widest("pvg_first_months_before")))
    records = PvgRecord.objects.filter(
        renewal_due__gte=today, renewal_due__lte=horizon, profile__status__in=_working_statuses()
    ).select_related("profile")
    for record in records:
        settings = config.of(record.profile.organisation_id)
        for months in (settings.pvg_first_months_before, settings.pvg_second_months_before):
            label = f"{months}m"
            if record.renewal_due <= today + dt.timedelta(days=month_days(months)):
                yield Due(
                    key=f"pvg-renewal:{record.pk}:{record.renewal_due}:{label}",
                    kind=f"pvg_renewal_{label}",
                    organisation_id=record.profile.organisation_id,
                    subject="A PVG membership is due for renewal",
                    body=f"Volunteer record {record.profile_id}: PVG renewal due on {short_date(record.renewal_due)}.",
                    link=link("volunteers:detail", record.profile_id),
                    roles=coordinators(),
                    about=record.profile,
                )


def training_expiring(today: dt.date, config: ReminderConfig | None = None) -> Iterator[Due]:
    """Coordinator: required training expiring within 30 days by default (unless renewed)."""
    config = config or ReminderConfig.load()
    renewed = TrainingRecord.objects.filter(
        profile_id=OuterRef("profile_id"), course_id=OuterRef("course_id"), completed_on__gt=OuterRef("completed_on")
    )
    records = (
        TrainingRecord.objects.filter(
            expires_on__gte=today,
            expires_on__lte=today + dt.timedelta(days=config.widest("training_days_before")),
            course__is_required=True,
            profile__status__in=_working_statuses(),
        )
        .exclude(Exists(renewed))
        .select_related("profile", "course")
    )
    for record in records:
        if record.expires_on > today + dt.timedelta(
            days=config.of(record.profile.organisation_id).training_days_before
        ):
            continue
        yield Due(
            key=f"training-expiring:{record.pk}:{record.expires_on}",
            kind="training_expiring",
            organisation_id=record.profile.organisation_id,
            subject="Required training is expiring",
            body=(
                f"Volunteer record {record.profile_id}: {record.course.name} expires on "
                f"{short_date(record.expires_on)}."
            ),
            link=link("volunteers:detail", record.profile_id),
            roles=coordinators(),
            about=record.profile,
        )


def supervision_due(today: dt.date, config: ReminderConfig | None = None) -> Iterator[Due]:
    """Volunteer and supervisor: supervision due within 7 days (by default), and overdue."""
    config = config or ReminderConfig.load()
    intervals = dict(VolunteerSettings.objects.values_list("organisation_id", "supervision_interval_weeks"))
    supervisors = dict(
        SupervisorPairing.objects.filter(ended_on__isnull=True).values_list("volunteer_id", "supervisor_id")
    )
    profiles = (
        VolunteerProfile.objects.filter(status=Status.ACTIVE)
        .annotate(last_supervised_on=Max("supervision_sessions__held_on"))
        .only("pk", "organisation_id", "user_id", "active_since")
    )
    for profile in profiles:
        next_due = fitness.next_supervision_due(
            last_supervised_on=profile.last_supervised_on,
            active_since=profile.active_since,
            interval_weeks=intervals.get(profile.organisation_id, 6),
        )
        days_before = config.of(profile.organisation_id).supervision_days_before
        if next_due is None or next_due > today + dt.timedelta(days=days_before):
            continue
        overdue = next_due < today
        recipients = tuple(uid for uid in (profile.user_id, supervisors.get(profile.pk)) if uid)
        yield Due(
            key=f"supervision-{'overdue' if overdue else 'due'}:{profile.pk}:{next_due}",
            kind="supervision_overdue" if overdue else "supervision_due",
            organisation_id=profile.organisation_id,
            subject="Supervision is overdue" if overdue else "Supervision is due soon",
            body=f"Supervision for volunteer record {profile.pk} was due on {short_date(next_due)}."
            if overdue
            else f"Supervision for volunteer record {profile.pk} is due on {short_date(next_due)}.",
            link=link("volunteers:detail", profile.pk),
            user_ids=recipients,
            about=profile,
        )


# --- Referrals -----------------------------------------------------------------


def eligibility_ending(today: dt.date, config: ReminderConfig | None = None) -> Iterator[Due]:
    """Coordinator and the matched volunteers: a parent's support ends in 8
    weeks, then in 4 by default (plan the ending)."""
    config = config or ReminderConfig.load()
    horizon = today + dt.timedelta(weeks=config.widest("eligibility_first_weeks_before"))
    referrals = list(
        Referral.objects.filter(
            status__in=OPEN_STATUSES,
            eligibility_end__gte=today,
            eligibility_end__lte=horizon,
            parent__processing_restricted=False,
        ).only("pk", "organisation_id", "eligibility_end")
    )
    volunteers: dict[int, list[int]] = {}
    for referral_id, user_id in Match.objects.filter(
        referral_id__in=[referral.pk for referral in referrals], status__in=OPEN_MATCH_STATUSES
    ).values_list("referral_id", "volunteer__user_id"):
        volunteers.setdefault(referral_id, []).append(user_id)
    for referral in referrals:
        settings = config.of(referral.organisation_id)
        for weeks in (settings.eligibility_first_weeks_before, settings.eligibility_second_weeks_before):
            label = f"{weeks}w"
            if referral.eligibility_end <= today + dt.timedelta(weeks=weeks):
                yield Due(
                    key=f"eligibility-end:{referral.pk}:{referral.eligibility_end}:{label}",
                    kind=f"eligibility_end_{label}",
                    organisation_id=referral.organisation_id,
                    subject="Support is ending: plan the ending",
                    body=f"Referral {referral.pk}: eligibility ends on {short_date(referral.eligibility_end)}.",
                    link=link("referrals:referral-detail", referral.pk),
                    roles=coordinators(),
                    user_ids=tuple(volunteers.get(referral.pk, ())),
                    about=referral,
                )


def births_to_confirm(today: dt.date, config: ReminderConfig | None = None) -> Iterator[Due]:
    """Coordinator: a due date passed more than two weeks ago (by default) with no birth recorded."""
    config = config or ReminderConfig.load()
    children = Child.objects.filter(
        birth_date__isnull=True,
        loss_date__isnull=True,
        parent__processing_restricted=False,
        due_date__lt=today - dt.timedelta(days=config.narrowest("birth_overdue_days")),
    )
    for child in children.select_related("parent").only("pk", "due_date", "parent__organisation_id", "parent_id"):
        if child.due_date >= today - dt.timedelta(days=config.of(child.parent.organisation_id).birth_overdue_days):
            continue
        yield Due(
            key=f"confirm-birth:{child.pk}:{child.due_date}",
            kind="birth_to_confirm",
            organisation_id=child.parent.organisation_id,
            subject="Please confirm a birth",
            body=f"Family record {child.parent_id}: due {short_date(child.due_date)}, no birth recorded yet.",
            link=link("referrals:parent-detail", child.parent_id),
            roles=coordinators(),
            about=child.parent,
        )


def referrals_not_contacted(today: dt.date, config: ReminderConfig | None = None) -> Iterator[Due]:
    """Coordinator: a referral not contacted within its service's target (working days)."""
    late = Q(pk__in=[])
    for service_id, target in Service.objects.values_list("pk", "waiting_target_working_days"):
        late |= Q(service_id=service_id, received_on__lt=subtract_working_days(today, target))
    for referral in Referral.objects.filter(
        late, status=ReferralStatus.RECEIVED, parent__processing_restricted=False
    ).only("pk", "organisation_id"):
        yield Due(
            key=f"not-contacted:{referral.pk}",
            kind="referral_not_contacted",
            organisation_id=referral.organisation_id,
            subject="A referral is waiting to be contacted",
            body=f"Referral {referral.pk} has not been contacted within the service's target.",
            link=link("referrals:referral-detail", referral.pk),
            roles=coordinators(),
            about=referral,
        )


# --- Matches, visits and contact logs --------------------------------------------


def visits_tomorrow(today: dt.date, config: ReminderConfig | None = None) -> Iterator[Due]:
    """Volunteer: a planned visit, the day before by default (at the scan's hour)."""
    config = config or ReminderConfig.load()
    visits = Visit.objects.filter(
        cancelled=False,
        planned_for__gt=today,
        planned_for__lte=today + dt.timedelta(days=whole_days(config.widest("visit_hours_before"))),
        match__status__in=OPEN_MATCH_STATUSES,
        match__parent__processing_restricted=False,
    ).select_related("match__volunteer")
    for visit in visits:
        days_before = whole_days(config.of(visit.organisation_id).visit_hours_before)
        if visit.planned_for > today + dt.timedelta(days=days_before):
            continue
        yield Due(
            key=f"visit-tomorrow:{visit.pk}:{visit.planned_for}",
            kind="visit_reminder",
            organisation_id=visit.organisation_id,
            subject="A visit tomorrow" if visit.planned_for == today + dt.timedelta(days=1) else "A visit soon",
            body=f"You have a visit planned for {weekday_date(visit.planned_for)}"
            + (f" at {visit.at_time:%H:%M}." if visit.at_time else "."),
            link=link("matching:match-detail", visit.match_id),
            user_ids=(visit.match.volunteer.user_id,),
            about=visit,
        )


def contact_logs_missing(today: dt.date, config: ReminderConfig | None = None) -> Iterator[Due]:
    """Volunteer: no contact logged within 48 hours (by default) after a planned visit."""
    config = config or ReminderConfig.load()
    logged = ContactLog.objects.filter(match_id=OuterRef("match_id"), contact_date__gte=OuterRef("planned_for"))
    # Visits older than the window plus 12 days are not chased any more.
    visits = (
        Visit.objects.filter(
            cancelled=False,
            planned_for__lte=today - dt.timedelta(days=whole_days(config.narrowest("contact_log_hours_after"))),
            planned_for__gte=today - dt.timedelta(days=whole_days(config.widest("contact_log_hours_after")) + 12),
            match__status__in=OPEN_MATCH_STATUSES,
            match__parent__processing_restricted=False,
        )
        .exclude(Exists(logged))
        .select_related("match__volunteer")
    )
    for visit in visits:
        days_after = whole_days(config.of(visit.organisation_id).contact_log_hours_after)
        if visit.planned_for > today - dt.timedelta(days=days_after):
            continue
        yield Due(
            key=f"log-missing:{visit.pk}",
            kind="contact_log_missing",
            organisation_id=visit.organisation_id,
            subject="Please log your visit",
            body=f"No contact is logged since the visit planned for {weekday_date(visit.planned_for)}.",
            link=link("matching:contact-log-new", visit.match_id),
            user_ids=(visit.match.volunteer.user_id,),
            about=visit,
        )


def match_reviews_due(today: dt.date, config: ReminderConfig | None = None) -> Iterator[Due]:
    """Coordinator: a match's review (every 3 months by default) is due, or
    due within the organisation's days of notice (none by default)."""
    config = config or ReminderConfig.load()
    horizon = today + dt.timedelta(days=config.widest("match_review_days_before"))
    matches = Match.objects.filter(
        status__in=OPEN_MATCH_STATUSES,
        next_review_on__isnull=False,
        next_review_on__lte=horizon,
        parent__processing_restricted=False,
    ).only("pk", "organisation_id", "next_review_on")
    for match in matches:
        notice = config.of(match.organisation_id).match_review_days_before
        if match.next_review_on > today + dt.timedelta(days=notice):
            continue
        yield Due(
            key=f"match-review:{match.pk}:{match.next_review_on}",
            kind="match_review_due",
            organisation_id=match.organisation_id,
            subject="A match review is due",
            body=f"Match {match.pk} is due for review on {short_date(match.next_review_on)}.",
            link=link("matching:match-detail", match.pk),
            roles=coordinators(),
            about=match,
        )


def quiet_matches(today: dt.date, config: ReminderConfig | None = None) -> Iterator[Due]:
    """Coordinators and the volunteer's supervisor: an open match with no
    contact logged for 21 days (by default). Counted from the last contact,
    or from the start or the confirmation when there is none; the key holds
    that date, so each quiet spell is reminded once and a contact logged
    later starts a new one."""
    config = config or ReminderConfig.load()
    cutoff = today - dt.timedelta(days=config.narrowest("quiet_match_days"))
    matches = (
        Match.objects.filter(status__in=OPEN_MATCH_STATUSES, parent__processing_restricted=False)
        .annotate(last_contact=Max("contact_logs__contact_date"))
        .filter(
            Q(last_contact__lte=cutoff)
            | Q(last_contact__isnull=True, started_on__lte=cutoff)
            | Q(last_contact__isnull=True, started_on__isnull=True, confirmed_at__lt=_day_after(cutoff))
        )
        .only("pk", "organisation_id", "volunteer_id", "started_on", "confirmed_at")
    )
    supervisors = dict(
        SupervisorPairing.objects.filter(ended_on__isnull=True).values_list("volunteer_id", "supervisor_id")
    )
    for match in matches:
        since = match.last_contact or match.started_on or timezone.localdate(match.confirmed_at)
        days = config.of(match.organisation_id).quiet_match_days
        if since > today - dt.timedelta(days=days):
            continue
        supervisor = supervisors.get(match.volunteer_id)
        yield Due(
            key=f"quiet-match:{match.pk}:{since}",
            kind="quiet_match",
            organisation_id=match.organisation_id,
            subject="A match has gone quiet",
            body=f"Match {match.pk}: no contact logged since {short_date(since)}"
            + ("" if match.last_contact else " (no contact logged yet)")
            + ". Please check in with the volunteer.",
            link=link("matching:match-detail", match.pk),
            roles=coordinators(),
            user_ids=(supervisor,) if supervisor else (),
            about=match,
        )


def _day_after(day: dt.date) -> dt.datetime:
    """Midnight (local) after ``day``: "confirmed on or before ``day``" as a datetime bound."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0)))


# --- Concerns --------------------------------------------------------------------


def concern_follow_ups(today: dt.date, config: ReminderConfig | None = None) -> Iterator[Due]:
    """The owner of a planned concern, on its follow-up date (or at the
    next scan after it, if one was missed), once per concern and date: a new
    plan with a new date is a new reminder. Not filtered for a parent whose
    processing is restricted: a restriction never stops safeguarding."""
    concerns = Concern.objects.filter(status=ConcernStatus.PLANNED, follow_up_on__lte=today, owner__isnull=False).only(
        "pk", "organisation_id", "owner_id", "follow_up_on"
    )
    for concern in concerns:
        yield Due(
            key=f"concern-follow-up:{concern.pk}:{concern.follow_up_on}",
            kind="concern_follow_up",
            organisation_id=concern.organisation_id,
            subject=f"Concern #{concern.pk}: follow-up due",
            body=f"Concern #{concern.pk}: the follow-up you own is due on {short_date(concern.follow_up_on)}. "
            "Open it to record what happened or close it.",
            link=link("safeguarding:concern-detail", concern.pk),
            user_ids=(concern.owner_id,),
            about=concern,
        )


def _working_statuses() -> list[str]:
    return [Status.APPLICANT, Status.IN_TRAINING, Status.ACTIVE, Status.PAUSED]


#: The rules of this module the daily scan runs (``scan.RULES`` adds the
#: outcome measures' from ``due_outcomes``), each given the day and the
#: organisations' reminder settings. Each rule's name is its on/off switch in
#: ``reminder_settings.SWITCHES``.
Rule = Callable[[dt.date, ReminderConfig | None], Iterable[Due]]
RULES: list[Rule] = [
    pvg_renewals,
    training_expiring,
    supervision_due,
    eligibility_ending,
    births_to_confirm,
    referrals_not_contacted,
    visits_tomorrow,
    contact_logs_missing,
    match_reviews_due,
    quiet_matches,
    concern_follow_ups,
]


# --- Writing -------------------------------------------------------------------


def reminders_write(dues: Iterable[Due], *, now: dt.datetime | None = None, enqueue: bool = False) -> int:
    """Writes one outbox row per (reminder, recipient, channel); rows that
    exist already (same key) are skipped by the database. Returns how many
    rows were new."""
    now = now or timezone.now()
    dues = list(dues)
    if not dues:
        return 0
    organisation_ids = {due.organisation_id for due in dues}
    members_by_role: dict[tuple[int, str], list[int]] = {}
    for organisation_id, role, user_id in Membership.objects.filter(
        organisation_id__in=organisation_ids, is_active=True
    ).values_list("organisation_id", "role", "user_id"):
        members_by_role.setdefault((organisation_id, role), []).append(user_id)
    # Everyone gets reminders in the app, and by email unless they turned it off.
    email_off = set(NotificationPreference.objects.filter(email=False).values_list("user_id", flat=True))
    # Keys first (cheap strings); rows are built only for keys not yet
    # written, so a re-run over thousands of due reminders stays light.
    # Recipients and key endings are worked out once per organisation and
    # role (and once per person): a scan plans tens of thousands of keys.
    recipients_of: dict[tuple, list[int]] = {}
    endings_of: dict[int, list[tuple[str, str]]] = {}
    planned: list[tuple[str, Due, int, str]] = []
    for due in dues:
        group = (due.organisation_id, due.roles, due.user_ids)
        recipients = recipients_of.get(group)
        if recipients is None:
            people = set(due.user_ids)
            for role in due.roles:
                people.update(members_by_role.get((due.organisation_id, role), []))
            recipients = recipients_of[group] = sorted(people)
        for user_id in recipients:
            endings = endings_of.get(user_id)
            if endings is None:
                channels = [Channel.IN_APP.value] + ([] if user_id in email_off else [Channel.EMAIL.value])
                endings = endings_of[user_id] = [(f":{user_id}:{channel}", channel) for channel in channels]
            for ending, channel in endings:
                planned.append((due.key + ending, due, user_id, channel))
    missing = missing_keys([key for key, *_ in planned])
    content_types: dict[type, ContentType] = {}
    new_rows = []
    for key, due, user_id, channel in planned:
        if key not in missing:
            continue
        about_type = None
        if due.about is not None:
            model = type(due.about)
            about_type = content_types.setdefault(model, ContentType.objects.get_for_model(model))
        new_rows.append(
            Notification(
                key=key,
                kind=due.kind,
                channel=channel,
                organisation_id=due.organisation_id,
                recipient_user_id=user_id,
                subject=due.subject[:200],
                body=due.body,
                link=due.link,
                due_at=now,
                about_type=about_type,
                about_id=str(due.about.pk) if due.about is not None else "",
            )
        )
    # ignore_conflicts: a concurrent scan that wrote the same key first wins, harmlessly.
    Notification.objects.bulk_create(new_rows, batch_size=2000, ignore_conflicts=True)
    if enqueue and new_rows:
        # Urgent rows go to a worker when the cause commits (the sweep is the safety net).
        ids = list(Notification.objects.filter(key__in=[row.key for row in new_rows]).values_list("pk", flat=True))
        transaction.on_commit(lambda: [enqueue_send(notification_id) for notification_id in ids])
    return len(new_rows)


def _session_reminders(now: dt.datetime, config: ReminderConfig) -> int:
    def hours_before(organisation_id: int) -> int | None:
        settings = config.of(organisation_id)
        return settings.session_hours_before if settings.is_on("session_reminders") else None

    return group_messages.session_reminders_write(
        now=now, hours_before=hours_before, horizon_hours=config.widest("session_hours_before")
    )


def _parent_visit_reminders(now: dt.datetime, config: ReminderConfig) -> int:
    return visit_messages.parent_visit_reminders_write(
        now=now, is_on=lambda organisation_id: config.is_on(organisation_id, "parent_visit_reminders")
    )


#: Reminders to parents, written by their own app with the parent's safe
#: contact (they are not addressed to users, so they do not go through Due).
PARENT_WRITERS: list[Callable[[dt.datetime, ReminderConfig], int]] = [_session_reminders, _parent_visit_reminders]


def missing_keys(keys: list[str]) -> set[str]:
    """Which of ``keys`` the outbox does not hold yet. On PostgreSQL the keys
    travel as one text split on the server and only the missing ones come
    back (none on a re-run); elsewhere IN lists in chunks."""
    if not keys:
        return set()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                # Keys are our own strings of ids, dates and labels: never a newline.
                "SELECT wanted FROM unnest(string_to_array(%s, E'\\n')) AS wanted "  # noqa: S608
                f"WHERE NOT EXISTS (SELECT 1 FROM {Notification._meta.db_table} WHERE key = wanted)",
                ["\n".join(keys)],
            )
            return {row[0] for row in cursor.fetchall()}
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found.update(Notification.objects.filter(key__in=keys[start : start + 500]).values_list("key", flat=True))
    return set(keys) - found


# --- Urgent: written with their cause (a concern's: ``concerns``) ---------------


def safety_alert_raised(alert) -> None:
    """Coordinators of the organisation, at once, in the app and by email.
    Neutral words: the family's record number and a link, never the answer
    or the measure, which stay in the record."""
    reminders_write(
        [
            Due(
                key=f"safety-alert:{alert.pk}",
                kind="safety_alert",
                organisation_id=alert.organisation_id,
                subject="A safety alert needs your attention",
                body=f"An assessment for family record {alert.parent_id} needs a coordinator's attention today. "
                "Please open the record and record the action taken.",
                link=link("referrals:parent-detail", alert.parent_id),
                roles=coordinators(),
                about=alert,
            )
        ],
        enqueue=True,
    )


# --- Written with their cause, not urgent -------------------------------------------


def match_confirmed(*, match_id: int) -> None:
    """The volunteer or PSO of a newly confirmed match, in the app and by
    email. Email leaves the service: the words name no family (no name, no
    contact details); the link opens the match, where the volunteer sees who
    and how to get in touch safely."""
    match = Match.objects.select_related("volunteer", "referral__service").get(pk=match_id)
    reminders_write(
        [
            Due(
                key=f"match-confirmed:{match.pk}",
                kind="match_confirmed",
                organisation_id=match.organisation_id,
                subject="You have been matched with a new parent",
                body=f"A coordinator has matched you with a new parent ({match.referral.service.name}, "
                f"match #{match.pk}). Open the match to see who they are and how to contact them safely.",
                link=link("matching:match-detail", match.pk),
                user_ids=(match.volunteer.user_id,),
                about=match,
            )
        ],
        enqueue=True,
    )


def volunteer_break_changed(*, profile_id: int, event_id: int) -> None:
    """A volunteer or PSO paused herself from matching, or came back early:
    the organisation's coordinators and her supervisor (if she has one), in
    the app and by email. Neutral words that name nobody and never her
    reason (coordinators read it on her record, through the link). Keyed by
    the audit event, so each occasion is told once."""
    profile = VolunteerProfile.objects.get(pk=profile_id)
    supervisors = tuple(
        SupervisorPairing.objects.filter(volunteer_id=profile_id, ended_on__isnull=True).values_list(
            "supervisor_id", flat=True
        )
    )
    if profile.on_break:
        kind = "volunteer_break"
        subject = "A volunteer is taking a break from matching"
        body = (
            f"A volunteer (record {profile.pk}) has paused new matches for a while and is back in matching on "
            f"{short_date(profile.unavailable_until)}. Their current families are not changed: open the record "
            "to see more."
        )
    else:
        kind = "volunteer_back"
        subject = "A volunteer is back in matching"
        body = f"A volunteer (record {profile.pk}) has ended their break early and is back in matching today."
    reminders_write(
        [
            Due(
                key=f"volunteer-break:{event_id}",
                kind=kind,
                organisation_id=profile.organisation_id,
                subject=subject,
                body=body,
                link=link("volunteers:detail", profile.pk),
                roles=coordinators(),
                user_ids=supervisors,
                about=profile,
            )
        ],
        enqueue=True,
    )
