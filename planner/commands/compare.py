"""``run.py compare A B``: two plans (or a plan and last season's tour) on the same figures."""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.commands.common import (
    add_season_arguments,
    add_territory_arguments,
    print_json,
    read_stops_into,
    scenario_from_args,
)
from planner.core.compare import compare
from planner.domain.formatting import fr_number
from planner.domain.plan import Plan

LABELS = {
    "objective": "valeur (points)", "stops": "arrêts", "communes_visited": "communes visitées",
    "seats": "places offertes", "participants": "participants attendus",
    "participants_far": "dont loin des lieux d'aide", "fill_rate": "remplissage (%)", "communes_reached": "communes d'origine",
    "km_total": "km", "drive_minutes_total": "minutes de conduite", "market_day_stops": "jours de marché",
    "idle_days": "jours sans arrêt", "requests_served": "demandes servies",
}


def register(sub) -> None:
    parser = sub.add_parser("compare", help="comparer deux plans sur les mêmes indicateurs")
    parser.add_argument("first", help="plan A (CSV/XLSX : date, insee_com, vehicle)")
    parser.add_argument("second", help="plan B")
    add_territory_arguments(parser)
    add_season_arguments(parser)
    parser.add_argument("--json", action="store_true", help="résultat JSON (clés stables)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    problems: list = []
    a, b = read_stops_into(args.first, problems), read_stops_into(args.second, problems)
    scenario = scenario_from_args(args, a + b, problems)
    names = (Path(args.first).stem, Path(args.second).stem)
    if names[0] == names[1]:
        names = ("A", "B")
    result = compare(scenario, Plan(a), Plan(b), names).to_dict()
    if args.json:
        print_json(result)
        return 0
    print(f"{'':<28} {names[0][:16]:>16} {names[1][:16]:>16} {'écart':>12}")
    for row in result["figures"]:
        scale = 100 if row["figure"] == "fill_rate" else 1  # a fraction in JSON, a percentage here
        print(f"{LABELS[row['figure']]:<28} {fr_number(scale * row[names[0]], 1):>16} "
              f"{fr_number(scale * row[names[1]], 1):>16} {fr_number(scale * row['difference'], 1):>12}")
    print(f"\nArrêts communs : {result['common_stops']} ; seulement dans {names[0]} : {len(result['only_in'][names[0]])} ; "
          f"seulement dans {names[1]} : {len(result['only_in'][names[1]])}")
    print(f"Règles enfreintes : {names[0]} {result['violations'][names[0]]}, {names[1]} {result['violations'][names[1]]}")
    return 0
