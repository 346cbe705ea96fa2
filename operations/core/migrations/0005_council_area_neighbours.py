"""Which council areas neighbour each other (operations/core/data/
council-area-neighbours.csv): the field, then the data."""

from django.db import migrations, models

from operations.core.council_areas import load_council_area_neighbours


def forwards(apps, schema_editor):
    load_council_area_neighbours(apps.get_model("core", "CouncilArea"))


class Migration(migrations.Migration):
    dependencies = [("core", "0004_retention")]

    operations = [
        migrations.AddField(
            model_name="councilarea",
            name="neighbours",
            field=models.ManyToManyField(blank=True, to="core.councilarea"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
