"""Scotland's 32 council areas and which of them neighbour each other, from
the CSV files shipped beside this app.

Neighbours are pairs of areas that share a land boundary, as each council
area's own description of its borders gives them. Ferry links and crossings
of an estuary (the Forth, the Tay, the Clyde) are not counted, so the three
island councils (Na h-Eileanan Siar, Orkney, Shetland) have no neighbours,
nor do Falkirk and Clackmannanshire or Fife and the City of Edinburgh."""

from __future__ import annotations

import csv
from pathlib import Path

CSV_PATH = Path(__file__).resolve().parent / "data" / "council-areas.csv"
NEIGHBOURS_CSV_PATH = Path(__file__).resolve().parent / "data" / "council-area-neighbours.csv"


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


def neighbour_pairs() -> list[tuple[str, str]]:
    """The (GSS code, GSS code) pairs of the neighbours file, each pair once."""
    with NEIGHBOURS_CSV_PATH.open(newline="", encoding="utf-8") as handle:
        return [(row["gss_code"], row["neighbour_gss_code"]) for row in csv.DictReader(handle)]


def load_council_area_neighbours(model) -> int:
    """Sets every area's neighbours from the file (adding the missing links
    only, so it can run again). Returns the number of pairs."""
    by_code = {area.gss_code: area for area in model.objects.all()}
    pairs = neighbour_pairs()
    for code, other in pairs:
        # Both ways: the historical model inside a migration does not know
        # the field is symmetrical (on the live model the second add is a no-op).
        by_code[code].neighbours.add(by_code[other])
        by_code[other].neighbours.add(by_code[code])
    return len(pairs)
