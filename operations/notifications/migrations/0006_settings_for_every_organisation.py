"""Every existing organisation gets the reminder settings a new one is
created with (reading them no longer creates them)."""

from django.db import migrations


def make_settings(apps, schema_editor):
    Organisation = apps.get_model("core", "Organisation")
    ReminderSettings = apps.get_model("notifications", "ReminderSettings")
    missing = Organisation.objects.exclude(reminder_settings__isnull=False).values_list("pk", flat=True)
    ReminderSettings.objects.bulk_create([ReminderSettings(organisation_id=pk) for pk in missing])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0005_parent_safety_recheck"), ("core", "0007_remove_organisation_config_stamp")]

    operations = [migrations.RunPython(make_settings, migrations.RunPython.noop)]
