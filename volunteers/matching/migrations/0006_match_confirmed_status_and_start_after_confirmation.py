"""A confirmed match reads "Confirmed" (its value was "proposed"), and a
match cannot start before it was confirmed: existing rows that did are
moved to start on the day of confirmation before the constraint is added."""

import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models
from django.db.models import F
from django.utils import timezone


def rename_proposed(apps, schema_editor):
    Match = apps.get_model("matching", "Match")
    Match.objects.filter(status="proposed").update(status="confirmed")


def rename_confirmed_back(apps, schema_editor):
    Match = apps.get_model("matching", "Match")
    Match.objects.filter(status="confirmed").update(status="proposed")


def start_on_confirmation_day(apps, schema_editor):
    Match = apps.get_model("matching", "Match")
    for match in Match.objects.filter(started_on__isnull=False, started_on__lt=F("confirmed_at")).only(
        "pk", "started_on", "confirmed_at"
    ):
        confirmed_on = timezone.localdate(match.confirmed_at)
        if match.started_on < confirmed_on:
            Match.objects.filter(pk=match.pk).update(started_on=confirmed_on)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0007_remove_organisation_config_stamp'),
        ('matching', '0005_settings_for_every_organisation'),
        ('referrals', '0007_eligibility_reasons_read_as_dates'),
        ('volunteers', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='match',
            name='one_open_match_per_parent_and_role',
        ),
        migrations.RunPython(rename_proposed, rename_confirmed_back),
        migrations.RunPython(start_on_confirmation_day, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='match',
            name='status',
            field=models.CharField(choices=[('confirmed', 'Confirmed'), ('introduced', 'Introduced'), ('active', 'Active'), ('ending', 'Ending'), ('ended', 'Ended')], default='confirmed', max_length=20),
        ),
        migrations.AddConstraint(
            model_name='match',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ('confirmed', 'introduced', 'active', 'ending'))), fields=('parent', 'role'), name='one_open_match_per_parent_and_role', violation_error_message='This parent already has an open match in this role.'),
        ),
        migrations.AddConstraint(
            model_name='match',
            constraint=models.CheckConstraint(condition=models.Q(('started_on__isnull', True), ('started_on__gte', django.db.models.functions.comparison.Cast('confirmed_at', output_field=models.DateField())), _connector='OR'), name='match_starts_after_confirmation', violation_error_message='A match cannot start before it was confirmed.'),
        ),
    ]
