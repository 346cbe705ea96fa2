"""What the imports hold about a parent: the external ids (another system's
ids) of the records an import made for her, her children and referrals.

Erasure forgets them: the same row imported again after an erasure makes a
new record instead of writing her details back into the erased one."""

from __future__ import annotations

from operations.core.gdpr import Section
from operations.imports import services
from operations.imports.models import ImportedRecord

HOLDS = [ImportedRecord]

RESTRICTION_REFUSES = ()
RESTRICTION_REFUSES_NOTHING = (
    "An import checks a restricted record's rows like any other and the kinds' own services refuse the change; "
    "forgetting the external ids only runs at erasure."
)
RESTRICTION_ALLOWS = {
    "imported_records_forget_parent": "Erasure: forgets her records' external ids, so no import writes them back.",
}


def subject_access(parent) -> list[Section]:
    rows = [
        {
            "Imported as": item.get_action_display(),
            "From the file": item.batch.file_name,
            "Row": str(item.line),
            "Id in the other system": item.external_id,
        }
        for item in services.imported_records_of_parent(parent.pk).select_related("batch")
    ]
    return [Section("Imported from other systems", rows, source="imports.ImportedRecord")]


def erase(parent) -> None:
    services.imported_records_forget_parent(parent_id=parent.pk)
