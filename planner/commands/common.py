"""Arguments shared by several sub-commands: territory, user data files and parameters."""

from __future__ import annotations

import argparse

from planner.dataset import load_territory
from planner.params import Params
from planner.territory import Territory


def add_territory_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--territory", default="bourges",
                        help="bourges (défaut), cher, centre-val-de-loire, ou un fichier CSV/XLSX de communes")
    parser.add_argument("--markets", help="fichier CSV/XLSX de marchés à ajouter (insee_com, weekday, ...)")
    parser.add_argument("--service-points", help="fichier CSV/XLSX de lieux d'aide numérique à ajouter")
    parser.add_argument("--ages", help="table d'âges INSEE (P21_POP6074, P21_POP75P) qui remplace l'estimation 65+")
    parser.add_argument("--params", help="fichier TOML de paramètres (voir README)")


def territory_from_args(args: argparse.Namespace) -> Territory:
    return load_territory(args.territory, markets_file=args.markets,
                          service_points_file=args.service_points, ages_file=args.ages)


def params_from_args(args: argparse.Namespace) -> Params:
    return Params.from_toml(args.params) if args.params else Params()
