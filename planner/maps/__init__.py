"""Maps drawn by the server as SVG text, from the shipped commune outlines (no tiles, no script).

``season_map_svg`` for the plan view and the season workbook, ``commune_map_svg`` for a host's
public page; ``planner.maps.png`` turns either into PNG (it needs cairosvg and libcairo2).
"""

from planner.maps.commune_map import commune_map_svg
from planner.maps.season_map import season_map_svg

__all__ = ["commune_map_svg", "season_map_svg"]
