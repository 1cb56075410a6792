"""The host workbook: what a commune receiving the bus (or the mediator) needs, for its secretary.

A mairie secretary prints it: the dates, the two workshop times, when the team arrives to set up,
where the stop takes place (or that this is still to be agreed), the questions to confirm (a
workshop while the mairie is said to be open or closed), the team's contact, what seniors should
bring, what to prepare, and one sign-up sheet per workshop with a data-protection notice. Nothing
internal (request numbers, data sources, scores) and nothing invented: an unknown host site, team
contact or opening hours say so. A host whose visits were all cancelled still gets a notice.
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook

from planner.domain.formatting import fr_date, plural
from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.domain.stop import Stop
from planner.domain.team import NOT_SET
from planner.domain.weekdays import french_weekday
from planner.exports.host_questions import hour_label, hours_questions
from planner.exports.places import place_of
from planner.exports.sheet_layout import Column, Sheet, new_workbook
from planner.exports.stop_details import BRING, UNKNOWN_SITE, StopDetails, details, vehicle_label

SIGN_UP_ROW_PT = 24.0  # tall enough to write a name by hand
WORKSHOPS = ("Ateliers pour les seniors, en petit groupe, avec un animateur : prendre en main un smartphone, une "
             "tablette ou un ordinateur, faire ses démarches en ligne (santé, retraite, impôts), échanger avec ses "
             "proches, se protéger des arnaques. Gratuit, sur inscription ; le programme précis est donné par l'équipe.")
PRIVACY = ("Données personnelles (RGPD) : ces informations servent uniquement à organiser l'atelier et à prévenir les "
           "inscrits d'un changement. Seules la mairie et l'équipe de l'atelier les consultent ; la feuille est détruite "
           "au plus tard un mois après l'atelier. Chacun peut demander à la mairie d'y accéder, de les corriger ou de "
           "les effacer. Le téléphone est facultatif.")


def host_stops(plan: Plan, insee: str) -> tuple[Stop, ...]:
    return tuple(sorted((s for s in plan.stops if s.insee == insee), key=lambda s: (s.date, s.slot)))


def cancelled_stops(plan: Plan, insee: str, previous: tuple[Stop, ...]) -> tuple[Stop, ...]:
    """Stops of ``previous`` in this commune that the plan no longer has (same date, vehicle and half-day)."""
    kept = {(s.date, s.vehicle, s.slot) for s in plan.stops if s.insee == insee}
    return tuple(sorted((p for p in previous if p.insee == insee and (p.date, p.vehicle, p.slot) not in kept),
                        key=lambda s: (s.date, s.slot)))


def host_workbook(plan: Plan, scenario: Scenario, insee: str, *, previous: tuple[Stop, ...] = (),
                  generated: dt.date | None = None, moves: dict[dt.date, dt.date] | None = None) -> Workbook:
    """The workbook of one commune; ValueError (French) when it has no stop, now or in ``previous``.
    ``moves``: a cancelled date -> the date it moved to, said as « déplacée au » instead of « annulée »."""
    stops = host_stops(plan, insee)
    cancelled = cancelled_stops(plan, insee, previous)
    if not stops and not cancelled:
        raise ValueError(f"aucun arrêt dans la commune {insee}")
    generated = generated or dt.date.today()
    workbook = new_workbook()
    _welcome_sheet(workbook.active, insee, stops, cancelled, scenario, generated, moves or {})
    if stops:
        _sign_up_sheet(workbook.create_sheet(), stops, scenario, generated)
    return workbook


def _commune_name(insee: str, stops: tuple[Stop, ...], scenario: Scenario) -> str:
    named = next((s.commune for s in stops if s.commune), "")
    if named:
        return named
    return scenario.territory.commune(insee).name if insee in scenario.territory else insee


def _welcome_sheet(ws, insee: str, stops: tuple[Stop, ...], cancelled: tuple[Stop, ...], scenario: Scenario,
                   generated: dt.date, moves: dict[dt.date, dt.date]) -> None:
    ws.title = "Accueil"
    any_stop = (stops or cancelled)[0]
    label = details(any_stop, scenario).vehicle_label
    commune = _commune_name(insee, stops + cancelled, scenario)
    team = scenario.team_contact
    columns = [Column("Date", "date"), Column("Jour"), Column("Ateliers", max_width=16),
               Column("Arrivée de l'équipe", max_width=12), Column("Lieu d'accueil", max_width=44, min_width=44),
               Column("Places par atelier", "int"), Column("Jour de marché", max_width=24)]
    sheet = Sheet(ws, len(columns), f"Venue du {label} à {commune}", f"Document du {fr_date(generated)}")
    sheet.title(f"Venue du {label} à {commune}")
    if stops:
        sheet.note(f"{plural(len(stops), 'journée prévue')}. Merci de vérifier chaque point avec l'équipe et de lui signaler "
                   "tout changement.", quiet=True)
    sheet.skip()
    if cancelled:
        sheet.note("Venues annulées ou déplacées" if stops else f"Toutes les venues prévues à {commune} sont annulées",
                   bold=True)
        for stop in cancelled:
            moved = moves.get(stop.date)
            what = f"est déplacée au {fr_date(moved)}" if moved else "est annulée"
            sheet.note(f"La venue du {french_weekday(stop.date.isoweekday())} {fr_date(stop.date)} {what} : "
                       "merci de prévenir les personnes inscrites.")
        sheet.skip()
    if stops:
        infos = [details(s, scenario) for s in stops]
        rows = [[s.date, french_weekday(s.date.isoweekday()), _times(d), _setup(d), _place(s, d, scenario), d.seats,
                 d.market] for s, d in zip(stops, infos)]
        sheet.table(columns, rows)
        sheet.skip()
        questions = hours_questions(stops, scenario)
        unsure = next((d for d in infos if d.site_to_confirm), None)
        if unsure is not None and unsure.site_label != UNKNOWN_SITE:
            questions.insert(0, f"Lieu d'accueil prévu : {unsure.site_label} : merci de le confirmer à l'équipe, ou "
                                "d'indiquer le lieu et l'adresse exacts.")
        elif unsure is not None:
            questions.insert(0, f"Lieu d'accueil {UNKNOWN_SITE} : merci d'indiquer à l'équipe le lieu et l'adresse exacts.")
        if questions:
            sheet.note("À confirmer avec l'équipe", bold=True)
            for question in questions:
                sheet.note(f"□ {question}")
            sheet.skip()
    sheet.note(f"Contact de l'équipe : {team.label()}" if team.is_set else NOT_SET.capitalize(), bold=True)
    if stops:
        sheet.note(f"Inscriptions : {team.signup.strip() or 'auprès de la mairie, sur la feuille « Inscriptions »'}")
    hours = [h for h in scenario.territory.host_hours if h.insee == insee]
    if stops:
        known = " ; ".join(h.hours for h in hours)
        sheet.note(f"Horaires d'ouverture de la mairie connus de l'équipe : {known} (merci de les corriger s'ils ont "
                   "changé)." if known else "Horaires d'ouverture de la mairie : inconnus de l'équipe, merci de les lui "
                   "indiquer.", quiet=True)
        mairie = scenario.territory.mairie(insee)
        if mairie is not None:
            sheet.note(f"Coordonnées de la mairie connues de l'équipe (Annuaire de l'administration) : "
                       f"{mairie.contact_label()} ; merci de les corriger si elles ont changé.", quiet=True)
        sheet.skip()
        sheet.note("Les ateliers", bold=True)
        sheet.note(WORKSHOPS)
        sheet.note(f"À apporter : {BRING}.")
        sheet.skip()
        sheet.note("À préparer", bold=True)
        for what, detail in _checklist(stops, scenario, label):
            sheet.note(f"□ {what} : {detail}")
    sheet.finish(freeze=False, repeat_header=False)
    ws.page_setup.orientation = "portrait"  # a notice for the secretary's desk; the table is narrow


def _times(info: StopDetails) -> str:
    """'9h30-12h30\\n14h-17h' (one workshop a line), or the unknown marker."""
    if not info.times:
        return info.sessions()
    return "\n".join(f"{hour_label(a)}-{hour_label(b)}" for a, b in info.times)


def _setup(info: StopDetails) -> str:
    return f"vers {hour_label(info.setup_from)}" if info.setup_from else "à confirmer"


def _place(stop: Stop, info: StopDetails, scenario: Scenario) -> str:
    return place_of(stop, scenario).label if info.site else info.site_label


def _checklist(stops: tuple[Stop, ...], scenario: Scenario, label: str) -> list[tuple[str, str]]:
    """What the host prepares; advice of the service, not facts about the commune."""
    infos = [details(s, scenario) for s in stops]
    times = [t for d in infos for t in d.times]
    span = f" (de {hour_label(min(a for a, _ in times))} à {hour_label(max(b for _, b in times))})" if times else ""
    sessions = sum(max(1, len(d.times)) for d in infos)
    seats = sorted({d.seats for d in infos})
    kinds = {d.vehicle.kind if d.vehicle else "" for d in infos}
    items = []
    if "mediator" in kinds and "bus" not in kinds:
        items.append(("Salle", f"Une salle avec tables et chaises pour les participants, pour toute la demi-journée{span}."))
    else:
        items.append(("Stationnement", f"Un emplacement pour le {label}, à plat et proche de l'entrée, réservé pour toute "
                                       f"la journée{span}, installation comprise."))
    items += [
        ("Électricité", "Une prise électrique accessible depuis l'emplacement ou la salle (à confirmer avec l'équipe)."),
        ("Toilettes", "Des toilettes accessibles aux participants et à l'équipe pendant la journée."),
    ]
    promotion = ("Annoncer la venue plusieurs semaines avant : bulletin municipal, panneau d'affichage, affiches en mairie "
                 "et chez les commerçants, site ou page de la commune, club des aînés et CCAS.")
    markets = [fr_date(s.date) for s in stops if s.market_day]
    if markets:
        promotion += f" Jour de marché le {', '.join(markets)} : l'annoncer aussi sur le marché."
    items.append(("Communication", promotion))
    items.append(("Inscriptions", f"Tenir la feuille d'inscription (onglet « Inscriptions ») : "
                                  f"{' ou '.join(str(n) for n in seats)} places par atelier, "
                                  f"{plural(sessions, 'atelier')} en tout. "
                                  "Rappeler les inscrits la veille."))
    return items


SIGN_UP_COLUMNS = [Column("N°", "int", min_width=5), Column("Nom", min_width=24), Column("Prénom", min_width=20),
                   Column("Téléphone (facultatif)", min_width=16), Column("Ce que la personne souhaite apprendre", min_width=40),
                   Column("Présent(e)", min_width=11)]


def _sign_up_sheet(ws, stops: tuple[Stop, ...], scenario: Scenario, generated: dt.date) -> None:
    """One block per workshop, each printed on its own page, with the data-protection notice."""
    ws.title = "Inscriptions"
    commune = stops[0].commune or stops[0].insee
    sheet = Sheet(ws, len(SIGN_UP_COLUMNS), f"Inscriptions · {commune}", f"Document du {fr_date(generated)}")
    blocks = [(s, d, t) for s, d in ((s, details(s, scenario)) for s in stops) for t in (d.times or (None,))]
    for n, (stop, info, times) in enumerate(blocks):
        if n:
            sheet.page_break()
        when = f"atelier {hour_label(times[0])}-{hour_label(times[1])}" if times else "horaires à confirmer"
        day = french_weekday(stop.date.isoweekday()).capitalize()
        seats = info.seats
        sheet.title(f"Inscriptions · {commune} · {day} {fr_date(stop.date)} · {when}")
        sheet.note(f"{seats} places · lieu : {_place(stop, info, scenario)} · {vehicle_label(info.vehicle)}", quiet=True)
        sheet.table(SIGN_UP_COLUMNS, [[i, "", "", "", "", ""] for i in range(1, seats + 1)], height=SIGN_UP_ROW_PT)
        sheet.skip()
        sheet.note(PRIVACY)
        sheet.skip()
    sheet.finish(freeze=False, repeat_header=False)
