"""Outlines of the 2024 communes and of the départements, simplified without gaps, for the maps."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

from planner.maps.geometry import Point, point_in_ring, signed_area, union_rings

# Outline coordinates are rounded to this many decimals of a degree (about 11 m by 8 m here), and
# each border between two junctions is simplified (Douglas-Peucker) to within this many metres: about
# a pixel on a 900-pixel map of the Bourges basin, a sixth of one on a map of the region.
OUTLINE_DECIMALS = 4
OUTLINE_TOLERANCE_M = 50.0


def build_outlines(raw: Path, communes: pd.DataFrame) -> str:
    """One feature per 2024 commune and per département, as GeoJSON with one feature per line.

    The 2018 polygons share their borders vertex for vertex (each inner edge is in exactly two
    polygons), so a union is exact: drop the edges seen in both directions and chain the rest.
    A former commune is united with the commune that absorbed it (Etalab ``anciensCodes``);
    départements are the union of their communes, so their lines fall exactly on commune borders.
    """
    folder = raw / "contours"
    source = json.loads((folder / "communes-centre-val-de-loire-2018.geojson").read_text(encoding="utf-8"))
    rings_by_code = simplify_shared({f["properties"]["code"]: polygon_rings(f["geometry"]) for f in source["features"]})
    codes = list(communes["insee_com"])
    absorbed_by = absorbing_communes(raw, set(codes), set(rings_by_code))
    missing = sorted(set(codes) - set(rings_by_code))
    if missing:
        raise ValueError(f"contours: no outline for communes {missing}")
    members: dict[str, list[str]] = {code: [code] for code in codes}
    for old, new in sorted(absorbed_by.items()):
        members[new].append(old)
    for new in sorted({new for new in absorbed_by.values()}):
        # Geometry confirms Etalab: the absorbed communes touch the absorbing one (one more piece would show)
        if len(union_rings([r for m in members[new] for r in rings_by_code[m]])) > len(rings_by_code[new]):
            raise ValueError(f"contours: the former communes {members[new][1:]} do not all touch {new}, which absorbed them")
    names = dict(zip(communes["insee_com"], communes["commune"]))
    lines = []
    for code in codes:
        rings = union_rings([r for m in members[code] for r in rings_by_code[m]])
        props = {"level": "commune", "code": code, "nom": names[code], "anciens": members[code][1:]}
        lines.append(feature_line(props, rings))
    departements = json.loads((folder / "departements-centre-val-de-loire-2018.geojson").read_text(encoding="utf-8"))
    for feature in sorted(departements["features"], key=lambda f: f["properties"]["code"]):
        dep = feature["properties"]["code"]
        rings = union_rings([r for code, rs in sorted(rings_by_code.items()) if code[:2] == dep for r in rs])
        lines.append(feature_line({"level": "departement", "code": dep, "nom": feature["properties"]["nom"]}, rings))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def absorbing_communes(raw: Path, codes: set[str], outlined: set[str]) -> dict[str, str]:
    """Former commune with an outline of its own -> the 2024 commune that absorbed it (Etalab)."""
    items = json.loads((raw / "communes/etalab_decoupage_communes_reg24.json").read_text(encoding="utf-8"))
    former = sorted(outlined - codes)
    absorbed_by = {}
    for item in items:
        if item["type"] == "commune-actuelle" and item["code"] in codes:
            for old in item.get("anciensCodes") or []:
                if old in former:
                    absorbed_by.setdefault(old, item["code"])
    lost = [code for code in former if code not in absorbed_by]
    if lost:
        raise ValueError(f"contours: former communes absorbed by no 2024 commune in Etalab: {lost}")
    return absorbed_by


def polygon_rings(geometry: dict) -> list[list[Point]]:
    """Every ring of a Polygon or MultiPolygon, rounded, without repeated points."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    rings = []
    for polygon in polygons:
        for ring in polygon:
            points: list[Point] = []
            for lon, lat in ring:
                point = (round(lon, OUTLINE_DECIMALS), round(lat, OUTLINE_DECIMALS))
                if not points or points[-1] != point:
                    points.append(point)
            rings.append(points)
    return rings


