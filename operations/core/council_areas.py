"""Scotland's 32 council areas, from the CSV shipped beside this app."""

from __future__ import annotations

import csv
from pathlib import Path

CSV_PATH = Path(__file__).resolve().parent / "data" / "council-areas.csv"


def load_council_areas(model) -> int:
    """Creates or updates every council area; ``model`` is CouncilArea (or its
    historical version inside a migration). Returns how many rows the file has."""
    rows = 0
    with CSV_PATH.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            model.objects.update_or_create(
                gss_code=row["gss_code"],
                defaults={
                    "name": row["name"],
                    "former_codes": row["former_codes"],
                    "health_board": row["health_board"],
                },
            )
            rows += 1
    return rows
