"""The search text is filled for parents recorded before it existed, and on
PostgreSQL a trigram index answers the search."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from referrals.models import Parent
from tests.factories import ParentFactory

fill = importlib.import_module("referrals.migrations.0009_parent_search_text")


@pytest.mark.django_db
def test_the_migration_fills_every_parent_not_erased(organisation):
    kept = ParentFactory(organisation=organisation, first_name="Zoë", last_name="Hislop", postcode="TD1 1AB")
    erased = ParentFactory(organisation=organisation, first_name="Erased", last_name="Erased")
    Parent.objects.update(search_text="")
    Parent.objects.filter(pk=erased.pk).update(erased_at=timezone.now())
    fill.fill_search_text(apps, connection.schema_editor())
    kept.refresh_from_db()
    erased.refresh_from_db()
    assert kept.search_text == "zoe hislop td11ab"
    assert erased.search_text == ""


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_has_a_trigram_index_on_the_search_text():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Parent._meta.db_table)
    index = constraints["parent_search_trgm"]
    assert index["columns"] == ["search_text"]
    assert index["type"] == "gin"
