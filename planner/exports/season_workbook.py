"""The season workbook: overview with the season map, the season's list by date, one sheet per
month with its ISO weeks, one per EPCI, communes and parameters.

Written for people who print it: every sheet fits the width of an A4 landscape page and numbers
its pages (see sheet_layout.py); a month's weeks share pages (a page break only before a week
that would not fit), closed days are shaded; dates are real date cells (DD/MM/YYYY), so that
the planner can sort and filter them. The "Liste" sheet is what an intercommunality copies into
its bulletin. Parameters are named in French with their meaning.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

import numpy as np
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.core.figures import duty_days, group_figures, participants_by_commune, period_figures, unvisited_reasons
from planner.core.instance import Instance
from planner.core.service import request_services
from planner.domain.formatting import fr_date, fr_number, plural
from planner.domain.plan import Plan
from planner.domain.service_point import KIND_LABELS
from planner.domain.stop import Stop
from planner.domain.weekdays import french_weekday
from planner.exports.places import place_of
from planner.exports.season_context import SeasonContext, vehicle_text
from planner.exports.season_parameters import parameters_sheet
from planner.exports.sheet_layout import CLOSED_FILL, Column, Sheet, finish_alike, new_workbook
from planner.exports.stop_details import StopDetails
from planner.maps.png import season_map_png

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
NO_STOP = "aucun arrêt prévu"

def season_workbook(plan: Plan, instance: Instance, *, generated: dt.date | None = None,
                    public: bool = False) -> Workbook:
    """The workbook of a season; ``plan.stops`` must be evaluated (figures filled). ``public``: the
    instance's requests carry only their public fields (planner.domain.disclosure) and the contact
    column is left out."""
    context = SeasonContext(plan, instance, generated or dt.date.today())
    workbook = new_workbook()
    _season_sheet(context, workbook.active)
    _list_sheet(context, workbook.create_sheet())
    months = defaultdict(list)
    for monday in context.weeks():
        months[monday.year, monday.month].append(monday)
    finish_alike([_month_sheet(context, workbook.create_sheet(), month, mondays) for month, mondays in months.items()],
                 freeze=False, repeat_header=False)
    finish_alike([_epci_sheet(context, workbook.create_sheet(), epci, public) for epci in context.epcis_with_stops()])
    _communes_sheet(context, workbook.create_sheet())
    parameters_sheet(context, workbook.create_sheet())
    return workbook


def _season_sheet(c: SeasonContext, ws: Worksheet) -> None:
    ws.title = "Saison"
    season = c.scenario.season
    far_km = c.instance.params.need.far_km
    columns = [Column("Mois"), Column("Du", "date"), Column("Au", "date"), Column("Jours avec arrêt", "int"),
               Column("Jours sans arrêt", "int"), Column("Arrêts", "int"), Column("Communes", "int"), Column("EPCI", "int"),
               Column("Places offertes", "int"), Column("Participants attendus", "int"),
               Column(f"dont à plus de {far_km:g} km d'un lieu d'aide", "int"), Column("Remplissage", "pct"),
               Column("Jours de marché", "int"), Column("km", "int"), Column("Heures de route", "dec1")]
    sheet = Sheet(ws, len(columns), c.heading, c.footer)
    sheet.title(c.heading)
    vehicles = " ; ".join(vehicle_text(v) for v in c.scenario.vehicles)
    sheet.note(f"{vehicles} · {c.solver_text()} · généré le {fr_date(c.generated)}", quiet=True)
    sheet.skip()
    _season_map(c, sheet)
    months = sorted({(d.year, d.month) for d in [season.start, season.end, *[s.date for s in c.stops]]})
    first, last = months[0], months[-1]
    rows = []
    year, month = first
    while (year, month) <= last:
        start = dt.date(year, month, 1)
        end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        stops = [s for s in c.stops if start <= s.date <= end]
        rows.append(_period_row(c, f"{MONTHS[month - 1]} {year}", stops, start, end))
        year, month = year + month // 12, month % 12 + 1
    total = _period_row(c, "Total de la saison", list(c.stops), season.start, season.end)
    sheet.table(columns, rows, total=total)
    sheet.skip()
    sheet.note("Participants attendus : un senior ne vient qu'une fois dans la saison, à l'arrêt où il a pris place ; "
               "le total de la saison est la somme des mois.", quiet=True)
    unchecked = c.plan.metrics.unconfirmed_markets if c.plan.metrics else ()
    if unchecked:
        sheet.skip()
        sheet.note("Marchés à confirmer : "
                   f"{plural(c.plan.metrics.unconfirmed_market_stops, 'arrêt tombe', 'arrêts tombent')} un jour de marché "
                   "relevé sur une liste publique que personne n'a vérifiée ; à confirmer avant d'annoncer la saison",
                   bold=True)
        for label in unchecked:
            sheet.note(f"□ {label}")
    services = request_services(c.scenario.requests, c.plan.stops, c.plan.unserved)
    if services:  # lines, not a table: a table would share, and widen, the columns of the months
        sheet.skip()
        sheet.note("Demandes des communes", bold=True)
        for u in services:
            commune = c.territory.commune(u.insee).name if u.insee in c.territory else u.insee
            priority = "impérative" if u.priority == "must" else "souhaitée"
            sheet.note(f"{u.request_id} · {commune} ({u.insee}) · {priority} : {u.message}")
    sheet.skip()
    sheet.note("Légende", bold=True)
    for line in _legend(c):
        sheet.note(line)
    sheet.finish()


MAP_WIDTH_PX = 500  # on the sheet; the page is fitted to the table's width, the map stays within it
MAP_ROWS = 26


def _season_map(c: SeasonContext, sheet: Sheet) -> None:
    """The season map (communes by need, places of help, numbered stops) under the title."""
    need = {commune.insee: float(c.instance.need.need[i]) for i, commune in enumerate(c.territory.communes)}
    try:
        png = season_map_png(c.territory, need=need, stops=c.stops, vehicles=c.scenario.vehicles,
                             sites=c.scenario.host_sites(), scale=1.0)
    except OSError:  # libcairo2 missing: say so rather than fail the whole workbook
        sheet.note("Carte indisponible sur ce poste (bibliothèque libcairo2 absente).", quiet=True)
        return
    image = Image(io.BytesIO(png))
    ratio = MAP_WIDTH_PX / image.width
    image.width, image.height = MAP_WIDTH_PX, round(image.height * ratio)
    sheet.ws.add_image(image, f"A{sheet.row}")
    sheet.skip(max(MAP_ROWS, round(image.height / 17) + 1))


def _period_row(c: SeasonContext, label: str, stops: list[Stop], start: dt.date, end: dt.date) -> list:
    period = period_figures(c.instance, stops, start, end)
    metrics = period.metrics
    return [label, period.first, period.last, period.stop_days, period.idle_days, metrics.stops,
            metrics.communes_visited, period.intercommunalities, metrics.seats, metrics.participants,
            metrics.participants_far, metrics.fill_rate, metrics.market_day_stops, metrics.km_total,
            round(metrics.drive_minutes_total / 60, 1)]


def _legend(c: SeasonContext) -> list[str]:
    need = c.instance.params.need
    travel = c.instance.params.travel
    roads = ("distances routières du serveur OSRM configuré" if travel.osrm_url else
             f"distances estimées : {fr_number(travel.circuity, 1)} × la distance à vol d'oiseau, à "
             f"{fr_number(travel.speed_kmh)} km/h de moyenne")
    if any(v.overnight_nights for v in c.scenario.vehicles):
        previous = ("« depuis le lieu précédent » : depuis la base, ou depuis l'arrêt de la veille quand le véhicule dort "
                    "en tournée ; « km du jour » : trajets du jour.")
    else:
        previous = ("« depuis le lieu précédent » : depuis la base du véhicule, qui y revient chaque soir ; « km du jour » : "
                    "aller-retour.")
    return [
        f"Participants attendus : un passage attire {fr_number(100 * need.take_up, 1)} % des seniors de chaque commune "
        f"(calé sur l'étude : « près de 200 séniors » pour les 12 jours de bus de 2018-2019), d'autant moins que "
        f"l'arrêt est loin (la moitié à {fr_number(need.decay_half_km)} km, personne au-delà de "
        f"{fr_number(need.catchment_km)} km) ; un arrêt en accueille au plus ses places ; sur la saison, au plus "
        f"{fr_number(100 * need.season_share, 1)} % des seniors d'une commune viennent, un senior venu ne revient pas.",
        f"Loin d'un lieu d'aide : à plus de {fr_number(need.far_km)} km par la route du lieu d'aide numérique le plus "
        f"proche ({', '.join(KIND_LABELS.get(k, k) for k in need.service_kinds)}).",
        f"km et minutes : {roads}. {previous}",
        "Onglet « Liste » : toutes les venues par date, pour les bulletins. Onglets des mois : chaque semaine ISO, une "
        "ligne par jour de travail du véhicule, y compris les jours sans arrêt et les jours fermés (grisés, avec leur "
        "raison).",
        "Lieu d'accueil : celui qu'indique la demande servie, sinon le lieu habituel de la commune fixé par "
        "l'équipe, sinon la mairie (adresse de l'Annuaire de l'administration, « à confirmer »). Trajets et cartes "
        "partent de ce lieu. Ateliers : horaires de chaque atelier.",
        "Onglets EPCI : les arrêts de chaque intercommunalité. « Communes » : besoin, visites et participants attendus "
        "de chaque commune. « Paramètres » : réglages, sources des données et qualité de la résolution.",
    ]


WEEK_COLUMNS = [
    Column("Date", "date"), Column("Jour"), Column("Véhicule", max_width=12), Column("Commune", max_width=24),
    Column("Lieu d'accueil (adresse)", max_width=28), Column("Ateliers", max_width=26),
    Column("km depuis le lieu précédent", "dec1"), Column("min depuis le lieu précédent", "int"),
    Column("km du jour", "dec1"), Column("Jour de marché", max_width=18), Column("Demande", max_width=20),
    Column("Notes", max_width=44),
]


PAGE_LINES = 56  # text lines of a landscape A4 page at the scale the week table prints


def _month_sheet(c: SeasonContext, ws: Worksheet, month: tuple[int, int], mondays: list[dt.date]) -> Sheet:
    """The ISO weeks whose Monday falls in ``month``, one table each, several to a page."""
    year, number = month
    ws.title = f"{MONTHS[number - 1].capitalize()} {year}"
    sheet = Sheet(ws, len(WEEK_COLUMNS), c.heading, c.footer)
    sheet.title(f"{MONTHS[number - 1].capitalize()} {year} · semaines {', '.join(str(m.isocalendar()[1]) for m in mondays)}")
    used = 2
    for n, monday in enumerate(mondays):
        rows, fills, total = _week_rows(c, monday)
        lines = 6 + sum(max(1, str(r[5]).count("\n") + 1, len(str(r[11])) // 42 + 1) for r in rows)
        if n and used + lines > PAGE_LINES:
            sheet.page_break()
            used = 0
        sheet.skip()
        sunday = monday + dt.timedelta(days=6)
        sheet.note(f"Semaine {monday.isocalendar()[1]} · du lundi {fr_date(monday)} au dimanche {fr_date(sunday)}", bold=True)
        sheet.table(WEEK_COLUMNS, rows, total=total, fills=fills)
        used += lines
    return sheet


def _week_rows(c: SeasonContext, monday: dt.date) -> tuple[list[list], dict[int, object], list]:
    """The rows of one ISO week: every vehicle weekday, with or without a stop; closed days shaded."""
    sunday = monday + dt.timedelta(days=6)
    by_day: dict[tuple[dt.date, str], list[Stop]] = defaultdict(list)
    for stop in c.stops:
        if monday <= stop.date <= sunday:
            by_day[stop.date, stop.vehicle].append(stop)
    closed = {}
    for day, vehicle, reason in duty_days(c.scenario, monday, sunday):
        by_day.setdefault((day, vehicle), [])
        closed[day, vehicle] = reason
    rows, fills = [], {}
    reasons = set(closed.values())
    if by_day and not any(by_day.values()) and len(reasons) == 1 and "" not in reasons:
        # A week closed throughout for one reason (school holidays): one shaded line, not five.
        first = min(day for day, _ in by_day)
        row = [first, "toute la semaine", "", "", "", "", None, None, None, "", "", f"fermé : {reasons.pop()}"]
        return [row], {0: CLOSED_FILL}, ["Total", "", "", plural(0, "arrêt"), "", "", None, None, 0.0, "", "", ""]
    for (day, vehicle) in sorted(by_day, key=lambda k: (k[0], c.vehicle_rank(k[1]))):
        stops = by_day[day, vehicle]
        weekday = french_weekday(day.isoweekday())
        if not stops:
            why = f"fermé : {closed[day, vehicle]}" if closed.get((day, vehicle)) else NO_STOP
            if closed.get((day, vehicle)):
                fills[len(rows)] = CLOSED_FILL
            rows.append([day, weekday, vehicle, "", "", "", None, None, None, "", "", why])
        day_km = round(sum(s.km for s in stops), 1)  # a mediator's two half-days: the day's drive once, on its first row
        for n, stop in enumerate(stops):
            info = c.details(stop)
            rows.append([day, weekday, vehicle, stop.commune, _site(c, stop, info), info.sessions(" / "),
                         stop.km_from_previous, round(stop.minutes_from_previous), None if n else day_km,
                         info.market, info.requests_label, c.stop_notes(stop)])
    week_stops = [s for stops in by_day.values() for s in stops]
    total = ["Total", "", "", plural(len(week_stops), "arrêt"), "", "", None, None,
             round(sum(s.km for s in week_stops), 1), "", "", ""]
    return rows, fills, total


def _site(c: SeasonContext, stop: Stop, info: StopDetails) -> str:
    """The host site with its address when a request gives one, else the commune's usual site
    (its mairie, « à confirmer »), else the unknown marker."""
    return place_of(stop, c.scenario).label if info.site else info.site_label


def _list_sheet(c: SeasonContext, ws: Worksheet) -> None:
    """Every stop by date, in the words of a bulletin: when, where, the workshops."""
    ws.title = "Liste"
    columns = [Column("Date", "date"), Column("Jour"), Column("Commune", max_width=26),
               Column("Lieu d'accueil", max_width=46), Column("Ateliers", max_width=30),
               Column("Intercommunalité", max_width=36)]
    sheet = Sheet(ws, len(columns), c.heading, c.footer)
    sheet.title(f"{c.heading} · liste des venues par date")
    sheet.note("Pour les bulletins et sites des intercommunalités et des communes : une ligne par venue, dans l'ordre des "
               "dates (filtrer la colonne « Intercommunalité » pour n'avoir que les siennes).", quiet=True)
    sheet.skip()
    rows = [[s.date, french_weekday(s.date.isoweekday()), s.commune, _site(c, s, d), d.sessions(" et "),
             c.epci_of(s.insee)[1]] for s, d in ((s, c.details(s)) for s in c.stops)]
    header = sheet.table(columns, rows)
    if rows:
        ws.auto_filter.ref = f"A{header}:{get_column_letter(len(columns))}{header + len(rows)}"
    sheet.finish()


def _epci_sheet(c: SeasonContext, ws: Worksheet, epci: tuple[str, str], public: bool = False) -> Sheet:
    code, name = epci
    ws.title = _sheet_name(name, ws.parent)
    columns = [Column("Date", "date"), Column("Jour"), Column("Véhicule", max_width=14), Column("Commune", max_width=28),
               Column("Lieu d'accueil (adresse)", max_width=34), Column("Ateliers", max_width=26),
               Column("Participants attendus", "dec1"), Column("Jour de marché", max_width=22), Column("Demande", max_width=24),
               Column("Contact de la demande", max_width=30)][:9 if public else 10]  # a public file: no contact
    sheet = Sheet(ws, len(columns), c.heading, c.footer)
    sheet.title(f"{name} · arrêts de la saison")
    stops = [s for s in c.stops if c.epci_of(s.insee) == epci]
    group = group_figures(c.instance, c.stops, [i for i, m in enumerate(c.territory.communes) if m.epci == code])
    sheet.note(f"{plural(len(stops), 'arrêt')} dans {plural(group.communes_visited, 'commune')} sur {group.communes} ; "
               "participants "
               f"attendus venant de l'intercommunalité : ~{fr_number(group.participants)} sur "
               f"{fr_number(group.seniors)} seniors"
               if code else f"{plural(len(stops), 'arrêt')} hors du territoire", quiet=True)
    if group.left_out:
        sheet.note(f"Sans arrêt cette saison : {', '.join(group.left_out)} (pourquoi : onglet « Communes »).", quiet=True)
    sheet.skip()
    rows = [[s.date, french_weekday(s.date.isoweekday()), s.vehicle, s.commune, _site(c, s, d), d.sessions(" / "),
             s.participants, d.market, d.requests_label, _contacts(d)][:len(columns)]
            for s, d in ((s, c.details(s)) for s in stops)]
    sheet.table(columns, rows)
    return sheet


def _contacts(info: StopDetails) -> str:
    """Whom to call about the stop: the contact of each request it serves, as the requester gave it."""
    people = []
    for r in info.requests:
        who = ", ".join(p for p in (r.contact, r.contact_role, r.contact_phone, r.contact_email) if p)
        if who:
            people.append(who)
    return "\n".join(dict.fromkeys(people))


def _sheet_name(name: str, workbook: Workbook) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in name).strip()[:31].strip() or "EPCI"
    candidate, n = clean, 2
    while candidate in workbook.sheetnames:
        suffix = f" ({n})"
        candidate, n = clean[:31 - len(suffix)].strip() + suffix, n + 1
    return candidate


def _communes_sheet(c: SeasonContext, ws: Worksheet) -> None:
    ws.title = "Communes"
    need = c.instance.need
    columns = [Column("INSEE"), Column("Commune", max_width=28), Column("EPCI", max_width=30), Column("Seniors", "int"),
               Column("Lieu d'aide le plus proche", max_width=34), Column("km", "dec1"), Column("Besoin", "dec1"),
               Column("Visites", "int"), Column("Dates des visites", max_width=26), Column("Participants attendus", "dec1"),
               Column("Part des seniors", "pct"), Column("Sans arrêt : pourquoi", max_width=60)]
    sheet = Sheet(ws, len(columns), c.heading, c.footer)
    sheet.title("Communes du territoire : besoin, visites et participants attendus")
    why = unvisited_reasons(c.instance, c.plan, c.stops)
    params = c.instance.params.need
    bases = sorted({commune.seniors_basis for commune in c.territory.communes if commune.seniors_basis})
    sheet.note(f"Besoin = seniors × écart d'accès (0 à moins de {fr_number(params.gap_start_km)} km d'un lieu d'aide, "
               f"1 au-delà de {fr_number(params.gap_full_km)} km). Seniors : {', '.join(bases) or 'source non précisée'}. "
               "Un arrêt vaut l'accès qu'il ajoute : rien pour une commune dont le lieu d'aide est plus proche que "
               "l'arrêt. Classé par besoin décroissant ; « Sans arrêt : pourquoi » explique chaque commune avec un "
               "besoin et sans arrêt.", quiet=True)
    sheet.skip()
    reached = participants_by_commune(c.instance, c.stops)
    order = sorted(range(len(c.territory.communes)), key=lambda i: (-float(need.need[i]), c.territory.communes[i].name))
    rows = []
    for i in order:
        commune = c.territory.communes[i]
        dates = c.visit_dates.get(commune.insee, [])
        seniors = need.seniors[i]
        known = not np.isnan(seniors)
        far = np.isinf(need.nearest_km[i])
        rows.append([commune.insee, commune.name, commune.epci_name, round(float(seniors)) if known else "inconnu",
                     "aucun" if far else need.nearest_name[i], None if far else round(float(need.nearest_km[i]), 1),
                     round(float(need.need[i]), 1), len(dates), ", ".join(f"{d:%d/%m}" for d in dates),
                     round(float(reached[i]), 1), float(reached[i] / seniors) if known and seniors > 0 else None,
                     why.get(commune.insee, "")])
    total_seniors = float(np.nansum(need.seniors))
    total = ["Total", f"{len(rows)} communes", "", round(total_seniors), "", None, round(float(need.need.sum()), 1),
             len(c.stops), "", round(float(reached.sum()), 1), float(reached.sum() / total_seniors) if total_seniors else None,
             f"{len(why)} communes avec besoin sans arrêt"]
    header = sheet.table(columns, rows, total=total)
    ws.auto_filter.ref = f"A{header}:{get_column_letter(len(columns))}{header + len(rows)}"
    sheet.finish()
