"""Loads Scotland's 32 council areas from operations/core/data/council-areas.csv
(National Records of Scotland GSS codes, with the health board of each)."""

import csv
from pathlib import Path

from django.db import migrations

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "council-areas.csv"


def load_council_areas(apps, schema_editor):
    CouncilArea = apps.get_model("core", "CouncilArea")
    with CSV_PATH.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            CouncilArea.objects.update_or_create(
                gss_code=row["gss_code"],
                defaults={
                    "name": row["name"],
                    "former_codes": row["former_codes"],
                    "health_board": row["health_board"],
                },
            )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load_council_areas, migrations.RunPython.noop)]
