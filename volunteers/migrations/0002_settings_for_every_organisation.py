"""Every existing organisation gets the settings rows a new one is created
with (reading them no longer creates them): the volunteer settings, and the
default courses and lived-experience vocabulary where it has none."""

from django.db import migrations

# As volunteers.models.DEFAULT_COURSES / DEFAULT_LIVED_EXPERIENCE were when this ran.
COURSES = ["Core befriending training", "Safeguarding", "Perinatal mental health awareness"]
LIVED_EXPERIENCE = ["Birth trauma", "Baby loss", "Neonatal care", "Postnatal depression", "Twins", "Young parent"]


def make_settings(apps, schema_editor):
    Organisation = apps.get_model("core", "Organisation")
    VolunteerSettings = apps.get_model("volunteers", "VolunteerSettings")
    Course = apps.get_model("volunteers", "Course")
    LivedExperience = apps.get_model("volunteers", "LivedExperience")
    for organisation_id in Organisation.objects.exclude(volunteer_settings__isnull=False).values_list("pk", flat=True):
        VolunteerSettings.objects.create(organisation_id=organisation_id)
        if not Course.objects.filter(organisation_id=organisation_id).exists():
            Course.objects.bulk_create(
                [Course(organisation_id=organisation_id, name=name, is_required=True) for name in COURSES]
            )
        if not LivedExperience.objects.filter(organisation_id=organisation_id).exists():
            LivedExperience.objects.bulk_create(
                [LivedExperience(organisation_id=organisation_id, name=name) for name in LIVED_EXPERIENCE]
            )


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial"), ("core", "0007_remove_organisation_config_stamp")]

    operations = [migrations.RunPython(make_settings, migrations.RunPython.noop)]
