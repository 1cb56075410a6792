"""The benchmark seasons of the issues: one bus based in Bourges, Tuesday to Friday,
7 September 2026 to 25 June 2027, on the Bourges basin (a) and on the whole Cher (b)."""

from __future__ import annotations

import datetime as dt

from planner.domain.params import Params
from planner.domain.scenario import Scenario
from planner.domain.season import build_season
from planner.domain.vehicle import Vehicle
from planner.inputs.dataset import load_territory

START, END = dt.date(2026, 9, 7), dt.date(2027, 6, 25)
WEEKDAYS = (2, 3, 4, 5)
BUDGET_S = {"bourges": 10.0, "cher": 60.0}


def bus_season(territory_name: str, time_limit_s: float | None = None, workers: int = 2) -> Scenario:
    territory = load_territory(territory_name)
    bourges = next(c for c in load_territory("bourges").communes if c.insee == "18033")
    params = Params().with_changes("solver", time_limit_s=time_limit_s or BUDGET_S[territory_name], workers=workers)
    vehicle = Vehicle("bus", "bus", "Bourges", bourges.lat, bourges.lon, WEEKDAYS,
                      max_drive_minutes=params.vehicle.max_drive_minutes, base_insee="18033")
    return Scenario(territory, build_season(START, END, WEEKDAYS), (vehicle,), params)
