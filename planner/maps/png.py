"""PNG rendering of the SVG maps, for files that cannot hold SVG (the season workbook).

cairosvg draws with libcairo2 (Debian package libcairo2), no browser needed.
"""

from __future__ import annotations

import cairosvg

from planner.maps.season_map import season_map_svg


def svg_to_png(svg: str, scale: float = 2.0) -> bytes:
    """PNG bytes of an SVG map; ``scale`` 2 gives print-quality pixels for an A4 page."""
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale, unsafe=False)


def season_map_png(territory, *, scale: float = 2.0, **options) -> bytes:
    """The season map as PNG: ``options`` are those of ``season_map_svg``."""
    return svg_to_png(season_map_svg(territory, **options), scale=scale)
