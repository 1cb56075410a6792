"""``run.py evaluate``: the plan metrics and broken rules of any list of stops."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from planner.commands.common import (
    add_season_arguments,
    add_territory_arguments,
    params_from_args,
    print_json,
    scenario_for_stops,
    territory_from_args,
)
from planner.core.evaluate import evaluate
from planner.core.instance import build_instance
from planner.domain.plan import Plan
from planner.exports.plan_report import format_plan, format_violations, plan_summary
from planner.inputs.stops import read_stops


def register(sub) -> None:
    parser = sub.add_parser("evaluate", help="évaluer une liste d'arrêts (tournée passée, plan modifié à la main)")
    parser.add_argument("--stops", required=True, help="CSV/XLSX : date, insee_com, vehicle (facultatif)")
    add_territory_arguments(parser)
    add_season_arguments(parser)
    parser.add_argument("--json", action="store_true", help="résultat JSON (clés stables)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    params = params_from_args(args)
    territory = territory_from_args(args)
    scenario, stops = scenario_for_stops(args, params, territory, read_stops(args.stops))
    instance = build_instance(scenario)
    evaluation = evaluate(instance, stops)
    plan = Plan(evaluation.stops, (), None, dict(evaluation.metrics), params.to_dict())
    summary = plan_summary(plan)
    summary["violations"] = [dict(asdict(v), date=v.date.isoformat() if v.date else None) for v in evaluation.violations]
    if args.json:
        print_json(summary)
    else:
        print(format_plan(plan, summary))
        print()
        print(format_violations(evaluation.violations))
    return 0
