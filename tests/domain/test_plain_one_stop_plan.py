"""One converter for the domain's dataclasses: a plan of one stop goes to plain JSON values and
back unchanged, and a broken plan file names every field that does not fit, stop by stop."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from planner.domain.plain import from_plain, to_plain
from planner.domain.plan import MovedStop, Plan, SolverReport
from planner.domain.plan_file import plan_from_dict, plan_to_dict
from planner.domain.problems import DataError
from planner.domain.spec import ScenarioSpec, VehicleSpec
from planner.domain.stop import Stop

STOP = Stop(dt.date(2026, 9, 8), "bus", "18033", commune="Bourges", request_ids=("D1",), km=12.5)
PLAN = Plan((STOP,), solver=SolverReport("OPTIMAL", 10.0, 10.0, 0.0, 0.5, 0, 1),
            moved=(MovedStop("18033", "Bourges", "bus", dt.date(2026, 9, 1), (dt.date(2026, 9, 8),), "fermé"),),
            spec=ScenarioSpec(vehicles=(VehicleSpec("bus"),)), params={"rules": {"min_gap_days": 7}})


def test_one_stop_plan_round_trips_through_json():
    data = json.loads(json.dumps(plan_to_dict(PLAN)))
    assert data["stops"][0]["date"] == "2026-09-08" and data["stops"][0]["request_ids"] == ["D1"]
    assert plan_from_dict(data) == PLAN


def test_dates_stay_dates_for_templates():
    assert to_plain(STOP, iso_dates=False)["date"] == dt.date(2026, 9, 8)
    assert to_plain(STOP)["date"] == "2026-09-08"


def test_every_broken_field_is_named_with_its_row():
    data = plan_to_dict(PLAN)
    data["stops"] = [data["stops"][0] | {"date": "08/09/2026"}, {"vehicle": "bus", "insee": "18033", "colour": 1}]
    data["solver"]["seed"] = True  # a boolean is not an integer
    with pytest.raises(DataError) as caught:
        plan_from_dict(data)
    assert [str(p) for p in caught.value.problems] == [
        "plan:1:stops.date: « '08/09/2026' » type attendu : date ISO",
        "plan:2:stops.colour: champ inconnu (attendu : date, vehicle, insee, commune, host_site, sessions, km, "
        "minutes, km_from_previous, minutes_from_previous, places, participants, participants_far, origins, "
        "far_seniors_reached, far_communes, "
        "far_help_km, far_stop_km, near_seniors_helped, nearest_service_km, market_day, request_ids, value, slot, "
        "away_after)",
        "plan:2:stops.date: valeur obligatoire manquante",
        "plan:solver.seed: « True » type attendu : entier",
    ]


def test_an_integer_is_read_as_a_float():
    assert from_plain(Stop, {"date": "2026-09-08", "vehicle": "b", "insee": "1", "km": 3}, "f").km == 3.0


def test_a_plan_saved_with_seniors_reached_still_opens():
    # Plans stored before the participants' value carry the catchment figures they no longer have:
    # dropped on reading, every other field kept.
    data = plan_to_dict(PLAN)
    data["stops"][0]["seniors_reached"] = 10237.0
    data["metrics"] |= {"seniors_reached": 22606, "underserved_seniors_reached": 1200}
    plan = plan_from_dict(data)
    assert plan.stops == PLAN.stops and plan.metrics == PLAN.metrics
