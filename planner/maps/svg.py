"""Small SVG writing helpers: escaping, number formatting, path data."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from planner.maps.geometry import Point
from planner.maps.projection import Projection


def esc(text: str) -> str:
    """Text or attribute value, XML-escaped (quotes too)."""
    return escape(str(text), {'"': "&quot;"})


def num(value: float) -> str:
    """Pixels with one decimal, no trailing zero: deterministic and compact."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def path_data(rings: Iterable[Sequence[Point]], projection: Projection, min_step: float = 0.7) -> str:
    """Path data of lon/lat rings, dropping points within ``min_step`` pixels of the last kept one.

    On a map of the whole region this cuts a fifth of the SVG; the strokes hide the sub-pixel
    seams it may leave between neighbours.
    """
    parts = []
    limit = min_step * min_step
    for ring in rings:
        points: list[str] = []
        last = None
        for i, (lon, lat) in enumerate(ring):
            x, y = projection.point(lon, lat)
            if last is not None and i < len(ring) - 1 and (x - last[0]) ** 2 + (y - last[1]) ** 2 < limit:
                continue
            point = f"{num(x)} {num(y)}"
            if not points or points[-1] != point:
                points.append(point)
                last = (x, y)
        if len(points) >= 3:
            parts.append("M" + "L".join(points) + "Z")
    return "".join(parts)


def halo_text(x: float, y: float, text: str, *, size: float = 11, weight: str = "normal", anchor: str = "start",
              colour: str = "#1a1a1a", css_class: str = "") -> str:
    """Text with a white outline drawn underneath, readable over any fill (no paint-order needed)."""
    cls = f' class="{css_class}"' if css_class else ""
    common = (f'x="{num(x)}" y="{num(y)}" font-size="{num(size)}" font-weight="{weight}" text-anchor="{anchor}"')
    return (f'<g{cls}><text {common} fill="none" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" aria-hidden="true">'
            f'{esc(text)}</text><text {common} fill="{colour}">{esc(text)}</text></g>')
