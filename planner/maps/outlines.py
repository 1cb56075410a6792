"""Commune and département outlines from data/outlines.geojson (built by data/build.py).

One outline per 2024 commune: a former commune is already part of the commune that absorbed it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from planner.inputs.dataset import DATA_DIR
from planner.maps.geometry import Point
from planner.maps.projection import Bounds

OUTLINES_FILE = "outlines.geojson"
ATTRIBUTION = "Contours : IGN Admin Express COG 2018 (Licence Ouverte), anciennes communes fusionnées"


@dataclass(frozen=True)
class Outline:
    code: str
    name: str
    level: str  # "commune" or "departement"
    rings: tuple[tuple[Point, ...], ...]  # closed rings in lon/lat: outer ones counter-clockwise, holes clockwise
    absorbed: tuple[str, ...] = ()  # former communes drawn as part of this one

    @property
    def bounds(self) -> Bounds:
        lons = [p[0] for ring in self.rings for p in ring]
        lats = [p[1] for ring in self.rings for p in ring]
        return (min(lons), min(lats), max(lons), max(lats))


@dataclass(frozen=True)
class Outlines:
    communes: dict[str, Outline]
    departements: dict[str, Outline]


@lru_cache(maxsize=2)
def load_outlines(path: Path = DATA_DIR / OUTLINES_FILE) -> Outlines:
    """Read once per process: the file is about 2 MB and every map needs it."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    communes: dict[str, Outline] = {}
    departements: dict[str, Outline] = {}
    for feature in data["features"]:
        props = feature["properties"]
        rings = tuple(tuple((p[0], p[1]) for p in ring) for polygon in feature["geometry"]["coordinates"] for ring in polygon)
        outline = Outline(props["code"], props["nom"], props["level"], rings, tuple(props.get("anciens", ())))
        (communes if outline.level == "commune" else departements)[outline.code] = outline
    return Outlines(communes, departements)


def union_bounds(boxes) -> Bounds:
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def intersects(a: Bounds, b: Bounds) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]
