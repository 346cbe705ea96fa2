"""The search box's text on every parent, and on PostgreSQL a trigram index
that answers ``search_text LIKE '%term%'`` without reading every row.

The index is made here rather than declared on the model: SQLite has no GIN
index or trigram operator class, and the same migrations run on both."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from operations.core.searching import searchable_text

INDEX = GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="parent_search_trgm")
BATCH = 2000


def fill_search_text(apps, schema_editor):
    Parent = apps.get_model("referrals", "Parent")
    batch = []
    for parent in Parent.objects.filter(erased_at__isnull=True).only(
        "first_name", "preferred_name", "last_name", "postcode", "phone"
    ).iterator(chunk_size=BATCH):
        parent.search_text = searchable_text(
            names=[parent.first_name, parent.preferred_name, parent.last_name],
            postcode=parent.postcode,
            phone=parent.phone,
        )
        batch.append(parent)
        if len(batch) >= BATCH:
            Parent.objects.bulk_update(batch, ["search_text"])
            batch = []
    Parent.objects.bulk_update(batch, ["search_text"])


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("referrals", "Parent"), INDEX)


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("referrals", "Parent"), INDEX)


class Migration(migrations.Migration):

    dependencies = [
        ("referrals", "0008_intake_safe_contact_consent_and_eligibility_override"),
    ]

    operations = [
        migrations.AddField(
            model_name="parent",
            name="search_text",
            field=models.CharField(blank=True, editable=False, max_length=400),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        # Does nothing on SQLite (Django's operation checks the database).
        TrigramExtension(),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
