"""Map symbols: one shape per kind of place of help, the vehicle base, stop markers.

Kinds differ by shape as well as colour, so the map reads in grey scale and for colour-blind
readers. A place with several kinds shows the first of ``KIND_ORDER`` it holds.
"""

from __future__ import annotations

from planner.domain.service_point import KIND_LABELS, ServicePoint
from planner.maps.svg import num

KIND_ORDER = ("france_services", "conseiller_numerique", "epn", "msap", "mediatheque", "france_services_itinerant",
              "club_informatique", "mairie_numerique", "promeneur_du_net", "fablab", "coworking", "autre_lieu")
KIND_STYLE = {  # shape, fill colour
    "france_services": ("square", "#1b4f9c"),
    "conseiller_numerique": ("triangle", "#6a3d9a"),
    "epn": ("diamond", "#00796b"),
    "msap": ("diamond", "#5d6d7e"),
    "mediatheque": ("circle", "#2e7d32"),
    "france_services_itinerant": ("square-open", "#1b4f9c"),
    # Places the need does not count by default: small, pale grey-brown shapes, readable but quiet.
    "club_informatique": ("triangle", "#8d6e63"),
    "mairie_numerique": ("square", "#8d6e63"),
    "promeneur_du_net": ("circle", "#a1887f"),
    "fablab": ("diamond", "#a1887f"),
    "coworking": ("square-open", "#8d6e63"),
    "autre_lieu": ("circle", "#bcaaa4"),
}
VEHICLE_COLOURS = ("#0b3d91", "#b0005a", "#00695c", "#6d4c00")


def primary_kind(point: ServicePoint) -> str:
    return next((k for k in KIND_ORDER if k in point.kinds), KIND_ORDER[-1])


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def shape(kind: str, x: float, y: float, size: float = 5.0, extra: str = "") -> str:
    """The SVG element of one place of help centred on (x, y); ``extra`` holds child elements."""
    form, colour = KIND_STYLE.get(kind, ("circle", "#444444"))
    s = size
    style = f'fill="{colour}" stroke="#ffffff" stroke-width="1"'
    if form == "square":
        return f'<rect x="{num(x - s)}" y="{num(y - s)}" width="{num(2 * s)}" height="{num(2 * s)}" {style}>{extra}</rect>'
    if form == "square-open":
        return (f'<rect x="{num(x - s)}" y="{num(y - s)}" width="{num(2 * s)}" height="{num(2 * s)}" '
                f'fill="#ffffff" stroke="{colour}" stroke-width="2">{extra}</rect>')
    if form == "triangle":
        points = f"{num(x)},{num(y - 1.2 * s)} {num(x + 1.1 * s)},{num(y + 0.8 * s)} {num(x - 1.1 * s)},{num(y + 0.8 * s)}"
        return f'<polygon points="{points}" {style}>{extra}</polygon>'
    if form == "diamond":
        points = f"{num(x)},{num(y - 1.3 * s)} {num(x + 1.1 * s)},{num(y)} {num(x)},{num(y + 1.3 * s)} {num(x - 1.1 * s)},{num(y)}"
        return f'<polygon points="{points}" {style}>{extra}</polygon>'
    return f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(s)}" {style}>{extra}</circle>'


def base_symbol(x: float, y: float, colour: str, extra: str = "") -> str:
    """A house: the vehicle's base, where every week starts and ends."""
    house = ((0, -11), (10, -2), (7, -2), (7, 8), (-7, 8), (-7, -2), (-10, -2))
    points = " ".join(f"{num(x + dx)},{num(y + dy)}" for dx, dy in house)
    return f'<polygon class="base" points="{points}" fill="{colour}" stroke="#ffffff" stroke-width="1.5">{extra}</polygon>'
