"""``run.py territory``: describe a territory from the shipped data and the user's files."""

from __future__ import annotations

import argparse

from planner.commands.common import add_territory_arguments, params_from_args, print_json, territory_from_args
from planner.core.need import build_need_model
from planner.exports.territory_report import format_report, territory_report


def register(sub) -> None:
    parser = sub.add_parser("territory", help="décrire un territoire (communes, seniors, lieux, besoin)")
    add_territory_arguments(parser)
    parser.add_argument("--json", action="store_true", help="sortie JSON (clés stables)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    params = params_from_args(args)
    territory = territory_from_args(args)
    report = territory_report(territory, params, build_need_model(territory, params))
    if args.json:
        print_json(report)
    else:
        print(format_report(report))
    return 0
