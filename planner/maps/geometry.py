"""Plane geometry of outlines: union of polygons that share borders exactly, and point in ring.

The shipped outlines share every inner border vertex for vertex, so a union is exact and needs no
geometry library: drop the edges seen in both directions and chain the others. The data build
uses it to merge former communes; maps use it to draw a territory's outer line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

Point = tuple[float, float]
Ring = list[Point]


def signed_area(ring: Sequence[Point]) -> float:
    """Positive for a counter-clockwise ring (x east, y north); the ring is closed (last = first)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2


def union_rings(rings: Iterable[Sequence[Point]]) -> list[Ring]:
    """Union of polygons that share borders exactly: outer rings counter-clockwise, holes clockwise.

    Deterministic: the same rings in any order give the same output.
    """
    edges: set[tuple[Point, Point]] = set()
    for ring in rings:
        ring = list(ring)
        if ring[0] != ring[-1]:
            ring.append(ring[0])
        if signed_area(ring) < 0:
            ring.reverse()
        for a, b in zip(ring, ring[1:]):
            if (b, a) in edges:
                edges.remove((b, a))  # a border between two of the polygons
            elif a != b:
                edges.add((a, b))
    outgoing: dict[Point, list[Point]] = defaultdict(list)
    for a, b in sorted(edges):
        outgoing[a].append(b)
    out = []
    for start in sorted(outgoing):
        while outgoing[start]:
            ring = [start]
            point = outgoing[start].pop(0)
            while point != start:
                ring.append(point)
                point = outgoing[point].pop(0)
            ring.append(start)
            if len(ring) >= 4 and signed_area(ring) != 0:
                out.append(ring)
    return out


def point_in_ring(point: Point, ring: Sequence[Point]) -> bool:
    """Even-odd test against a closed ring."""
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside
