"""The host workbook: what a commune receiving the bus (or the mediator) needs to prepare.

A mairie secretary prints it: the dates and times, where the stop takes place (or that this is
still to be agreed), what to prepare, and one sign-up sheet per session with as many lines as
there are seats. Nothing is invented: an unknown host site or unknown hours say so.
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook

from planner.domain.formatting import fr_date
from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.domain.stop import Stop
from planner.domain.weekdays import french_weekday
from planner.exports.sheet_layout import Column, Sheet, new_workbook
from planner.exports.stop_details import UNKNOWN_SITE, details, request_label

SIGN_UP_ROW_PT = 24.0  # tall enough to write a name by hand


def host_stops(plan: Plan, insee: str) -> tuple[Stop, ...]:
    return tuple(sorted((s for s in plan.stops if s.insee == insee), key=lambda s: (s.date, s.slot)))


def host_workbook(plan: Plan, scenario: Scenario, insee: str, *, generated: dt.date | None = None) -> Workbook:
    """The workbook of one commune; ValueError (French) when the plan has no stop there."""
    stops = host_stops(plan, insee)
    if not stops:
        raise ValueError(f"aucun arrêt dans la commune {insee}")
    generated = generated or dt.date.today()
    workbook = new_workbook()
    _welcome_sheet(workbook.active, stops, scenario, generated)
    _sign_up_sheet(workbook.create_sheet(), stops, scenario, generated)
    return workbook


def _welcome_sheet(ws, stops: tuple[Stop, ...], scenario: Scenario, generated: dt.date) -> None:
    ws.title = "Accueil"
    first = stops[0]
    label = details(first, scenario).vehicle_label
    commune = first.commune or first.insee
    columns = [Column("Date", "date"), Column("Jour"), Column("Ateliers", max_width=14),
               Column("Lieu d'accueil (adresse)", max_width=40, min_width=24), Column("Places par atelier", "int"),
               Column("Jour de marché", max_width=24)]
    sheet = Sheet(ws, len(columns), f"Venue du {label} à {commune}", f"Tournée · généré le {fr_date(generated)}")
    sheet.title(f"Venue du {label} à {commune} ({first.insee})")
    sheet.note(f"{len(stops)} journée(s) prévue(s). Merci de vérifier chaque point avec l'équipe du {label} et de lui "
               "signaler tout changement.", quiet=True)
    sheet.skip()
    rows = [[s.date, french_weekday(s.date.isoweekday()), d.sessions("\n"), d.site_label, d.seats, d.market]
            for s, d in ((s, details(s, scenario)) for s in stops)]
    sheet.table(columns, rows)
    sheet.skip()
    requests = {r.request_id: r for s in stops for r in details(s, scenario).requests}
    for request in requests.values():
        contact = f" ; contact : {request.contact}" if request.contact else ""
        sheet.note(f"Demande {request_label(request)}{contact}")
    hours = [h for h in scenario.territory.host_hours if h.insee == first.insee]
    for h in hours:
        sheet.note(f"Horaires de mairie ({h.source}, {h.vintage}) : {h.hours}")
    if not hours:
        sheet.note("Horaires de mairie : inconnus de Tournée.", quiet=True)
    sheet.skip()
    sheet.note("À préparer", bold=True)
    for what, detail in _checklist(stops, scenario, label):
        sheet.note(f"□ {what} : {detail}")
    sheet.finish(freeze=False, repeat_header=False)


def _checklist(stops: tuple[Stop, ...], scenario: Scenario, label: str) -> list[tuple[str, str]]:
    """What the host prepares; advice of the service, not facts about the commune."""
    infos = [details(s, scenario) for s in stops]
    times = [t for d in infos for t in d.times]
    span = f" ({min(a for a, _ in times):%H:%M} à {max(b for _, b in times):%H:%M})" if times else ""
    sessions = sum(max(1, len(d.times)) for d in infos)
    seats = sorted({d.seats for d in infos})
    kinds = {d.vehicle.kind if d.vehicle else "" for d in infos}
    items = []
    if "mediator" in kinds and "bus" not in kinds:
        items.append(("Salle", f"Une salle avec tables et chaises pour les participants, pour toute la demi-journée{span}."))
    else:
        items.append(("Stationnement", f"Un emplacement pour le {label}, à plat et proche de l'entrée, réservé pour toute "
                                       f"la journée{span}."))
    items += [
        ("Électricité", "Une prise électrique accessible depuis l'emplacement ou la salle (à confirmer avec l'équipe)."),
        ("Toilettes", "Des toilettes accessibles aux participants et à l'équipe pendant la journée."),
    ]
    sites = {d.site for d in infos}
    if "" in sites:
        items.append(("Lieu d'accueil", f"Lieu et adresse exacts {UNKNOWN_SITE} : les communiquer à l'équipe."))
    else:
        items.append(("Lieu d'accueil", f"Adresse prévue : {', '.join(sorted(sites))}. Prévenir l'équipe de tout changement."))
    promotion = ("Annoncer la venue plusieurs semaines avant : bulletin municipal, panneau d'affichage, affiches en mairie "
                 "et chez les commerçants, site ou page de la commune, club des aînés et CCAS.")
    markets = [fr_date(s.date) for s in stops if s.market_day]
    if markets:
        promotion += f" Jour de marché le {', '.join(markets)} : l'annoncer aussi sur le marché."
    items.append(("Communication", promotion))
    items.append(("Inscriptions", f"Tenir la feuille d'inscription (onglet « Inscriptions ») : "
                                  f"{' ou '.join(str(n) for n in seats)} places par atelier, {sessions} atelier(s) en tout. "
                                  "Rappeler les inscrits la veille."))
    return items


SIGN_UP_COLUMNS = [Column("N°", "int", min_width=5), Column("Nom", min_width=24), Column("Prénom", min_width=20),
                   Column("Téléphone", min_width=16), Column("Ce que la personne souhaite apprendre", min_width=40),
                   Column("Présent(e)", min_width=11)]


def _sign_up_sheet(ws, stops: tuple[Stop, ...], scenario: Scenario, generated: dt.date) -> None:
    """One block per session, each printed on its own page."""
    ws.title = "Inscriptions"
    commune = stops[0].commune or stops[0].insee
    sheet = Sheet(ws, len(SIGN_UP_COLUMNS), f"Inscriptions · {commune}", f"Tournée · généré le {fr_date(generated)}")
    blocks = [(s, d, t) for s, d in ((s, details(s, scenario)) for s in stops) for t in (d.times or (None,))]
    for n, (stop, info, times) in enumerate(blocks):
        if n:
            sheet.page_break()
        when = f"atelier {times[0]:%H:%M}-{times[1]:%H:%M}" if times else "horaires à confirmer"
        day = french_weekday(stop.date.isoweekday()).capitalize()
        seats = info.seats
        sheet.title(f"Inscriptions · {commune} · {day} {fr_date(stop.date)} · {when}")
        sheet.note(f"{seats} places · lieu : {info.site_label}", quiet=True)
        sheet.table(SIGN_UP_COLUMNS, [[i, "", "", "", "", ""] for i in range(1, seats + 1)], height=SIGN_UP_ROW_PT)
        sheet.skip()
    sheet.finish(freeze=False, repeat_header=False)
