"""Loads Scotland's 32 council areas from operations/core/data/council-areas.csv
(National Records of Scotland GSS codes, with the health board of each)."""

from django.db import migrations

from operations.core.council_areas import load_council_areas


def forwards(apps, schema_editor):
    load_council_areas(apps.get_model("core", "CouncilArea"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
