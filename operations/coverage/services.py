from __future__ import annotations

from django.db import transaction

from operations.core.audit import AuditAction, audit_log
from operations.core.models import Organisation, User
from operations.coverage.models import AreaBirths


@transaction.atomic
def births_save(*, organisation: Organisation, year: int, births: dict[int, int | None], actor: User) -> int:
    """Keeps one year's births per council area for the organisation: a
    number is stored, a blank removes that area's figure. Returns how many
    figures changed (0 writes no audit entry)."""
    kept = {
        row.council_area_id: row
        for row in AreaBirths.objects.select_for_update().filter(organisation=organisation, year=year)
    }
    changed = 0
    for area_id, count in births.items():
        row = kept.get(area_id)
        if count is None:
            if row is not None:
                row.delete()
                changed += 1
        elif row is None:
            AreaBirths.objects.create(organisation=organisation, council_area_id=area_id, year=year, births=count)
            changed += 1
        elif row.births != count:
            row.births = count
            row.save(update_fields=["births", "updated_at"])
            changed += 1
    if changed:
        audit_log(
            action=AuditAction.CHANGE,
            actor=actor,
            organisation=organisation,
            summary=f"Births by council area for {year}: {changed} figure{'s' if changed != 1 else ''} changed",
        )
    return changed
