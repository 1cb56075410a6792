"""The frame shared by every map: a title, the communes of a territory over their neighbours,
the territory's and départements' lines, a legend panel, a scale bar and the attribution.

Maps are plain SVG text: no script, no external reference, no event attribute, so they can be
inlined in pages under a strict Content-Security-Policy, printed, or turned into PNG.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from planner.domain.territory import Territory
from planner.maps.geometry import union_rings
from planner.maps.labels import wrap_words
from planner.maps.outlines import ATTRIBUTION, Outlines, intersects, union_bounds
from planner.maps.projection import Bounds, Projection, padded
from planner.maps.svg import esc, num, path_data

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
MARGIN = 12
TITLE_HEIGHT = 46
FOOTER_HEIGHT = 26
COLUMN_MIN = 260  # narrowest legend column
CONTEXT_FILL = "#f2f2f2"
BORDER = "#7a7a7a"


@dataclass(frozen=True)
class LegendSection:
    """A block of the legend drawn from (0, 0): its SVG elements and its height."""

    lines: tuple[str, ...]
    height: float


@dataclass
class Canvas:
    """Lay out a map of ``territory`` at ``width`` pixels.

    The legend goes below the map, in columns, when the territory is wider than tall (the map then
    uses the full width); otherwise in a panel of ``legend_width`` on the right.
    """

    territory: Territory
    outlines: Outlines
    width: int
    legend_width: int
    id_prefix: str
    extra_points: Sequence[tuple[float, float]] = ()  # lon/lat that must be visible too (bases)
    legend_below: bool | None = None  # None: below when the territory is wide and the map wide enough
    body: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # communes without an outline, drawn as dots

    def __post_init__(self) -> None:
        if not self.territory.communes:
            raise ValueError("carte : le territoire n'a aucune commune")
        boxes = []
        for commune in self.territory.communes:
            outline = self.outlines.communes.get(commune.insee)
            if outline is None:
                self.missing.append(commune.insee)
                boxes.append((commune.lon, commune.lat, commune.lon, commune.lat))
            else:
                boxes.append(outline.bounds)
        boxes += [(lon, lat, lon, lat) for lon, lat in self.extra_points]
        self.bounds: Bounds = padded(union_bounds(boxes), 0.03)
        min_lon, min_lat, max_lon, max_lat = self.bounds
        wide = (max_lon - min_lon) * math.cos(math.radians((min_lat + max_lat) / 2)) >= 1.15 * (max_lat - min_lat)
        if self.legend_below is None:
            self.legend_below = wide and self.width >= 3 * COLUMN_MIN
        self.map_width = self.width if self.legend_below else self.width - self.legend_width
        inner = self.map_width - 2 * MARGIN
        self.projection = Projection.fit(self.bounds, MARGIN, TITLE_HEIGHT + MARGIN, inner)
        natural = self.bounds[3] - self.bounds[1]
        if natural * self.projection.scale > 1.3 * inner:  # a tall territory: cap the height
            self.projection = Projection.fit(self.bounds, MARGIN, TITLE_HEIGHT + MARGIN, inner, 1.3 * inner)
        self.map_height = (self.bounds[3] - self.bounds[1]) * self.projection.scale + 2 * MARGIN

    # --- layers ---------------------------------------------------------------------------------

    def visible(self) -> Bounds:
        p = self.projection
        lon0 = p.lon0 + (0 - p.x0) / (p.kx * p.scale)
        lon1 = p.lon0 + (self.map_width - p.x0) / (p.kx * p.scale)
        lat1 = p.lat0 + (p.y0 - TITLE_HEIGHT) / p.scale
        lat0 = p.lat0 - (TITLE_HEIGHT + self.map_height - p.y0) / p.scale
        return (lon0, lat0, lon1, lat1)

    def draw_context(self) -> None:
        """Neighbouring communes outside the territory, pale, so the territory sits in its place."""
        view = self.visible()
        inside = set(self.territory.index)
        parts = [path_data(o.rings, self.projection) for code, o in sorted(self.outlines.communes.items())
                 if code not in inside and intersects(o.bounds, view)]
        if parts:
            self.body.append(f'<path class="context" d="{"".join(parts)}" fill="{CONTEXT_FILL}" stroke="#cfcfcf" '
                             f'stroke-width="0.6" fill-rule="evenodd" aria-hidden="true"/>')

    def draw_communes(self, fill: Callable[[str], str], tooltip: Callable[[str], str],
                      stroke: Callable[[str], tuple[str, float]] | None = None) -> None:
        """One path per commune of the territory, with a <title> that browsers show on hover."""
        for commune in self.territory.communes:
            # hairlines when communes are many and small, or the borders hide the colours
            colour, width = stroke(commune.insee) if stroke else (BORDER, 0.5 if len(self.territory.communes) <= 400 else 0.25)
            outline = self.outlines.communes.get(commune.insee)
            tip = f"<title>{esc(tooltip(commune.insee))}</title>"
            if outline is None:
                x, y = self.projection.point(commune.lon, commune.lat)
                self.body.append(f'<circle class="commune" data-insee="{commune.insee}" cx="{num(x)}" cy="{num(y)}" r="6" '
                                 f'fill="{fill(commune.insee)}" stroke="{colour}" stroke-width="{num(width)}">{tip}</circle>')
                continue
            self.body.append(f'<path class="commune" data-insee="{commune.insee}" d="{path_data(outline.rings, self.projection)}" '
                             f'fill="{fill(commune.insee)}" stroke="{colour}" stroke-width="{num(width)}" '
                             f'fill-rule="evenodd">{tip}</path>')

    def draw_lines(self) -> None:
        """Départements (dashed) and the territory's outer line (solid), above the communes."""
        view = self.visible()
        for code, outline in sorted(self.outlines.departements.items()):
            if intersects(outline.bounds, view):
                self.body.append(f'<path class="departement" data-code="{code}" d="{path_data(outline.rings, self.projection)}" '
                                 f'fill="none" stroke="#262626" stroke-width="1.6" stroke-dasharray="8 4" aria-hidden="true"/>')
        rings = [r for c in self.territory.communes if c.insee in self.outlines.communes
                 for r in self.outlines.communes[c.insee].rings]
        if rings:
            self.body.append(f'<path class="territoire" d="{path_data(union_rings(rings), self.projection)}" fill="none" '
                             f'stroke="#262626" stroke-width="2" fill-rule="evenodd" aria-hidden="true"/>')

    def scale_bar(self) -> str:
        per_km = self.projection.pixels_per_km()
        target = self.map_width / 5 / per_km
        km = max([k for k in (1, 2, 5, 10, 20, 50, 100, 200) if k <= target] or [1])
        length = km * per_km
        x = MARGIN + 4
        y = TITLE_HEIGHT + self.map_height - 10
        return (f'<g class="echelle" aria-hidden="true"><rect x="{num(x - 3)}" y="{num(y - 17)}" width="{num(length + 6)}" '
                f'height="24" fill="#ffffff" fill-opacity="0.8"/><path d="M{num(x)} {num(y - 4)}V{num(y)}H{num(x + length)}'
                f'V{num(y - 4)}" fill="none" stroke="#1a1a1a" stroke-width="1.5"/><text x="{num(x + length / 2)}" '
                f'y="{num(y - 6)}" font-size="11" text-anchor="middle" fill="#1a1a1a">{km} km</text></g>')

    # --- document -------------------------------------------------------------------------------

    def document(self, title: str, subtitle: str, description: str, legend: Sequence[LegendSection], defs: str = "") -> str:
        """The whole SVG: accessible name and description first, then the layers, legend, footer."""
        p = esc(self.id_prefix)
        placed = []
        if self.legend_below:
            column = (self.width - MARGIN) / max(len(legend), 1)
            for i, section in enumerate(legend):
                placed.append((MARGIN + i * column, TITLE_HEIGHT + self.map_height, section))
            legend_bottom = TITLE_HEIGHT + self.map_height + max((s.height for s in legend), default=0)
        else:
            y = TITLE_HEIGHT
            for section in legend:
                placed.append((self.map_width + MARGIN, y, section))
                y += section.height
            legend_bottom = max(y, TITLE_HEIGHT + self.map_height)
        footer = wrap_words(ATTRIBUTION, 10, self.width - 2 * MARGIN)
        height = legend_bottom + FOOTER_HEIGHT + 13 * (len(footer) - 1)
        clip = (f'<clipPath id="{p}-cadre"><rect x="0" y="{TITLE_HEIGHT}" width="{num(self.map_width)}" '
                f'height="{num(self.map_height)}"/></clipPath>')
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{num(height)}" '
            f'viewBox="0 0 {self.width} {num(height)}" role="img" aria-labelledby="{p}-titre {p}-desc" '
            f'font-family="{FONT}" class="carte">',
            f'<title id="{p}-titre">{esc(title)}</title>',
            f'<desc id="{p}-desc">{esc(description)}</desc>',
            f"<defs>{clip}{defs}</defs>",
            f'<rect width="{self.width}" height="{num(height)}" fill="#ffffff"/>',
            f'<text x="{MARGIN}" y="22" font-size="18" font-weight="bold" fill="#1a1a1a">{esc(title)}</text>',
            f'<text x="{MARGIN}" y="39" font-size="12" fill="#404040">{esc(subtitle)}</text>',
            f'<g class="fond" clip-path="url(#{p}-cadre)">',
            *self.body,
            "</g>",
            f'<rect x="0.5" y="{TITLE_HEIGHT + 0.5}" width="{num(self.map_width - 1)}" height="{num(self.map_height - 1)}" '
            f'fill="none" stroke="#b3b3b3"/>',
            self.scale_bar(),
            '<g class="legende">',
        ]
        for x, y, section in placed:
            out += [f'<g transform="translate({num(x)} {num(y)})">', *section.lines, "</g>"]
        out += [
            "</g>",
            *(f'<text x="{MARGIN}" y="{num(height - 9 - 13 * (len(footer) - 1 - i))}" font-size="10" '
              f'fill="#595959">{esc(line)}</text>' for i, line in enumerate(footer)),
            "</svg>",
        ]
        return "\n".join(out) + "\n"

    def legend_width_available(self) -> float:
        """Width of one legend column or of the side panel, for wrapping headings."""
        return (self.width - 2 * MARGIN if self.width < 3 * COLUMN_MIN else COLUMN_MIN) if self.legend_below \
            else self.legend_width - MARGIN
