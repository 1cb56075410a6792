"""The five communes of test_export_workbooks.py, with the request's host site geocoded, a team
contact set and a season named by the planner: what hosts and intercommunalities then read.

Stops are hand-made and evaluated: Dun-la-Forêt (18004, the request's commune) on Tue 8 and Tue
15 Sept, Bois-Joli (18002, Wednesday market) on Wed 9 Sept; Chêne-sur-Yèvre and Écueillé-le-Haut
(E2) are never visited.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import icalendar
import openpyxl
import pytest

from planner.core.evaluate import evaluate
from planner.core.instance import build_instance
from planner.domain.plan import Plan
from planner.domain.spec import ScenarioSpec
from planner.domain.stop import Stop
from planner.domain.team import TeamContact
from planner.exports.files import host_ics_bytes, host_workbook_bytes, season_workbook_bytes
from tests.exports.test_export_workbooks import HOST, five_communes_scenario, table

TEAM = TeamContact("Équipe du bus numérique", "02 48 00 00 00", "bus@asept.example", "au 02 48 00 00 00 ou en mairie")
DAYS = (dt.date(2026, 9, 8), dt.date(2026, 9, 9), dt.date(2026, 9, 15))


@pytest.fixture(scope="module")
def named():
    scenario = five_communes_scenario()
    (request,) = scenario.requests
    request = replace(request, host_site="Salle des fêtes", address="2 rue de la Mairie", postcode="18130",
                      lat=46.951, lon=2.302, contact="Mme Durand", contact_role="secrétaire de mairie",
                      contact_phone="02 48 11 22 33")
    scenario = replace(scenario, requests=(request,), team_contact=TEAM, spec=ScenarioSpec(name="Bus numérique 2026 · Cher"))
    instance = build_instance(scenario)
    stops = [Stop(date=DAYS[0], vehicle="bus", insee=HOST), Stop(date=DAYS[1], vehicle="bus", insee="18002"),
             Stop(date=DAYS[2], vehicle="bus", insee=HOST)]
    return scenario, Plan(evaluate(instance, stops).stops)


def test_calendar_places_the_bus_at_the_geocoded_site(named):
    scenario, plan = named
    events = icalendar.Calendar.from_ical(host_ics_bytes(plan, scenario, HOST)).walk("VEVENT")
    assert len(events) == 4
    assert {str(e["LOCATION"]) for e in events} == {"Salle des fêtes, 2 rue de la Mairie, 18130 Dun-la-Forêt, Cher"}
    assert {(e["GEO"].latitude, e["GEO"].longitude) for e in events} == {(46.951, 2.302)}
    description = str(events[0]["DESCRIPTION"])
    assert "Contact de l'équipe : Équipe du bus numérique · 02 48 00 00 00 · bus@asept.example." in description
    assert "Inscriptions : au 02 48 00 00 00 ou en mairie." in description
    assert "Installation de l'équipe à partir de 8h45 environ." in description
    assert "Mme Durand" not in description  # the host's own contact is not repeated to the host


def test_host_workbook_names_the_team_and_the_address(named):
    scenario, plan = named
    welcome = openpyxl.load_workbook(io.BytesIO(host_workbook_bytes(plan, scenario, HOST)))["Accueil"]
    header, body = table(welcome, "Date")
    assert {r[header.index("Lieu d'accueil")] for r in body} == {"Salle des fêtes, 2 rue de la Mairie, 18130 Dun-la-Forêt, Cher"}
    text = [c for row in welcome.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "Contact de l'équipe : Équipe du bus numérique · 02 48 00 00 00 · bus@asept.example" in text
    assert "Inscriptions : au 02 48 00 00 00 ou en mairie" in text
    assert not any("à confirmer avec la mairie" in t for t in text)


def test_season_workbook_uses_the_season_name_clean_markets_and_names_left_out_communes(named):
    scenario, plan = named
    book = openpyxl.load_workbook(io.BytesIO(season_workbook_bytes(plan, scenario)))
    assert book["Saison"]["A1"].value == "Bus numérique 2026 · Cher · du 08/09/2026 au 18/09/2026"
    assert book["Saison"]._images  # the season map on the first page
    header, body = table(book["Liste"], "Date")
    assert [(r[0].date(), r[2]) for r in body] == [(DAYS[0], "Dun-la-Forêt"), (DAYS[1], "Bois-Joli"), (DAYS[2], "Dun-la-Forêt")]
    assert body[1][header.index("Intercommunalité")] == "CC E1"
    _, week = table(book["Septembre 2026"], "Date")
    market = next(r for r in week if r[3] == "Bois-Joli")
    assert market[9] == "marché le mercredi matin, place de l'Église"
    notes = [r[0] for r in book["CC E2"].iter_rows(values_only=True) if isinstance(r[0], str)]
    assert "Sans arrêt cette saison : Chêne-sur-Yèvre, Écueillé-le-Haut (pourquoi : onglet « Communes »)." in notes
    header, body = table(book["CC E2"], "Date")
    assert {r[header.index("Contact de la demande")] for r in body} == {"Mme Durand, secrétaire de mairie, 02 48 11 22 33"}


def test_a_week_closed_throughout_is_one_shaded_line(named):
    from planner.domain.season import build_season

    scenario, plan = named
    closed = tuple(dt.date(2026, 9, d) for d in (15, 16, 17, 18))
    season = build_season(dt.date(2026, 9, 8), dt.date(2026, 9, 18), (2, 3, 4, 5), custom_closed=closed)
    scenario = replace(scenario, season=season)
    first_week = Plan(tuple(s for s in plan.stops if s.date < closed[0]))
    month = openpyxl.load_workbook(io.BytesIO(season_workbook_bytes(first_week, scenario)))["Septembre 2026"]
    _, body = table(month, "Date", 1)
    (row, total) = body
    assert (row[0].date(), row[1], row[-1]) == (closed[0], "toute la semaine", "fermé : fermeture (date saisie)")
    assert total[3] == "0 arrêt"
