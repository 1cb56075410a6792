"""``run.py plan``: build a season with CP-SAT and explain it."""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.commands.common import (
    add_season_arguments,
    add_territory_arguments,
    params_from_args,
    print_json,
    scenario_from_args,
    territory_from_args,
)
from planner.commands.export import write_season_file
from planner.core.instance import build_instance
from planner.domain.problems import DataError, Problem
from planner.exports.plan_report import format_plan, plan_summary
from planner.inputs.stops import read_stops
from planner.search.solve import solve_scenario, stderr_progress


def register(sub) -> None:
    parser = sub.add_parser("plan", help="construire une saison (optimisation CP-SAT)")
    add_territory_arguments(parser)
    add_season_arguments(parser)
    parser.add_argument("--time-limit", type=float, help="secondes de calcul (défaut : paramètres, 10 s)")
    parser.add_argument("--workers", type=int, help="fils de calcul CP-SAT (défaut : 2)")
    parser.add_argument("--seed", type=int, help="graine aléatoire (défaut : 0)")
    parser.add_argument("--out", help="fichier de sortie : .csv (arrêts), .xlsx (classeur de saison) ou .ics (calendrier)")
    parser.add_argument("--from", dest="previous", metavar="PRECEDENT.csv",
                        help="re-planifier à partir d'un plan publié : déplacer le moins d'arrêts possible")
    parser.add_argument("--json", action="store_true", help="résumé JSON (clés stables)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    params = params_from_args(args)
    solver_changes = {k: v for k, v in (("time_limit_s", args.time_limit), ("workers", args.workers),
                                         ("seed", args.seed)) if v is not None}
    if solver_changes:
        params = params.with_changes("solver", **solver_changes)
        params = type(params).from_dict(params.to_dict(), "options")  # range checks of the flags
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() not in OUTPUTS:
        raise DataError([Problem("--out", 0, "", str(out), f"format inconnu (attendu : {', '.join(OUTPUTS)})")])
    territory = territory_from_args(args)
    scenario = scenario_from_args(args, params, territory)
    previous = read_stops(args.previous, default_vehicle=scenario.vehicles[0].name) if args.previous else ()
    plan = solve_scenario(scenario, previous=previous, progress=stderr_progress)
    summary = plan_summary(plan)
    if out is not None and plan.stops:
        OUTPUTS[out.suffix.lower()](plan, scenario, out, previous)
    if args.json:
        print_json(summary)
    else:
        print(format_plan(plan, summary))
        if out is not None and plan.stops:
            print(f"\nPlan écrit dans {out}")
    return 0 if plan.feasible else 1


def _write_season_file(plan, scenario, path: Path, previous=()) -> None:
    """Stops CSV, season workbook or calendar (planner/commands/export.py, shared with ``export``).

    After a re-plan (``--from``), the calendar cancels the removed stops with a higher SEQUENCE."""
    write_season_file(plan, build_instance(scenario), path, previous=previous, revision=1 if previous else 0)


OUTPUTS = {".csv": _write_season_file, ".xlsx": _write_season_file, ".ics": _write_season_file}
