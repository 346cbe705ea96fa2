"""Outcome measures due, to coordinators: a baseline once support has
started, a review every few months while it lasts, and an ending measure
when it ends. Each key names its period (the start date, the date of the
last measure, the referral for the ending), so each is sent once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from operations.core.dates import short_date
from operations.core.months import add_months_rolling_forward
from operations.notifications.due import Due, coordinators, link
from operations.notifications.reminder_settings import ReminderConfig
from operations.outcomes.models import Assessment, Timepoint
from referrals.models import Referral
from referrals.workflow import OPEN_STATUSES
from referrals.workflow import Status as ReferralStatus

# A baseline taken long after support began is no longer a baseline: older
# cases are not chased (this also spares a flood when the feature arrives).
BASELINE_CHASE_DAYS = 28


def _measured(timepoint: str) -> Exists:
    return Exists(Assessment.objects.filter(referral_id=OuterRef("pk"), timepoint=timepoint))


def _due(referral: Referral, *, key: str, kind: str, subject: str, body: str) -> Due:
    return Due(
        key=key,
        kind=kind,
        organisation_id=referral.organisation_id,
        subject=subject,
        body=body,
        link=link("referrals:referral-detail", referral.pk),
        roles=coordinators(),
        about=referral,
    )


def outcome_baseline_due(today: dt.date, config: ReminderConfig | None = None) -> Iterator[Due]:
    """Support started 14 days ago (by default) and no baseline measure is recorded."""
    config = config or ReminderConfig.load()
    referrals = (
        Referral.objects.filter(
            status__in=OPEN_STATUSES,
            parent__processing_restricted=False,
            support_started_on__lte=today - dt.timedelta(days=config.narrowest("outcome_baseline_days")),
            support_started_on__gte=today
            - dt.timedelta(days=config.widest("outcome_baseline_days") + BASELINE_CHASE_DAYS),
        )
        .exclude(_measured(Timepoint.BASELINE))
        .only("pk", "organisation_id", "support_started_on")
    )
    for referral in referrals:
        if referral.support_started_on > today - dt.timedelta(
            days=config.of(referral.organisation_id).outcome_baseline_days
        ):
            continue
        yield _due(
            referral,
            key=f"outcome-baseline:{referral.pk}:{referral.support_started_on}",
            kind="outcome_baseline_due",
            subject="A baseline outcome measure is due",
            body=f"Referral {referral.pk}: support started on {short_date(referral.support_started_on)} "
            "and no baseline measure is recorded.",
        )


def outcome_review_due(today: dt.date, config: ReminderConfig | None = None) -> Iterator[Due]:
    """Support is active and the last measure (or the start, if none) is 3
    months old by default. The key names the last measure's date: one
    reminder per review period."""
    config = config or ReminderConfig.load()
    cutoff = add_months_rolling_forward(today, -config.narrowest("outcome_review_months"))
    referrals = (
        Referral.objects.filter(
            status=ReferralStatus.ACTIVE, support_started_on__isnull=False, parent__processing_restricted=False
        )
        .annotate(last_measured_on=Max("assessments__taken_on"))
        .filter(Q(last_measured_on__lte=cutoff) | Q(last_measured_on__isnull=True, support_started_on__lte=cutoff))
        .only("pk", "organisation_id", "support_started_on")
    )
    for referral in referrals:
        since = referral.last_measured_on or referral.support_started_on
        due_on = add_months_rolling_forward(since, config.of(referral.organisation_id).outcome_review_months)
        if due_on > today:
            continue
        yield _due(
            referral,
            key=f"outcome-review:{referral.pk}:{since}",
            kind="outcome_review_due",
            subject="A review outcome measure is due",
            body=f"Referral {referral.pk}: the last measure was on {short_date(since)}; a review measure was due on "
            f"{short_date(due_on)}."
            if referral.last_measured_on
            else f"Referral {referral.pk}: support started on {short_date(since)}; a review measure was due on "
            f"{short_date(due_on)}.",
        )


def outcome_ending_due(today: dt.date, config: ReminderConfig | None = None) -> Iterator[Due]:
    """Support moved to ending or closed recently (within 28 days by default)
    without an ending measure. Once per referral."""
    config = config or ReminderConfig.load()
    referrals = (
        Referral.objects.filter(
            status__in=[ReferralStatus.ENDING, ReferralStatus.CLOSED],
            support_started_on__isnull=False,
            parent__processing_restricted=False,
            status_changed_at__date__gte=today - dt.timedelta(days=config.widest("outcome_ending_days")),
        )
        .exclude(_measured(Timepoint.ENDING))
        .only("pk", "organisation_id", "status_changed_at")
    )
    for referral in referrals:
        window = dt.timedelta(days=config.of(referral.organisation_id).outcome_ending_days)
        if timezone.localdate(referral.status_changed_at) < today - window:
            continue
        yield _due(
            referral,
            key=f"outcome-ending:{referral.pk}",
            kind="outcome_ending_due",
            subject="An ending outcome measure is due",
            body=f"Referral {referral.pk}: support is ending or has ended; no ending measure is recorded.",
        )


RULES = [outcome_baseline_due, outcome_review_due, outcome_ending_due]
