"""Tournée planning core: territory data, need model, distances and the season optimizer.

The public API below is what the command line and the web app use; the packages under it are
layers (domain, inputs and core, cpsat, search, exports, commands), each importing only those
below it. This package never imports Flask: the web layer calls into it, not the other way round.
"""

from planner.core.compare import FigureDifference, PlanComparison, compare, evaluate_stops
from planner.core.control import PHASES, SolveEvent
from planner.domain.plan import Plan, SolverReport, Unserved
from planner.domain.plan_file import plan_from_dict, plan_to_dict
from planner.domain.problems import DataError, Problem
from planner.domain.scenario import Scenario
from planner.domain.spec import ScenarioSpec, VehicleSpec
from planner.domain.stop import Stop
from planner.exports.files import (
    host_csv_bytes,
    host_ics_bytes,
    host_workbook_bytes,
    season_ics_bytes,
    season_workbook_bytes,
    stops_csv_bytes,
    vehicle_csv_bytes,
    vehicle_ics_bytes,
)
from planner.inputs.dataset import load_territory
from planner.inputs.scenario_build import build_scenario
from planner.inputs.stops import read_stops_csv
from planner.maps import commune_map_svg, season_map_svg
from planner.search.solve import StopCriteria, solve

__all__ = [
    "PHASES", "DataError", "FigureDifference", "Plan", "PlanComparison", "Problem", "Scenario", "ScenarioSpec",
    "SolveEvent", "SolverReport", "Stop", "StopCriteria", "Unserved", "VehicleSpec", "build_scenario",
    "commune_map_svg", "compare", "evaluate_stops", "host_csv_bytes", "host_ics_bytes", "host_workbook_bytes",
    "load_territory", "plan_from_dict", "plan_to_dict", "read_stops_csv", "season_ics_bytes", "season_map_svg",
    "season_workbook_bytes", "solve", "stops_csv_bytes", "vehicle_csv_bytes", "vehicle_ics_bytes",
]
