"""Where the bus parks when no request names a site: the commune's mairie from the public-sector
directory, « à confirmer », on the Bourges basin (Bourges' mairie: 11 rue Jacques-Rimbault, 18000
Bourges, at 47.079887, 2.399137; the commune's centre of the COG file is 47.07804, 2.3983). A site the
planner sets for the scenario replaces it, in the calendar, the notice and the travel."""

from __future__ import annotations

import datetime as dt

import icalendar

from planner import ScenarioSpec, build_scenario
from planner.core.evaluate import evaluate
from planner.core.instance import build_instance
from planner.domain.plan import Plan
from planner.domain.stop import Stop
from planner.exports.host_workbook import host_workbook
from planner.exports.ics import host_calendar

DAY = dt.date(2026, 9, 8)
SEASON = dict(start="2026-09-07", end="2026-09-25")
SALLE = {"insee_com": "18033", "site": "Salle des fêtes du Val d'Auron", "address": "rue Jean-Baffier, 18000 Bourges",
         "lat": "47.0700", "lon": "2.4050"}


def _plan(scenario):
    instance = build_instance(scenario)
    evaluation = evaluate(instance, [Stop(DAY, "bus", "18033"), Stop(DAY + dt.timedelta(days=1), "bus", "18145")])
    return instance, Plan(evaluation.stops, metrics=evaluation.metrics)


def _event(text: str) -> icalendar.Event:
    return next(c for c in icalendar.Calendar.from_ical(text).walk("VEVENT"))


def _notice(plan, scenario) -> str:
    ws = host_workbook(plan, scenario, "18033").worksheets[0]
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def test_default_site_is_the_mairie_to_confirm_in_calendar_and_notice():
    scenario = build_scenario(ScenarioSpec(**SEASON))
    _, plan = _plan(scenario)
    event = _event(host_calendar(plan, scenario, "18033"))
    assert str(event["LOCATION"]) == "Mairie, 11 rue Jacques-Rimbault, 18000 Bourges — à confirmer"
    assert event["GEO"].latitude == 47.079887 and event["GEO"].longitude == 2.399137
    assert "Lieu : Mairie, 11 rue Jacques-Rimbault, 18000 Bourges — à confirmer" in str(event["DESCRIPTION"])
    # No team sign-up set: people sign up at the mairie, whose public number the directory gives.
    assert "Inscriptions : auprès de la mairie de Bourges (02 48 57 80 00)." in str(event["DESCRIPTION"])
    notice = _notice(plan, scenario)
    assert "Lieu d'accueil prévu : Mairie, 11 rue Jacques-Rimbault, 18000 Bourges — à confirmer : merci de le " \
           "confirmer" in notice
    assert "Coordonnées de la mairie connues de l'équipe (Annuaire de l'administration) : Mairie de Bourges, 11 rue " \
           "Jacques-Rimbault, 18000 Bourges · 02 48 57 80 00 · https://www.ville-bourges.fr/" in notice


def test_scenario_site_replaces_the_mairie_and_travel_starts_from_it():
    default = build_scenario(ScenarioSpec(**SEASON))
    scenario = build_scenario(ScenarioSpec(**SEASON, hosts=(SALLE,)))
    instance, plan = _plan(scenario)
    event = _event(host_calendar(plan, scenario, "18033"))
    assert str(event["LOCATION"]) == "Salle des fêtes du Val d'Auron, rue Jean-Baffier, 18000 Bourges"
    assert (event["GEO"].latitude, event["GEO"].longitude) == (47.07, 2.405)
    notice = _notice(plan, scenario)
    assert "Salle des fêtes du Val d'Auron, rue Jean-Baffier, 18000 Bourges" in notice
    assert "Lieu d'accueil prévu" not in notice  # the planner's site is not « à confirmer »
    # The bus is based in Bourges (the most populous commune, at its centre): the drive to its own
    # stop now runs to the salle, about 1 km south-east of the centre, instead of the mairie (220 m from the centre).
    s = scenario.territory.index["18033"]
    before = build_instance(default)
    assert float(before.base_km[0, s]) < 0.5 < float(instance.base_km[0, s])
    t = scenario.territory.index["18145"]
    assert float(instance.need.travel.km[s, t]) != float(before.need.travel.km[s, t])
