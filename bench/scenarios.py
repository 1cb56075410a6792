"""The benchmark seasons, built as every front end builds them (ScenarioSpec -> build_scenario):
one bus based in Bourges, Tuesday to Friday, 7 September 2026 to 25 June 2027, on the Bourges
basin (a) and on the whole Cher (b); the other benchmarks vary the vehicles and the territory."""

from __future__ import annotations

from planner import ScenarioSpec, VehicleSpec, build_scenario
from planner.domain.scenario import Scenario

START, END = "2026-09-07", "2027-06-25"
BUDGET_S = {"bourges": 10.0, "cher": 60.0}


def season(territory: str, vehicles: tuple[VehicleSpec, ...], params: dict) -> Scenario:
    return build_scenario(ScenarioSpec(territory=territory, start=START, end=END, vehicles=vehicles, params=params))


def bus_season(territory_name: str, time_limit_s: float | None = None, workers: int = 2) -> Scenario:
    budget = time_limit_s or BUDGET_S[territory_name]
    return season(territory_name, (VehicleSpec("bus", base="18033", weekdays="tue-fri"),),
                  {"solver": {"time_limit_s": budget, "workers": workers}})
