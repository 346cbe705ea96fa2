"""Scale data for the notification log: a history of sent, failed and
pending notifications across every organisation."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from operations.core.scale import BATCH, ScaleContext
from operations.notifications.models import Channel, Notification, ReminderSettings, Status


def seed(context: ScaleContext) -> None:
    total = context.count("notifications")
    now = timezone.now()
    rng = context.rng
    statuses = [Status.SENT] * 90 + [Status.PENDING] * 6 + [Status.FAILED] * 4
    kinds = ["visit_reminder", "session_reminder", "supervision_due", "pvg_renewal", "eligibility_ending"]
    rows = []
    for index in range(total):
        organisation = context.organisations[index % len(context.organisations)]
        status = rng.choice(statuses)
        due = now - timedelta(days=rng.randint(-14, 3650), minutes=rng.randint(0, 1440))
        rows.append(
            Notification(
                organisation=organisation,
                kind=rng.choice(kinds),
                channel=Channel.IN_APP,
                recipient_user=context.coordinators[organisation.pk],
                subject="Reminder",
                body="A fictional reminder for the benchmark data set.",
                due_at=due,
                key=f"scale-{index}",
                status=status,
                attempts=0 if status == Status.PENDING else 1,
                sent_at=due if status == Status.SENT else None,
                read_at=due if status == Status.SENT and rng.random() < 0.8 else None,
                last_error="provider answered 503" if status == Status.FAILED else "",
            )
        )
        if len(rows) >= BATCH:
            Notification.objects.bulk_create(rows)
            rows = []
    Notification.objects.bulk_create(rows)
    # Every other organisation has changed its reminder settings, so the scan
    # reads a row per organisation and narrows its windows per organisation.
    ReminderSettings.objects.filter(organisation__in=context.organisations[::2]).update(
        training_days_before=45,
        eligibility_first_weeks_before=10,
        eligibility_second_weeks_before=6,
        visit_hours_before=48,
        turned_off=["births_to_confirm"],
    )
    context.log(f"  notifications: {total}, reminder settings for {len(context.organisations[::2])} organisations")
