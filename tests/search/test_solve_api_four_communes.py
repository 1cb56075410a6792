"""The public API on four communes of the Bourges basin (one bus, three weeks, a must request):
solve with events, the plan as JSON and back with its spec, files as bytes, a stop list read back
and evaluated on the same figures, two plans compared."""

from __future__ import annotations

import io
import json

import icalendar
import pytest
from openpyxl import load_workbook

from planner import (
    Plan,
    ScenarioSpec,
    VehicleSpec,
    build_scenario,
    compare,
    evaluate_stops,
    host_ics_bytes,
    host_workbook_bytes,
    plan_from_dict,
    plan_to_dict,
    read_stops_csv,
    season_ics_bytes,
    season_workbook_bytes,
    solve,
    stops_csv_bytes,
    vehicle_ics_bytes,
)
from planner.core.control import PHASES
from planner.domain.plan import SOLVER_STATUS_LABELS
from planner.domain.problems import DataError

FOUR = ({"insee_com": "18033"}, {"insee_com": "18145"}, {"insee_com": "18160"}, {"insee_com": "18205"})
SPEC = ScenarioSpec(
    territory="quatre communes", territory_rows=FOUR, start="2026-09-08", end="2026-09-25",
    vehicles=(VehicleSpec("bus", base="18033", weekdays="tue-thu"),),
    requests=({"request_id": "D1", "insee_com": "18145", "start": "2026-09-14", "end": "2026-09-18", "priority": "must"},),
    params={"solver": {"time_limit_s": 5, "workers": 1}},
)


@pytest.fixture(scope="module")
def solved():
    scenario = build_scenario(SPEC)
    events = []
    plan = solve(scenario, on_event=events.append)
    return scenario, plan, events


def test_solve_reports_its_phases_and_keeps_the_spec(solved):
    _scenario, plan, events = solved
    assert plan.solver.status == "OPTIMAL" and not plan.solver.stopped
    assert plan.spec == SPEC
    assert events[0].phase == "model" and events[-1].phase == "done"
    assert {e.phase for e in events} <= set(PHASES)
    assert events[-1].objective == plan.solver.objective and events[-1].bound == plan.solver.bound
    assert [e.elapsed_s for e in events] == sorted(e.elapsed_s for e in events)
    assert any(s.insee == "18145" and "D1" in s.request_ids for s in plan.stops)


def test_plan_round_trips_through_json_with_its_spec(solved):
    _scenario, plan, _events = solved
    again = plan_from_dict(json.loads(json.dumps(plan_to_dict(plan))))
    assert again == plan
    assert again.spec == SPEC and again.solver == plan.solver


def test_a_plan_file_that_is_not_one_is_refused():
    with pytest.raises(DataError, match="pas un plan Tournée"):
        plan_from_dict({"stops": []})


def test_workbook_of_a_plan_read_back_shows_the_solve_that_made_it(solved):
    scenario, plan, _events = solved
    again = plan_from_dict(json.loads(json.dumps(plan_to_dict(plan))))
    book = load_workbook(io.BytesIO(season_workbook_bytes(again, build_scenario(again.spec))))
    rows = {(r[0], r[1]): r[2] for r in book["Paramètres"].iter_rows(values_only=True) if r[0] == "résolution"}
    assert rows[("résolution", "statut")] == SOLVER_STATUS_LABELS["OPTIMAL"]
    assert rows[("résolution", "borne")] == plan.solver.bound
    assert rows[("résolution", "graine")] == 0 and rows[("résolution", "fils de calcul")] == 1


def test_stops_csv_reads_back_and_evaluates_to_the_solved_figures(solved):
    scenario, plan, _events = solved
    data = stops_csv_bytes(plan, scenario)
    assert data.startswith("\ufeffdate;vehicule;code_insee".encode())  # French headers, read back as well
    stops = read_stops_csv(data, "saison.csv")
    assert [(s.date, s.vehicle, s.insee) for s in stops] == [(s.date, s.vehicle, s.insee) for s in plan.stops]
    evaluated = evaluate_stops(scenario, stops)
    assert evaluated.solver is None and evaluated.spec == SPEC
    assert evaluated.metrics == plan.metrics
    assert evaluated.stops == plan.stops


def test_bad_csv_rows_are_named():
    with pytest.raises(DataError) as caught:
        read_stops_csv(b"date;insee_com\n2026-09-31;18033\n", "tour.csv")
    assert str(caught.value.problems[0]).startswith("tour.csv:2:date: « 2026-09-31 » date invalide")


def test_calendars_and_host_files_as_bytes(solved):
    scenario, plan, _events = solved
    season = icalendar.Calendar.from_ical(season_ics_bytes(plan, scenario))
    assert len(season.walk("VEVENT")) == 2 * len(plan.stops)  # a morning and an afternoon workshop
    bus = icalendar.Calendar.from_ical(vehicle_ics_bytes(plan, scenario, "bus"))
    assert len(bus.walk("VEVENT")) == 2 * len(plan.stops)
    host = icalendar.Calendar.from_ical(host_ics_bytes(plan, scenario, "18145"))
    # No request names a site: the stops take place at the mairie of the directory, to be confirmed.
    assert {str(e["LOCATION"]) for e in host.walk("VEVENT")} == {"Mairie, 12 rue de la Mairie, 18510 Menetou-Salon "
                                                                 "— à confirmer"}
    assert load_workbook(io.BytesIO(host_workbook_bytes(plan, scenario, "18145"))).sheetnames
    with pytest.raises(DataError, match="aucun arrêt de ce véhicule"):
        vehicle_ics_bytes(plan, scenario, "minibus")


def test_compare_a_plan_with_itself_less_one_stop(solved):
    scenario, plan, _events = solved
    fewer = Plan(plan.stops[1:])
    result = compare(scenario, plan, fewer, ("plan", "moins un"))
    figures = {f.figure: f for f in result.figures}
    assert (figures["stops"].a, figures["stops"].b) == (len(plan.stops), len(plan.stops) - 1)
    assert result.only_in_a == (plan.stops[0],) and result.only_in_b == ()
    assert result.to_dict()["common_stops"] == len(plan.stops) - 1
