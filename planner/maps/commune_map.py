"""A commune located in its territory: the small map of a host's public page."""

from __future__ import annotations

from planner.domain.territory import Territory
from planner.maps.canvas import MARGIN, Canvas, LegendSection
from planner.maps.outlines import Outlines, load_outlines
from planner.maps.svg import esc, halo_text, num

HIGHLIGHT = "#d95f0e"
OTHER = "#e8e8e8"


def commune_map_svg(territory: Territory, insee: str, *, width: int = 480, title: str = "",
                    territory_label: str = "", id_prefix: str = "commune", outlines: Outlines | None = None,
                    site: tuple[float, float] | None = None) -> str:
    """SVG text of ``territory`` with commune ``insee`` highlighted and named.

    ``site`` is the (lon, lat) of the geocoded host site, where the dot is drawn (else the centre).

    ``territory_label`` names the territory in the legend and the description (e.g. « bassin de
    vie de Bourges »); raises KeyError when ``insee`` is not a commune of the territory.
    """
    outlines = outlines or load_outlines()
    commune = territory.commune(insee)
    canvas = Canvas(territory, outlines, max(int(width), 240), 0, id_prefix, legend_below=True)
    canvas.draw_context()
    canvas.draw_communes(
        lambda code: HIGHLIGHT if code == insee else OTHER,
        lambda code: territory.commune(code).name,
        lambda code: ("#1a1a1a", 1.5) if code == insee else ("#a6a6a6", 0.5),
    )
    canvas.draw_lines()
    x, y = canvas.projection.point(*(site or (commune.lon, commune.lat)))
    canvas.body.append(f'<circle cx="{num(x)}" cy="{num(y)}" r="3.5" fill="#1a1a1a" aria-hidden="true"/>')
    anchor = "end" if x > canvas.map_width * 0.7 else "start"
    canvas.body.append(halo_text(x + (-7 if anchor == "end" else 7), y + 4, commune.name, size=13, weight="bold", anchor=anchor))
    where = territory_label or "son territoire"
    lines = (
        f'<rect x="0" y="{MARGIN}" width="22" height="14" fill="{HIGHLIGHT}" stroke="#1a1a1a"/>',
        f'<text x="30" y="{MARGIN + 12}" font-size="12" fill="#1a1a1a">{esc(commune.name)}</text>',
        f'<path d="M0 {MARGIN + 27}H22" stroke="#262626" stroke-width="2"/>',
        f'<text x="30" y="{MARGIN + 31}" font-size="12" fill="#1a1a1a">{esc(where[:1].upper() + where[1:])}</text>',
    )
    description = (f"Carte situant {commune.name} ({insee}) parmi les {len(territory.communes)} communes de {where}"
                   + (", le point marquant le lieu d'accueil du bus." if site else "."))
    return canvas.document(title or commune.name, f"{commune.name} dans {where}", description,
                           [LegendSection(lines, MARGIN + 40)])
