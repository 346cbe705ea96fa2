"""The hex map's layout: every council area once, no two in one place."""

from __future__ import annotations

import csv
from pathlib import Path

from operations.coverage import hexmap

AREAS_CSV = Path(__file__).resolve().parents[2] / "operations" / "core" / "data" / "council-areas.csv"


def test_every_council_area_has_one_hexagon_and_no_two_share_a_place():
    with AREAS_CSV.open(encoding="utf-8") as handle:
        codes = {row["gss_code"] for row in csv.DictReader(handle)}
    assert set(hexmap.LAYOUT) == codes
    places = [(column, row) for column, row, _ in hexmap.LAYOUT.values()]
    assert len(set(places)) == len(places) == 32


def test_hexagons_fit_inside_the_drawing():
    width, height = hexmap.size()
    for cell in hexmap.hexes():
        for point in cell.points.split():
            x, y = (float(value) for value in point.split(","))
            assert 0 <= x <= width
            assert 0 <= y <= height
