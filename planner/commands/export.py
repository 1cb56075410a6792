"""``run.py export``: the files people use, from a plan (its stops CSV, or the plan file ``plan --out
X.json`` writes, which keeps the solve's status, bound and settings for the workbook).

Without --host or --vehicle: the season workbook (.xlsx), calendar (.ics) or stops (.csv); with
--host INSEE: the commune's workbook (dates, what to prepare, sign-up sheets), calendar or stops;
with --vehicle NAME: that vehicle's calendar or stops. The files come from planner.exports.files,
as bytes, and are written whole or not at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from planner.commands.common import (
    add_season_arguments,
    add_territory_arguments,
    named_problems,
    output_problems,
    read_stops_into,
    scenario_from_args,
    write_atomically,
)
from planner.core.compare import plan_of
from planner.core.evaluate import evaluate
from planner.core.instance import build_instance
from planner.domain.plan import Plan
from planner.domain.plan_file import plan_from_dict
from planner.domain.problems import DataError, Problem
from planner.domain.scenario import Scenario
from planner.domain.stop import Stop
from planner.exports import files
from planner.inputs.scenario_build import build_scenario
from planner.inputs.stops import read_stops

MAX_REVISION = 2**31 - 1  # SEQUENCE of RFC 5545 is an integer that calendar clients read on 32 bits
FORMATS = {
    "season": (".xlsx", ".ics", ".csv"),
    "host": (".xlsx", ".ics", ".csv"),
    "vehicle": (".ics", ".csv"),
}


def register(sub) -> None:
    parser = sub.add_parser("export", help="écrire les fichiers d'un plan : classeur de saison, dossier d'une commune, "
                                           "agendas .ics, CSV")
    parser.add_argument("--plan", required=True, help="le plan : fichier .json écrit par « plan --out », ou ses arrêts (CSV/XLSX)")
    parser.add_argument("--out", required=True, help="fichier à écrire : .xlsx, .ics ou .csv")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--host", metavar="INSEE", help="fichiers de la commune d'accueil : .xlsx (dates, à préparer, "
                                                        "feuilles d'inscription), .ics ou .csv")
    target.add_argument("--vehicle", metavar="NOM", help="agenda (.ics) ou arrêts (.csv) d'un véhicule")
    parser.add_argument("--previous", help="plan publié auparavant (CSV) : dans un .ics, ses arrêts disparus sont annulés")
    parser.add_argument("--revision", type=int, help="version de l'agenda (SEQUENCE), plus grande qu'à la publication "
                                                     "précédente (défaut : 1 avec --previous, 0 sinon)")
    parser.add_argument("--comma", action="store_true", help="CSV UTF-8 à virgules sans BOM (défaut : points-virgules et "
                                                             "BOM, qu'Excel en français ouvre directement)")
    add_territory_arguments(parser)
    add_season_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    target = "host" if args.host else "vehicle" if args.vehicle else "season"
    problems = output_problems(out, FORMATS[target])
    if args.previous and out.suffix.lower() != ".ics":
        problems.append(Problem("--previous", 0, "", args.previous, "ne sert qu'aux agendas (--out FICHIER.ics)"))
    if args.revision is not None and not 0 <= args.revision <= MAX_REVISION:
        problems.append(Problem("--revision", 0, "", str(args.revision), f"doit être entre 0 et {MAX_REVISION}"))
    plan, scenario = plan_and_scenario(args, args.plan, problems)
    revision = args.revision if args.revision is not None else (1 if args.previous else 0)
    previous = read_stops(args.previous, default_vehicle=scenario.vehicles[0].name) if args.previous else ()
    try:
        data = file_bytes(target, out.suffix.lower(), plan, scenario, args.host or args.vehicle, previous, revision,
                          not args.comma)
    except DataError as exc:
        raise named_problems(exc) from exc
    write_atomically(out, data)
    print(f"Écrit : {out}")
    return 0


def plan_and_scenario(args: argparse.Namespace, path: str, problems: list[Problem]) -> tuple[Plan, Scenario]:
    """A plan file (``path``) brings its scenario; a stops file is evaluated in the scenario of the
    flags. ``problems`` found earlier are reported with those of the plan."""
    host, previous_path = getattr(args, "host", None), getattr(args, "previous", None)
    if Path(path).suffix.lower() == ".json":
        name = Path(path).name
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DataError([*problems, Problem(name, 0, "", path, f"plan illisible : {exc}")]) from exc
        if not isinstance(data, dict):
            raise DataError([*problems, Problem(name, 0, "", type(data).__name__, "plan illisible : objet JSON attendu")])
        try:
            plan = plan_from_dict(data)
        except DataError as exc:
            raise DataError([*problems, *(replace(p, file=name) for p in exc.problems)]) from exc
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise DataError([*problems, Problem(name, 0, "", str(exc)[:60], "plan illisible : ce n'est pas un plan "
                                                                         "écrit par « plan --out »")]) from exc
        if plan.spec is None:
            raise DataError([*problems, Problem(name, 0, "spec", "", "le plan n'a pas de scénario")])
        if problems:
            raise DataError(problems)
        return plan, build_scenario(plan.spec)
    stops = read_stops_into(path, problems, default_vehicle="bus")
    previous = read_stops_into(previous_path, problems, default_vehicle="bus") if previous_path else ()
    scenario = scenario_from_args(args, stops + previous, problems)
    territory = scenario.territory
    if host and host not in territory:
        raise DataError([Problem("--host", 0, "", host, f"commune inconnue du territoire « {territory.name} » "
                                                       "(code INSEE à 5 caractères ; voir --territory)")])
    codes = set(territory.index)
    outside: list[Problem] = []
    for file in (path, previous_path):
        if file:  # each stop outside the territory, by its line
            try:
                read_stops(file, "bus", communes=codes)
            except DataError as exc:
                outside.extend(exc.problems)
    if outside:
        raise DataError([replace(p, message=f"{p.message} « {territory.name} » (voir --territory)") for p in outside])
    instance = build_instance(scenario)
    evaluation = evaluate(instance, stops)
    if evaluation.violations:
        print(f"Attention : ce plan enfreint {len(evaluation.violations)} règle(s) (détail : run.py evaluate).",
              file=sys.stderr)
    return plan_of(instance, evaluation), scenario


def file_bytes(target: str, suffix: str, plan: Plan, scenario: Scenario, name: str | None, previous: tuple[Stop, ...],
               revision: int, french: bool) -> bytes:
    """The file of a plan for the season, a host (``name`` an INSEE code) or a vehicle, by extension."""
    if target == "host":
        if suffix == ".xlsx":
            return files.host_workbook_bytes(plan, scenario, name, previous=previous)
        if suffix == ".ics":
            return files.host_ics_bytes(plan, scenario, name, previous=previous, revision=revision)
        return files.host_csv_bytes(plan, scenario, name, french=french)
    if target == "vehicle":
        if suffix == ".ics":
            return files.vehicle_ics_bytes(plan, scenario, name, previous=previous, revision=revision)
        return files.vehicle_csv_bytes(plan, scenario, name, french=french)
    if suffix == ".xlsx":
        return files.season_workbook_bytes(plan, scenario)
    if suffix == ".ics":
        return files.season_ics_bytes(plan, scenario, previous=previous, revision=revision)
    return files.stops_csv_bytes(plan, scenario, french=french)
