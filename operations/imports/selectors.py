"""Reading the imports: where a record came from, the batch history."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from operations.core.dates import short_date
from operations.core.models import STAFF_ROLES, active_membership
from operations.imports.models import ImportedRecord


def provenance(record) -> str:
    """ "Imported from volunteers.csv, row 14, on 7 Dec 2026" for a record an
    import created (or last changed: "Updated by import from …"), else ""."""
    if record is None or record.pk is None:
        return ""
    imported = (
        ImportedRecord.objects.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)
        .select_related("batch", "last_batch")
        .first()
    )
    if imported is None:
        return ""
    created = imported.batch
    text = (
        f"Imported from {created.file_name}, row {imported.line}, "
        f"on {short_date(timezone.localdate(created.applied_at or created.created_at))}"
    )
    last = imported.last_batch
    if last is not None and last.pk != created.pk:
        text += (
            f"; updated from {last.file_name} on {short_date(timezone.localdate(last.applied_at or last.created_at))}"
        )
    return text


def provenance_for(user, record) -> str:
    """The provenance line for staff of the record's organisation; nothing for anyone else."""
    membership = active_membership(user)
    if membership is None or membership.role not in STAFF_ROLES:
        return ""
    if getattr(record, "organisation_id", membership.organisation_id) != membership.organisation_id:
        return ""
    return provenance(record)
