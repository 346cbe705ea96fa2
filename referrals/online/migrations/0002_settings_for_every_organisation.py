"""Every existing organisation gets the settings a new one is created with
(both forms closed): reading them never has to write."""

from django.db import migrations


def make_settings(apps, schema_editor):
    Organisation = apps.get_model("core", "Organisation")
    OnlineReferralSettings = apps.get_model("online_referrals", "OnlineReferralSettings")
    missing = Organisation.objects.exclude(online_referral_settings__isnull=False).values_list("pk", flat=True)
    OnlineReferralSettings.objects.bulk_create([OnlineReferralSettings(organisation_id=pk) for pk in missing])


class Migration(migrations.Migration):
    dependencies = [("online_referrals", "0001_initial")]

    operations = [migrations.RunPython(make_settings, migrations.RunPython.noop)]
