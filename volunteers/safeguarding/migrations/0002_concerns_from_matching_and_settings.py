"""Concerns raised before the safeguarding loop existed (matching's
"I have a concern" rows) become concerns about the parent, to be looked at
this week, with their timeline: raised, and for a closed one acknowledged
and closed with the action taken as the note (its outcome was never asked,
so it stays empty). An open one is new: if it was raised more than two days
ago it escalates at the first sweep, because nobody acknowledged it.
Every organisation gets its safeguarding settings."""

import datetime as dt

from django.db import migrations


def copy_concerns(apps, schema_editor):
    Old = apps.get_model("matching", "Concern")
    Concern = apps.get_model("safeguarding", "Concern")
    ConcernEvent = apps.get_model("safeguarding", "ConcernEvent")
    for old in Old.objects.select_related("match").order_by("pk").iterator():
        closed = old.status == "closed"
        concern = Concern.objects.create(
            organisation_id=old.organisation_id,
            parent_id=old.match.parent_id,
            match_id=old.match_id,
            volunteer_id=old.match.volunteer_id,
            about="parent",
            kind="other",
            urgency="this_week",
            details=old.details or "Ticked in a contact log.",
            source="contact_log" if old.contact_log_id else "form",
            contact_log_id=old.contact_log_id,
            raised_by_id=old.raised_by_id,
            raised_at=old.raised_at,
            status="closed" if closed else "new",
            acknowledged_by_id=old.closed_by_id if closed else None,
            acknowledged_at=old.closed_at if closed else None,
            closed_by_id=old.closed_by_id if closed else None,
            closed_at=old.closed_at if closed else None,
            escalate_at=old.raised_at + dt.timedelta(days=2),
        )
        ConcernEvent.objects.create(concern=concern, kind="raised", at=old.raised_at, actor_id=old.raised_by_id)
        if closed:
            ConcernEvent.objects.create(
                concern=concern, kind="acknowledged", at=old.closed_at, actor_id=old.closed_by_id
            )
            ConcernEvent.objects.create(
                concern=concern, kind="closed", at=old.closed_at, actor_id=old.closed_by_id, note=old.action_taken
            )


def make_settings(apps, schema_editor):
    Organisation = apps.get_model("core", "Organisation")
    SafeguardingSettings = apps.get_model("safeguarding", "SafeguardingSettings")
    missing = Organisation.objects.exclude(safeguarding_settings__isnull=False).values_list("pk", flat=True)
    SafeguardingSettings.objects.bulk_create([SafeguardingSettings(organisation_id=pk) for pk in missing])


class Migration(migrations.Migration):
    dependencies = [("safeguarding", "0001_initial")]

    operations = [
        migrations.RunPython(copy_concerns, migrations.RunPython.noop),
        migrations.RunPython(make_settings, migrations.RunPython.noop),
    ]
