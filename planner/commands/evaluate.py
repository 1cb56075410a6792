"""``run.py evaluate``: the figures and broken rules of any list of stops."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from planner.commands.common import (
    add_season_arguments,
    add_territory_arguments,
    print_json,
    read_stops_into,
    scenario_from_args,
)
from planner.core.compare import plan_of, with_vehicles
from planner.core.evaluate import evaluate
from planner.core.instance import build_instance
from planner.exports.plan_report import format_plan, format_violations, plan_summary


def register(sub) -> None:
    parser = sub.add_parser("evaluate", help="évaluer une liste d'arrêts (tournée passée, plan modifié à la main)")
    parser.add_argument("--stops", required=True, help="CSV/XLSX : date, insee_com, vehicle (facultatif)")
    add_territory_arguments(parser)
    add_season_arguments(parser)
    parser.add_argument("--json", action="store_true", help="résultat JSON (clés stables)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    problems: list = []
    stops = read_stops_into(args.stops, problems)
    scenario = scenario_from_args(args, stops, problems)
    instance = build_instance(scenario)
    evaluation = evaluate(instance, with_vehicles(scenario, stops))
    plan = plan_of(instance, evaluation)
    summary = plan_summary(plan)
    summary["violations"] = [dict(asdict(v), date=v.date.isoformat() if v.date else None) for v in evaluation.violations]
    if args.json:
        print_json(summary)
    else:
        print(format_plan(plan, summary))
        print()
        print(format_violations(evaluation.violations))
    return 0
