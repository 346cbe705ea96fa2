"""Every existing organisation gets the settings a new one is created with
(reading them never creates them)."""

from django.db import migrations


def make_settings(apps, schema_editor):
    Organisation = apps.get_model("core", "Organisation")
    ReferrerUpdateSettings = apps.get_model("referrer_updates", "ReferrerUpdateSettings")
    missing = Organisation.objects.exclude(referrer_update_settings__isnull=False).values_list("pk", flat=True)
    ReferrerUpdateSettings.objects.bulk_create([ReferrerUpdateSettings(organisation_id=pk) for pk in missing])


class Migration(migrations.Migration):
    dependencies = [("referrer_updates", "0001_initial")]

    operations = [migrations.RunPython(make_settings, migrations.RunPython.noop)]
