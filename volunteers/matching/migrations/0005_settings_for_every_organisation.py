"""Every existing organisation gets the matching settings a new one is
created with (reading them no longer creates them)."""

from django.db import migrations


def make_settings(apps, schema_editor):
    Organisation = apps.get_model("core", "Organisation")
    MatchingSettings = apps.get_model("matching", "MatchingSettings")
    missing = Organisation.objects.exclude(matching_settings__isnull=False).values_list("pk", flat=True)
    MatchingSettings.objects.bulk_create([MatchingSettings(organisation_id=pk) for pk in missing])


class Migration(migrations.Migration):
    dependencies = [("matching", "0004_match_eligibility_override"), ("core", "0007_remove_organisation_config_stamp")]

    operations = [migrations.RunPython(make_settings, migrations.RunPython.noop)]
