"""The season map: communes coloured by need, places of help, numbered stops, weekly routes.

Need comes in as a mapping (INSEE code -> value) so the map does not depend on how it is
computed. Stops are numbered in season order (1 = first stop of the season); with ``week`` set,
that ISO week's stops are numbered 1, 2, ... in their order, its routes are drawn bold and the
other stops fade to small dots.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

from planner.domain.formatting import fr_date, fr_number, iso_week_label
from planner.domain.service_point import ServicePoint
from planner.domain.stop import Stop
from planner.domain.territory import Territory
from planner.domain.vehicle import Vehicle
from planner.maps.canvas import Canvas, LegendSection
from planner.maps.labels import LabelPlacer, wrap_words
from planner.maps.outlines import Outlines, load_outlines
from planner.maps.palette import UNKNOWN_COLOUR, ZERO_COLOUR, need_classes
from planner.maps.svg import esc, halo_text, num
from planner.maps.symbols import KIND_ORDER, VEHICLE_COLOURS, base_symbol, kind_label, primary_kind, shape

NEED_LABEL = "Besoin : seniors loin d'un lieu d'aide"
LEGEND_WIDTH = 270
LINE = 19  # legend line height
LABEL_SIZE = 11


def season_map_svg(territory: Territory, *, need: Mapping[str, float], stops: Sequence[Stop] = (),
                   vehicles: Sequence[Vehicle] = (), week: dt.date | None = None, width: int = 900,
                   title: str = "", need_label: str = NEED_LABEL, id_prefix: str = "carte",
                   outlines: Outlines | None = None, sites: Mapping[str, tuple[float, float]] | None = None) -> str:
    """SVG text of the season map of ``territory`` (deterministic: same input, same bytes).

    ``need`` maps INSEE codes to need values (a missing code is shown as unknown); ``stops`` are
    placed at their commune's centre (stops outside the territory are left out); ``vehicles``
    give the bases that routes start from (a stop whose vehicle is not listed gets no route);
    ``week`` is any date of the ISO week to highlight; ``sites`` maps INSEE codes to the (lon, lat)
    of a geocoded host site, where that commune's stops are drawn and routed instead of its centre;
    ``id_prefix`` keeps element ids unique when a page holds several maps; ``width`` is at least
    570 pixels, the height follows from the territory's shape.
    """
    outlines = outlines or load_outlines()
    width = max(int(width), LEGEND_WIDTH + 300)
    bases = [(v.base_lon, v.base_lat) for v in vehicles]
    canvas = Canvas(territory, outlines, width, LEGEND_WIDTH, id_prefix, extra_points=[*bases, *(sites or {}).values()])
    stops = sorted((s for s in stops if s.insee in territory), key=lambda s: (s.date, s.slot, s.vehicle, s.insee))
    week_key = week.isocalendar()[:2] if week else None
    in_week = [s for s in stops if week_key and s.date.isocalendar()[:2] == week_key]
    numbers = _numbers(in_week if week_key else stops)
    by_commune: dict[str, list[Stop]] = defaultdict(list)
    for stop in stops:
        by_commune[stop.insee].append(stop)
    classes = need_classes(need.get(c.insee) for c in territory.communes)
    colour_of_vehicle = {v.name: VEHICLE_COLOURS[i % len(VEHICLE_COLOURS)] for i, v in enumerate(vehicles)}

    def fill(insee: str) -> str:
        colour = classes.colour(need.get(insee))
        return f"url(#{esc(id_prefix)}-inconnu)" if colour == UNKNOWN_COLOUR else colour

    def tooltip(insee: str) -> str:
        commune = territory.commune(insee)
        value = need.get(insee)
        text = f"{commune.name} ({insee}) – besoin : " + ("inconnu" if value is None or math.isnan(value) else fr_number(value))
        visits = by_commune.get(insee, [])
        if not visits:
            return text + " – aucun arrêt"
        listed = ", ".join(f"n° {numbers[s]} le {fr_date(s.date)}" if s in numbers else fr_date(s.date) for s in visits)
        return text + f" – {len(visits)} arrêt{'s' if len(visits) > 1 else ''} : {listed}"

    canvas.draw_context()
    canvas.draw_communes(fill, tooltip)
    canvas.draw_lines()
    sites = dict(sites or {})

    def place(insee: str) -> tuple[float, float]:
        commune = territory.commune(insee)
        return sites.get(insee, (commune.lon, commune.lat))

    routes = _routes(stops, vehicles, place)
    for (name, key), points in sorted(routes.items()):
        bold = week_key is not None and key == week_key
        faded = week_key is not None and not bold
        xy = " ".join(f"{num(x)},{num(y)}" for x, y in (canvas.projection.point(lon, lat) for lon, lat in points))
        label = f"{name} {iso_week_label(dt.date.fromisocalendar(key[0], key[1], 1))}"
        canvas.body.append(f'<polyline class="trajet{" semaine" if bold else ""}" data-vehicle="{esc(name)}" '
                           f'data-week="{key[0]}-W{key[1]:02d}" points="{xy}" fill="none" stroke="{colour_of_vehicle[name]}" '
                           f'stroke-width="{3 if bold else 1.2}" stroke-opacity="{0.9 if bold else 0.2 if faded else 0.45}" '
                           f'stroke-linejoin="round"><title>{esc("Trajet " + label)}</title></polyline>')
    points = _visible_points(territory, canvas)
    for point in points:
        x, y = canvas.projection.point(point.lon, point.lat)
        names = ", ".join(kind_label(k) for k in KIND_ORDER if k in point.kinds)
        canvas.body.append(shape(primary_kind(point), x, y, 4.5, f"<title>{esc(f'{point.name} ({names})')}</title>"))
    placer = LabelPlacer((0, canvas.projection.y0 - 10_000, canvas.map_width, 10_000))
    markers = []
    for insee, visits in sorted(by_commune.items(), key=lambda kv: numbers.get(kv[1][0], 0)):
        commune = territory.commune(insee)
        x, y = canvas.projection.point(*place(insee))
        numbered = [numbers[s] for s in visits if s in numbers]
        colour = colour_of_vehicle.get(visits[0].vehicle, VEHICLE_COLOURS[0])
        placer.block((x - 6, y - 6, x + 6, y + 6))
        if numbered:
            text = ", ".join(str(n) for n in numbered)
            markers.append((x, y, f"{text} {commune.name}" if week_key else text, colour, commune.name))
        else:
            canvas.body.append(f'<circle class="arret-hors-semaine" cx="{num(x)}" cy="{num(y)}" r="2.5" fill="#4d4d4d" '
                               f'aria-hidden="true"/>')
    base_labels = []
    for vehicle in vehicles:
        x, y = canvas.projection.point(vehicle.base_lon, vehicle.base_lat)
        placer.block((x - 11, y - 12, x + 11, y + 9))
        base_labels.append((x, y, vehicle))
    base_names = []
    for x, y, vehicle in base_labels:  # the base is named before stop numbers take the room
        lx, ly, anchor, _far = placer.place(x, y - 2, vehicle.base_label, 12)
        base_names.append(halo_text(lx, ly, vehicle.base_label, size=12, weight="bold", anchor=anchor))
    labels = []
    for x, y, text, _colour, name in markers:
        lx, ly, anchor, far = placer.place(x, y, text, LABEL_SIZE)
        if far:
            canvas.body.append(f'<path class="renvoi" d="M{num(x)} {num(y)}L{num(lx)} {num(ly - LABEL_SIZE / 3)}" '
                               f'stroke="#404040" stroke-width="0.8" aria-hidden="true"/>')
        labels.append(halo_text(lx, ly, text, size=LABEL_SIZE, weight="bold", anchor=anchor, css_class="numero")
                      .replace("<g ", f'<g data-commune="{esc(name)}" ', 1))
    for x, y, _text, colour, _name in markers:
        canvas.body.append(f'<circle class="arret" cx="{num(x)}" cy="{num(y)}" r="5" fill="#ffffff" stroke="{colour}" '
                           f'stroke-width="2.5" aria-hidden="true"/>')
    for x, y, vehicle in base_labels:  # on top of a stop in the base's own commune
        canvas.body.append(base_symbol(x, y, colour_of_vehicle[vehicle.name],
                                       f"<title>{esc(f'Base de {vehicle.name} : {vehicle.base_label}')}</title>"))
    canvas.body += base_names + labels

    legend = _legend(canvas, classes, need, territory, points, vehicles, colour_of_vehicle, week, bool(stops),
                     need_label, id_prefix)
    weeks = {s.date.isocalendar()[:2] for s in stops}
    subtitle = f"{len(territory.communes)} communes"
    if stops:
        subtitle += f" · {len(stops)} arrêts en {len(weeks)} semaines, du {fr_date(stops[0].date)} au {fr_date(stops[-1].date)}"
    if week:
        subtitle += f" · semaine {iso_week_label(week)} en évidence ({len(in_week)} arrêts)"
    description = _description(territory, need, stops, points, week, in_week)
    hatch = (f'<pattern id="{esc(id_prefix)}-inconnu" patternUnits="userSpaceOnUse" width="6" height="6" '
             f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
             f'<path d="M0 0V6" stroke="#8c8c8c" stroke-width="2"/></pattern>')
    return canvas.document(title or "Carte des besoins et des arrêts", subtitle, description, legend, hatch)


def _numbers(numbered: Sequence[Stop]) -> dict[Stop, int]:
    """Stop -> its number, 1 for the first: order in the season, or in the highlighted week."""
    return {stop: i + 1 for i, stop in enumerate(numbered)}


def _routes(stops: Sequence[Stop], vehicles: Sequence[Vehicle], place) -> dict:
    """(vehicle, ISO week) -> lon/lat points driven: base, each stop, back to base unless the bus
    sleeps away after it, and base at the end of the week."""
    bases = {v.name: (v.base_lon, v.base_lat) for v in vehicles}
    weekly: dict[tuple[str, tuple[int, int]], list[Stop]] = defaultdict(list)
    for stop in stops:
        if stop.vehicle in bases:
            weekly[(stop.vehicle, tuple(stop.date.isocalendar()[:2]))].append(stop)
    routes = {}
    for (name, key), items in weekly.items():
        base = bases[name]
        points = [base]
        for i, stop in enumerate(items):
            points.append(place(stop.insee))
            if not stop.away_after or i == len(items) - 1:
                points.append(base)
        routes[(name, key)] = points
    return routes


def _visible_points(territory: Territory, canvas: Canvas) -> list[ServicePoint]:
    lon0, lat0, lon1, lat1 = canvas.visible()
    inside = [p for p in territory.service_points if lon0 <= p.lon <= lon1 and lat0 <= p.lat <= lat1]
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    # Rarer, more important kinds last so that they are drawn on top.
    return sorted(inside, key=lambda p: (-order[primary_kind(p)], p.point_id))


class _LegendWriter:
    """Legend sections: a heading (wrapped to the column) and lines of symbol + text."""

    def __init__(self, width: float) -> None:
        self.width = width
        self.sections: list[LegendSection] = []
        self.lines: list[str] = []
        self.y = 0.0

    def heading(self, text: str) -> None:
        if self.lines:
            self.sections.append(LegendSection(tuple(self.lines), self.y + 6))
            self.lines, self.y = [], 0.0
        self.subheading(text)

    def subheading(self, text: str) -> None:
        self.y += 10
        for line in wrap_words(text, 13, self.width):
            self.lines.append(f'<text x="0" y="{num(self.y + 12)}" font-size="13" font-weight="bold" '
                              f'fill="#1a1a1a">{esc(line)}</text>')
            self.y += 17
        self.y += 3

    def item(self, symbol: str, text: str) -> None:
        self.lines.append(f'<g transform="translate(0 {num(self.y)})">{symbol}</g>')
        self.lines.append(f'<text x="30" y="{num(self.y + 12)}" font-size="12" fill="#1a1a1a">{esc(text)}</text>')
        self.y += LINE

    def done(self) -> list[LegendSection]:
        if self.lines:
            self.sections.append(LegendSection(tuple(self.lines), self.y + 6))
        return self.sections


def _legend(canvas, classes, need, territory, points, vehicles, colour_of_vehicle, week, has_stops, need_label, id_prefix):
    legend = _LegendWriter(canvas.legend_width_available())
    legend.heading(need_label)
    counts: dict[str, int] = defaultdict(int)
    for commune in territory.communes:
        counts[classes.colour(need.get(commune.insee))] += 1
    swatch = '<rect x="0" y="1" width="22" height="14" fill="{}" stroke="#7a7a7a" stroke-width="0.5"/>'
    for colour, text in [(ZERO_COLOUR, "0 : lieu d'aide à portée"), *classes.labels()]:
        legend.item(swatch.format(colour), f"{text} ({counts[colour]})")
    if counts[UNKNOWN_COLOUR]:
        legend.item(swatch.format(f"url(#{esc(id_prefix)}-inconnu)"), f"inconnu ({counts[UNKNOWN_COLOUR]})")
    kinds: dict[str, int] = defaultdict(int)
    for point in points:
        kinds[primary_kind(point)] += 1
    if kinds:
        legend.heading("Lieux d'aide numérique")
        for kind in KIND_ORDER:
            if kinds[kind]:
                legend.item(shape(kind, 11, 8, 5), f"{kind_label(kind)} ({kinds[kind]})")
    legend.heading("Tournée")
    first = VEHICLE_COLOURS[0]
    for vehicle in vehicles:
        legend.item(base_symbol(11, 10, colour_of_vehicle[vehicle.name]), f"base : {vehicle.base_label} ({vehicle.name})")
    if has_stops:
        legend.item(f'<circle cx="11" cy="8" r="5" fill="#ffffff" stroke="{first}" stroke-width="2.5"/>',
                    "arrêt n° (ordre dans la semaine)" if week else "arrêt n° (ordre dans la saison)")
        if week:
            legend.item('<circle cx="11" cy="8" r="2.5" fill="#4d4d4d"/>', "arrêt d'une autre semaine")
        if vehicles:
            legend.item(f'<path d="M0 8H22" stroke="{first}" stroke-width="1.2" stroke-opacity="0.45"/>',
                        "trajet d'une semaine (base, arrêts, base)")
            if week:
                legend.item(f'<path d="M0 8H22" stroke="{first}" stroke-width="3"/>',
                            f"trajet de la semaine {iso_week_label(week)}")
    legend.subheading("Limites")
    legend.item('<path d="M0 8H22" stroke="#262626" stroke-width="2"/>', "territoire")
    legend.item('<path d="M0 8H22" stroke="#262626" stroke-width="1.6" stroke-dasharray="8 4"/>', "département")
    legend.item('<rect x="0" y="1" width="22" height="14" fill="#f2f2f2" stroke="#cfcfcf"/>', "commune hors territoire")
    return legend.done()


def _description(territory, need, stops, points, week, in_week) -> str:
    values = [need.get(c.insee) for c in territory.communes]
    known = [v for v in values if v is not None and not math.isnan(v)]
    text = f"Carte de {len(territory.communes)} communes."
    if known:
        zero = sum(1 for v in known if v <= 0)
        text += (f" Besoin de 0 à {fr_number(max(known))} ; {zero} communes sans besoin (lieu d'aide à portée)"
                 f"{f', {len(values) - len(known)} inconnues' if len(known) < len(values) else ''}.")
    text += f" {len(points)} lieux d'aide numérique sur la carte."
    if stops:
        visited = len({s.insee for s in stops})
        text += f" {len(stops)} arrêts dans {visited} communes, du {fr_date(stops[0].date)} au {fr_date(stops[-1].date)}."
    if week:
        names = ", ".join(territory.commune(s.insee).name for s in in_week) or "aucun arrêt"
        text += f" Semaine {iso_week_label(week)} : {names}."
    text += " Le détail de chaque commune (besoin, arrêts) apparaît au survol."
    return text
