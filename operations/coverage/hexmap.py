"""Scotland's 32 council areas as a hex map: one equal hexagon each, placed
roughly where the area lies (north at the top, the islands out to sea), so a
small city reads as clearly as the Highlands. Pure layout, no database and
no map tiles: the page draws it as inline SVG.

Hexagons are pointy-topped; odd rows sit half a hexagon to the right.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: GSS code -> (column, row, label lines). Labels are the names people use,
#: shortened to fit; the full name is the hexagon's title and in the table.
LAYOUT: dict[str, tuple[int, int, tuple[str, ...]]] = {
    "S12000027": (6, 0, ("Shetland",)),
    "S12000023": (5, 1, ("Orkney",)),
    "S12000013": (1, 2, ("Eilean", "Siar")),
    "S12000017": (3, 2, ("Highland",)),
    "S12000020": (4, 2, ("Moray",)),
    "S12000034": (5, 2, ("Aberdeen-", "shire")),
    "S12000033": (6, 2, ("Aberdeen",)),
    "S12000035": (2, 3, ("Argyll", "& Bute")),
    "S12000048": (3, 3, ("Perth &", "Kinross")),
    "S12000041": (4, 3, ("Angus",)),
    "S12000042": (5, 3, ("Dundee",)),
    "S12000039": (1, 4, ("West", "Dunbarton")),
    "S12000030": (2, 4, ("Stirling",)),
    "S12000005": (3, 4, ("Clack-", "mannan")),
    "S12000047": (4, 4, ("Fife",)),
    "S12000018": (0, 5, ("Inver-", "clyde")),
    "S12000045": (1, 5, ("East", "Dunbarton")),
    "S12000014": (2, 5, ("Falkirk",)),
    "S12000040": (3, 5, ("West", "Lothian")),
    "S12000036": (4, 5, ("Edinburgh",)),
    "S12000010": (5, 5, ("East", "Lothian")),
    "S12000038": (1, 6, ("Renfrew-", "shire")),
    "S12000049": (2, 6, ("Glasgow",)),
    "S12000050": (3, 6, ("North", "Lanark")),
    "S12000019": (4, 6, ("Mid-", "lothian")),
    "S12000021": (0, 7, ("North", "Ayrshire")),
    "S12000011": (1, 7, ("East", "Renfrew")),
    "S12000029": (2, 7, ("South", "Lanark")),
    "S12000026": (3, 7, ("Scottish", "Borders")),
    "S12000028": (0, 8, ("South", "Ayrshire")),
    "S12000008": (1, 8, ("East", "Ayrshire")),
    "S12000006": (2, 8, ("Dumfries &", "Galloway")),
}

#: Distance from a hexagon's centre to a corner, in SVG units.
RADIUS = 36
WIDTH = math.sqrt(3) * RADIUS
MARGIN = 4


@dataclass(frozen=True)
class Hex:
    gss_code: str
    x: float  # centre
    y: float
    points: str  # the polygon's corners, for <polygon points="...">
    label: tuple[str, ...]


def centre(column: int, row: int) -> tuple[float, float]:
    x = MARGIN + WIDTH / 2 + column * WIDTH + (WIDTH / 2 if row % 2 else 0)
    y = MARGIN + RADIUS + row * RADIUS * 1.5
    return round(x, 1), round(y, 1)


def corners(x: float, y: float, radius: float = RADIUS - 1.5) -> str:
    """Six corners of a pointy-topped hexagon (a little smaller than the
    grid, so neighbours have a gap between them)."""
    points = []
    for corner in range(6):
        angle = math.radians(60 * corner - 30)
        points.append(f"{x + radius * math.cos(angle):.1f},{y + radius * math.sin(angle):.1f}")
    return " ".join(points)


def hexes() -> list[Hex]:
    laid_out = []
    for gss_code, (column, row, label) in LAYOUT.items():
        x, y = centre(column, row)
        laid_out.append(Hex(gss_code=gss_code, x=x, y=y, points=corners(x, y), label=label))
    return laid_out


def size() -> tuple[int, int]:
    """The drawing's width and height (the viewBox), from the layout itself."""
    columns = max(column for column, _, _ in LAYOUT.values()) + 1
    rows = max(row for _, row, _ in LAYOUT.values()) + 1
    width = MARGIN * 2 + WIDTH * columns + WIDTH / 2
    height = MARGIN * 2 + RADIUS * 2 + (rows - 1) * RADIUS * 1.5
    return math.ceil(width), math.ceil(height)
