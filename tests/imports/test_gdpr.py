"""A parent's external ids: in her subject access report, and forgotten on
erasure so that importing the same row again cannot write her back."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from operations.imports import gdpr
from operations.imports.models import ImportedRecord
from tests.factories import ChildFactory, ImportedRecordFactory, ParentFactory

pytestmark = pytest.mark.django_db


def imported(record, external_id, organisation):
    return ImportedRecordFactory(
        organisation=organisation,
        batch__organisation=organisation,
        external_id=external_id,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        line=4,
    )


def test_subject_access_lists_and_erasure_forgets_her_external_ids(organisation):
    parent = ParentFactory(organisation=organisation)
    child = ChildFactory(parent=parent)
    someone_else = ParentFactory(organisation=organisation)
    imported(parent, "LAMP-77", organisation)
    imported(child, "LAMP-77-1", organisation)
    imported(someone_else, "LAMP-78", organisation)

    (section,) = gdpr.subject_access(parent)
    assert sorted(row["Id in the other system"] for row in section.rows) == ["LAMP-77", "LAMP-77-1"]
    assert section.rows[0]["Row"] == "4"

    gdpr.erase(parent)
    assert list(ImportedRecord.objects.values_list("external_id", flat=True)) == ["LAMP-78"]