def simplify_shared(rings_by_code: dict[str, list[list[Point]]]) -> dict[str, list[list[Point]]]:
    """Simplify every border once, so that two neighbours keep the very same line (no gaps).

    Rings are cut at junctions (a vertex with more than two distinct neighbours: where three
    communes meet, or two meet the edge of the data); each piece is simplified in one canonical
    direction, so both communes that share it get identical points.
    """
    neighbours: dict[Point, set[Point]] = defaultdict(set)
    for rings in rings_by_code.values():
        for ring in rings:
            closed = ring if ring[0] == ring[-1] else ring + [ring[0]]
            for a, b in zip(closed, closed[1:]):
                neighbours[a].add(b)
                neighbours[b].add(a)
    junctions = {p for p, near in neighbours.items() if len(near) > 2}
    done: dict[tuple[Point, ...], list[Point]] = {}
    out = {}
    for code, rings in rings_by_code.items():
        out[code] = [simplify_ring(ring, junctions, done) for ring in rings]
    return out


def simplify_ring(ring: list[Point], junctions: set[Point], done: dict) -> list[Point]:
    points = ring[:-1] if ring[0] == ring[-1] else ring
    cuts = [i for i, p in enumerate(points) if p in junctions]
    if not cuts:  # an island or a commune with one neighbour: cut at its lowest point and its farthest
        low = points.index(min(points))
        far = max(range(len(points)), key=lambda i: (squared_m(points[low], points[i]), -i))
        cuts = sorted({low, far})
    start = cuts[0]
    points = points[start:] + points[:start]
    cuts = [c - start for c in cuts] + [len(points)]
    points = points + [points[0]]
    simplified = [points[0]]
    for a, b in zip(cuts, cuts[1:]):
        simplified += simplify_piece(tuple(points[a:b + 1]), done)[1:]
    return simplified


def simplify_piece(piece: tuple[Point, ...], done: dict) -> list[Point]:
    forward = piece <= piece[::-1]
    key = piece if forward else piece[::-1]
    if key not in done:
        done[key] = douglas_peucker(list(key))
    return done[key] if forward else done[key][::-1]


def douglas_peucker(points: list[Point]) -> list[Point]:
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    limit = OUTLINE_TOLERANCE_M**2
    while stack:
        a, b = stack.pop()
        best, best_d = None, limit
        for i in range(a + 1, b):
            d = segment_squared_m(points[i], points[a], points[b])
            if d > best_d:
                best, best_d = i, d
        if best is not None:
            keep[best] = True
            stack += [(a, best), (best, b)]
    return [p for p, k in zip(points, keep) if k]


def squared_m(p: Point, q: Point) -> float:
    """Squared distance in metres on a local plane (1e-5 degree of latitude is about 1.11 m)."""
    kx = 111_320.0 * np.cos(np.radians((p[1] + q[1]) / 2))
    return ((p[0] - q[0]) * kx) ** 2 + ((p[1] - q[1]) * 110_574.0) ** 2


def segment_squared_m(p: Point, a: Point, b: Point) -> float:
    """Squared distance in metres from p to the segment a-b (local plane at the latitude of a)."""
    kx = 111_320.0 * float(np.cos(np.radians(a[1])))
    px, py = (p[0] - a[0]) * kx, (p[1] - a[1]) * 110_574.0
    bx, by = (b[0] - a[0]) * kx, (b[1] - a[1]) * 110_574.0
    length = bx * bx + by * by
    t = 0.0 if length == 0 else max(0.0, min(1.0, (px * bx + py * by) / length))
    return (px - t * bx) ** 2 + (py - t * by) ** 2


def feature_line(properties: dict, rings: list[list[Point]]) -> str:
    """A GeoJSON MultiPolygon feature on one line: each hole goes with the outer ring holding it."""
    outers = [r for r in rings if signed_area(r) > 0]
    holes = [r for r in rings if signed_area(r) < 0]
    polygons: list[list[list[Point]]] = [[r] for r in sorted(outers, key=signed_area, reverse=True)]
    for hole in holes:
        host = next((p for p in polygons[::-1] if point_in_ring(hole[0], p[0])), None)
        if host is None:
            raise ValueError(f"contours: a hole of {properties['code']} lies in none of its outer rings")
        host.append(hole)
    geometry = {"type": "MultiPolygon", "coordinates": polygons}
    return json.dumps({"type": "Feature", "properties": properties, "geometry": geometry},
                      ensure_ascii=False, separators=(",", ":"))


