"""Concerns moved to the safeguarding app (safeguarding 0002 copied them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0006_match_confirmed_status_and_start_after_confirmation"),
        ("safeguarding", "0002_concerns_from_matching_and_settings"),
    ]

    operations = [migrations.DeleteModel(name="Concern")]
