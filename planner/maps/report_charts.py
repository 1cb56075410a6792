"""The season report's pictures, drawn by the server as SVG: participants per month, fill rate per
stop, and a map of participants per commune against need.

They are printed by funders, often in black and white: series differ by pattern and grey (a
hatched bar for what was expected, a solid one for what happened), every bar and circle carries
its number, and no meaning rests on colour alone. Plain SVG text as the maps (no script, no
external reference), so that pages inline them under a strict Content-Security-Policy and the
workbook turns them into PNG (planner/maps/png.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from planner.core.season_report import SeasonReport, StopLine
from planner.domain.formatting import fr_number, plural
from planner.domain.territory import Territory
from planner.maps.canvas import FONT, MARGIN, Canvas, LegendSection
from planner.maps.labels import LabelPlacer, text_width
from planner.maps.outlines import Outlines, load_outlines
from planner.maps.palette import UNKNOWN_COLOUR, ZERO_COLOUR, NeedClasses, need_classes
from planner.maps.svg import esc, halo_text, num

INK = "#1a1a1a"
HELD_FILL = "#4d4d4d"  # what happened: solid dark grey
GREYS = ("#f0f0f0", "#d0d0d0", "#a8a8a8", "#808080", "#595959")  # need classes, light to dark
HATCH = "hachure"
SHORT_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


def _hatch(prefix: str) -> str:
    """Diagonal black lines on white: the « expected » series, distinct from solid grey in print."""
    return (f'<pattern id="{esc(prefix)}-{HATCH}" patternUnits="userSpaceOnUse" width="6" height="6" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
            f'<path d="M0 0V6" stroke="{INK}" stroke-width="1.4"/></pattern>')


def _document(width: float, height: float, prefix: str, title: str, description: str, body: list[str],
              defs: str = "") -> str:
    p = esc(prefix)
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}" height="{num(height)}" '
        f'viewBox="0 0 {num(width)} {num(height)}" role="img" aria-labelledby="{p}-titre {p}-desc" '
        f'font-family="{FONT}" class="graphique">',
        f'<title id="{p}-titre">{esc(title)}</title>',
        f'<desc id="{p}-desc">{esc(description)}</desc>',
        f"<defs>{defs}</defs>",
        f'<rect width="{num(width)}" height="{num(height)}" fill="#ffffff"/>',
        f'<text x="{MARGIN}" y="22" font-size="16" font-weight="bold" fill="{INK}">{esc(title)}</text>',
        *body,
        "</svg>",
    ]) + "\n"


def _legend_item(x: float, y: float, fill: str, text: str) -> str:
    return (f'<rect x="{num(x)}" y="{num(y)}" width="22" height="12" fill="{fill}" stroke="{INK}" stroke-width="1"/>'
            f'<text x="{num(x + 28)}" y="{num(y + 10)}" font-size="12" fill="{INK}">{esc(text)}</text>')


# --- participants per month -------------------------------------------------------------------

def participants_by_month_svg(report: SeasonReport, *, width: int = 720, id_prefix: str = "mois") -> str:
    """Two bars a month: participants expected by the plan (hatched) and those who came (solid)."""
    months = report.months
    top, bottom, left = 64, 56, 44
    plot_h = 220
    height = top + plot_h + bottom
    plot_w = width - left - MARGIN
    peak = max([m.expected for m in months] + [m.participants for m in months] + [1])
    step = _nice_step(peak)
    ceiling = step * math.ceil(peak / step)
    body = [_legend_item(MARGIN, 32, f"url(#{esc(id_prefix)}-{HATCH})", "attendus (plan)"),
            _legend_item(MARGIN + 160, 32, HELD_FILL, "venus (bilan saisi)")]
    for k in range(int(ceiling / step) + 1):
        value = k * step
        y = top + plot_h - plot_h * value / ceiling
        body.append(f'<path d="M{left} {num(y)}H{num(left + plot_w)}" stroke="#bfbfbf" stroke-width="0.6"/>')
        body.append(f'<text x="{left - 5}" y="{num(y + 4)}" font-size="10" text-anchor="end" fill="{INK}">'
                    f'{fr_number(value)}</text>')
    slot = plot_w / max(len(months), 1)
    bar = min(28.0, slot / 3)
    for i, month in enumerate(months):
        x0 = left + i * slot + slot / 2 - bar
        for j, (value, fill, kind) in enumerate(((month.expected, f"url(#{esc(id_prefix)}-{HATCH})", "attendus"),
                                                 (month.participants, HELD_FILL, "venus"))):
            h = plot_h * value / ceiling
            x = x0 + j * bar
            y = top + plot_h - h
            body.append(f'<rect class="barre {kind}" data-mois="{esc(month.label)}" x="{num(x)}" y="{num(y)}" '
                        f'width="{num(bar - 2)}" height="{num(h)}" fill="{fill}" stroke="{INK}" stroke-width="1">'
                        f'<title>{esc(f"{month.label} : {fr_number(value)} {kind}")}</title></rect>')
            body.append(f'<text x="{num(x + bar / 2 - 1)}" y="{num(y - 4)}" font-size="10" text-anchor="middle" '
                        f'fill="{INK}">{fr_number(value)}</text>')
        label = SHORT_MONTHS[month.first.month - 1]
        body.append(f'<text x="{num(left + i * slot + slot / 2)}" y="{top + plot_h + 16}" font-size="11" '
                    f'text-anchor="middle" fill="{INK}">{esc(label)}</text>')
        body.append(f'<text x="{num(left + i * slot + slot / 2)}" y="{top + plot_h + 30}" font-size="10" '
                    f'text-anchor="middle" fill="#404040">{month.first.year}</text>')
    body.append(f'<path d="M{left} {top + plot_h}H{num(left + plot_w)}" stroke="{INK}" stroke-width="1.2"/>')
    total_expected, total = sum(m.expected for m in months), sum(m.participants for m in months)
    description = (f"Participants par mois : {fr_number(total)} venus pour {fr_number(total_expected)} attendus. "
                   + " ; ".join(f"{m.label} : {fr_number(m.participants)} venus, {fr_number(m.expected)} attendus"
                                for m in months) + ".")
    return _document(width, height, id_prefix, "Participants par mois", description, body, _hatch(id_prefix))


def _nice_step(peak: float) -> float:
    """A round gridline step giving 4 to 8 lines up to ``peak``."""
    raw = max(peak / 5, 1)
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


# --- fill rate per stop -----------------------------------------------------------------------

ROW = 18


def fill_by_stop_svg(report: SeasonReport, *, lines: tuple[StopLine, ...] | None = None, width: int = 720,
                     id_prefix: str = "remplissage") -> str:
    """One row per stop of the season (or of ``lines``, a page of it): its fill (participants /
    places) as a bar up to 100 %, the figures written beside it; a cancelled stop says so and why,
    a stop without its figures too."""
    lines = report.stops if lines is None else lines
    label_w = max([text_width(_stop_label(line), 11) for line in lines] + [120]) + 8
    left = MARGIN + label_w
    bar_w = max(200.0, width - left - 150)
    top = 62
    height = top + ROW * max(len(lines), 1) + 40
    body = [_legend_item(MARGIN, 32, HELD_FILL, "participants / places (tenu)"),
            _legend_item(MARGIN + 230, 32, f"url(#{esc(id_prefix)}-{HATCH})", "annulé")]
    for k in (0, 25, 50, 75, 100):
        x = left + bar_w * k / 100
        body.append(f'<path d="M{num(x)} {top - 4}V{num(top + ROW * len(lines))}" stroke="#bfbfbf" '
                    f'stroke-width="{1.2 if k == 100 else 0.6}"/>')
        body.append(f'<text x="{num(x)}" y="{num(top + ROW * len(lines) + 14)}" font-size="10" text-anchor="middle" '
                    f'fill="{INK}">{k} %</text>')
    for i, line in enumerate(lines):
        y = top + i * ROW
        body.append(f'<text x="{num(left - 6)}" y="{num(y + 12)}" font-size="11" text-anchor="end" fill="{INK}">'
                    f'{esc(_stop_label(line))}</text>')
        if line.fill is not None:
            w = bar_w * min(line.fill, 1.0)
            text = f"{line.participants}/{line.places} ({fr_number(100 * line.fill)} %)"
            if line.waiting:
                text += f", {line.waiting} en attente"
            body.append(f'<rect class="barre tenu" data-date="{line.date.isoformat()}" data-insee="{line.insee}" '
                        f'x="{num(left)}" y="{num(y + 2)}" width="{num(w)}" height="{ROW - 5}" fill="{HELD_FILL}" '
                        f'stroke="{INK}" stroke-width="0.8"><title>{esc(_stop_label(line) + " : " + text)}</title></rect>')
            body.append(f'<text x="{num(left + w + 5)}" y="{num(y + 12)}" font-size="10" fill="{INK}">{esc(text)}</text>')
        else:
            cancelled = line.status == "cancelled"
            if cancelled:
                body.append(f'<rect class="barre annule" data-date="{line.date.isoformat()}" data-insee="{line.insee}" '
                            f'x="{num(left)}" y="{num(y + 2)}" width="40" height="{ROW - 5}" '
                            f'fill="url(#{esc(id_prefix)}-{HATCH})" stroke="{INK}" stroke-width="0.8"/>')
            text = (line.status_label + (f" : {line.reason}" if line.reason else "")) if cancelled else (
                "tenu, participants non saisis" if line.held else "bilan non saisi")
            body.append(f'<text x="{num(left + (46 if cancelled else 0))}" y="{num(y + 12)}" font-size="10" '
                        f'font-style="italic" fill="{INK}">{esc(text)}</text>')
    held = [line for line in lines if line.fill is not None]
    description = (f"Remplissage de {len(held)} arrêts tenus sur {len(lines)} : "
                   + " ; ".join(f"{_stop_label(line)} {fr_number(100 * line.fill)} %" for line in held) + ".")
    return _document(width, height, id_prefix, "Remplissage de chaque arrêt", description, body, _hatch(id_prefix))


def _stop_label(line: StopLine) -> str:
    return f"{line.date:%d/%m/%Y} {line.commune}"


# --- participants per commune against need -----------------------------------------------------

def participants_map_svg(territory: Territory, report: SeasonReport, need: Mapping[str, float], *, width: int = 900,
                         id_prefix: str = "bilan-carte", outlines: Outlines | None = None) -> str:
    """Communes shaded by need (greys, darker = more seniors far from help), a circle at each
    commune whose stops were held, its area proportional to the participants who came there and
    its number written beside it; a cross where every stop was cancelled."""
    outlines = outlines or load_outlines()
    canvas = Canvas(territory, outlines, max(int(width), 570), 270, id_prefix)
    base = need_classes(need.get(c.insee) for c in territory.communes)
    picks = [round(i * (len(GREYS) - 1) / max(len(base.colours) - 1, 1)) for i in range(len(base.colours))]
    classes = NeedClasses(base.breaks, tuple(GREYS[i] for i in picks) if len(base.colours) > 1 else GREYS[-1:])
    came: dict[str, int] = {}
    cancelled: dict[str, int] = {}
    for line in report.stops:
        if line.held:
            came[line.insee] = came.get(line.insee, 0) + (line.participants or 0)
        elif line.status == "cancelled":
            cancelled[line.insee] = cancelled.get(line.insee, 0) + 1

    def fill(insee: str) -> str:
        colour = classes.colour(need.get(insee))
        if colour == UNKNOWN_COLOUR:
            return "#ffffff"
        return "#ffffff" if colour == ZERO_COLOUR else colour

    def tooltip(insee: str) -> str:
        commune = territory.commune(insee)
        value = need.get(insee)
        text = f"{commune.name} ({insee}) – besoin : " + ("inconnu" if value is None else fr_number(value))
        if insee in came:
            text += f" – {came[insee]} participant(s)"
        if insee in cancelled:
            text += f" – {plural(cancelled[insee], 'arrêt annulé')}"
        return text

    canvas.draw_context()
    canvas.draw_communes(fill, tooltip)
    canvas.draw_lines()
    peak = max(list(came.values()) + [1])
    radius = lambda n: 4 + 18 * math.sqrt(n / peak)  # noqa: E731 - area proportional to participants
    placer = LabelPlacer((0, 0, canvas.map_width, 10_000))
    labels = []
    sites = {c.insee: (c.lon, c.lat) for c in territory.communes}
    for insee, n in sorted(came.items(), key=lambda kv: -kv[1]):
        x, y = canvas.projection.point(*sites[insee])
        r = radius(n)
        canvas.body.append(f'<circle class="participants" data-insee="{insee}" data-participants="{n}" cx="{num(x)}" '
                           f'cy="{num(y)}" r="{num(r)}" fill="#ffffff" fill-opacity="0.75" stroke="{INK}" '
                           f'stroke-width="1.6"><title>{esc(tooltip(insee))}</title></circle>')
        placer.block((x - r, y - r, x + r, y + r))
    for insee, n in sorted(came.items(), key=lambda kv: -kv[1]):
        x, y = canvas.projection.point(*sites[insee])
        text = f"{n} {territory.commune(insee).name}"
        lx, ly, anchor, _far = placer.place(x + radius(n) - 6, y, text, 11)
        labels.append(halo_text(lx, ly, text, size=11, weight="bold", anchor=anchor, css_class="numero"))
    for insee in sorted(set(cancelled) - set(came)):
        x, y = canvas.projection.point(*sites[insee])
        canvas.body.append(f'<path class="annule" data-insee="{insee}" d="M{num(x - 5)} {num(y - 5)}L{num(x + 5)} '
                           f'{num(y + 5)}M{num(x - 5)} {num(y + 5)}L{num(x + 5)} {num(y - 5)}" stroke="{INK}" '
                           f'stroke-width="2.2"><title>{esc(tooltip(insee))}</title></path>')
    canvas.body += labels
    lines: list[str] = []
    y = 10.0

    def line(symbol: str, text: str) -> None:
        nonlocal y
        lines.append(f'<g transform="translate(0 {num(y)})">{symbol}</g>'
                     f'<text x="30" y="{num(y + 12)}" font-size="12" fill="{INK}">{esc(text)}</text>')
        y += 19

    def heading(text: str) -> None:
        nonlocal y
        lines.append(f'<text x="0" y="{num(y + 12)}" font-size="13" font-weight="bold" fill="{INK}">{esc(text)}</text>')
        y += 20

    swatch = '<rect x="0" y="1" width="22" height="14" fill="{}" stroke="#7a7a7a" stroke-width="0.5"/>'
    heading("Besoin (seniors loin d'aide)")
    line(swatch.format("#ffffff"), "0 : lieu d'aide à portée")
    for colour, text in classes.labels():
        line(swatch.format(colour), text)
    heading("Participants venus")
    for n in sorted({peak, max(1, round(peak / 4))}, reverse=True):
        r = radius(n)
        line(f'<circle cx="11" cy="8" r="{num(min(r, 10))}" fill="#ffffff" stroke="{INK}" stroke-width="1.6"/>',
             f"{fr_number(n)} participants" + (" (cercle à l'échelle sur la carte)" if r > 10 else ""))
    line(f'<path d="M6 3L16 13M6 13L16 3" stroke="{INK}" stroke-width="2.2"/>', "arrêts annulés, aucun tenu")
    legend = [LegendSection(tuple(lines), y + 6)]
    total = sum(came.values())
    description = (f"Carte de {len(territory.communes)} communes ombrées par besoin ; {total} participants venus dans "
                   f"{len(came)} communes : " + ", ".join(f"{territory.commune(i).name} {n}"
                                                        for i, n in sorted(came.items(), key=lambda kv: -kv[1])) + ".")
    subtitle = f"{total} participants venus dans {len(came)} commune(s) ; {len(cancelled)} commune(s) avec un arrêt annulé"
    return canvas.document("Participants par commune et besoin", subtitle, description, legend)
