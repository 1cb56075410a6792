"""``run.py export``: the files people use, from a plan's stops CSV (as ``plan --out`` writes it).

Without --host or --vehicle: the season workbook (.xlsx), calendar (.ics) or stops (.csv); with
--host INSEE: the commune's workbook (dates, what to prepare, sign-up sheets), calendar or stops;
with --vehicle NAME: that vehicle's calendar or stops. ``run.py plan --out`` writes the season
files through the same functions.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from planner.commands.common import (
    add_season_arguments,
    add_territory_arguments,
    params_from_args,
    scenario_from_args,
    territory_from_args,
)
from planner.core.evaluate import evaluate
from planner.core.instance import Instance, build_instance
from planner.domain.plan import Plan
from planner.domain.problems import DataError, Problem
from planner.domain.stop import Stop
from planner.exports.host_workbook import host_stops, host_workbook
from planner.exports.ics import host_calendar, season_calendar, vehicle_calendar
from planner.exports.season_workbook import season_workbook
from planner.exports.stops_csv import stops_csv_text
from planner.inputs.stops import read_stops

FORMATS = {
    "season": (".xlsx", ".ics", ".csv"),
    "host": (".xlsx", ".ics", ".csv"),
    "vehicle": (".ics", ".csv"),
}


def register(sub) -> None:
    parser = sub.add_parser("export", help="écrire les fichiers d'un plan : classeur de saison, dossier d'une commune, "
                                           "agendas .ics, CSV")
    parser.add_argument("--plan", required=True, help="arrêts du plan (CSV/XLSX écrit par « plan --out FICHIER.csv »)")
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
    check_output(out, FORMATS[target])
    if args.previous and out.suffix.lower() != ".ics":
        raise DataError([Problem("--previous", 0, "", args.previous, "ne sert qu'aux agendas (--out FICHIER.ics)")])
    if args.revision is not None and args.revision < 0:
        raise DataError([Problem("--revision", 0, "", str(args.revision), "doit être positif")])
    params = params_from_args(args)
    territory = territory_from_args(args)
    if args.host and args.host not in territory:
        raise DataError([Problem("--host", 0, "", args.host, f"commune inconnue du territoire « {territory.name} » "
                                                            "(code INSEE à 5 caractères ; voir --territory)")])
    stops = read_stops(args.plan, default_vehicle="bus")
    previous = read_stops(args.previous, default_vehicle="bus") if args.previous else ()
    outside = sorted({s.insee for s in stops + previous if s.insee not in territory})
    if outside:
        raise DataError([Problem(args.plan, 0, "insee_com", ", ".join(outside[:10]),
                                 f"commune(s) hors du territoire « {territory.name} » (voir --territory)")])
    days = [s.date for s in stops + previous]
    args.start = args.start or min(days).isoformat()
    args.end = args.end or max(days).isoformat()
    instance = build_instance(scenario_from_args(args, params, territory))
    evaluation = evaluate(instance, stops)
    if evaluation.violations:
        print(f"Attention : ce plan enfreint {len(evaluation.violations)} règle(s) (détail : run.py evaluate).",
              file=sys.stderr)
    plan = Plan(evaluation.stops, (), None, dict(evaluation.metrics), params.to_dict())
    revision = args.revision if args.revision is not None else (1 if previous else 0)
    if args.host:
        write_host_file(plan, instance, args.host, out, previous=previous, revision=revision, french=not args.comma,
                        source=args.plan)
    elif args.vehicle:
        write_vehicle_file(plan, instance, args.vehicle, out, previous=previous, revision=revision,
                           french=not args.comma, source=args.plan)
    else:
        write_season_file(plan, instance, out, previous=previous, revision=revision, french=not args.comma)
    print(f"Écrit : {out}")
    return 0


def check_output(out: Path, suffixes: tuple[str, ...], flag: str = "--out") -> None:
    if out.suffix.lower() not in suffixes:
        raise DataError([Problem(flag, 0, "", str(out), f"format inconnu (attendu : {', '.join(suffixes)})")])


def write_season_file(plan: Plan, instance: Instance, out: Path, *, previous: tuple[Stop, ...] = (), revision: int = 0,
                      french: bool = True) -> None:
    """The season workbook, calendar or stops CSV, by the extension of ``out``."""
    check_output(out, FORMATS["season"])
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        save(out, _workbook_bytes(season_workbook(plan, instance)))
    elif suffix == ".ics":
        save(out, season_calendar(plan, instance.scenario, previous=previous, revision=revision).encode("utf-8"))
    else:
        save(out, stops_csv_text(plan, instance.scenario.territory, french=french,
                                 requests=instance.scenario.requests).encode("utf-8"))


def write_host_file(plan: Plan, instance: Instance, insee: str, out: Path, *, previous: tuple[Stop, ...] = (),
                    revision: int = 0, french: bool = True, source: str = "plan") -> None:
    """A host commune's workbook, calendar or stops CSV; DataError when the plan never goes there."""
    scenario = instance.scenario
    stops = host_stops(plan, insee)
    if not stops and not (out.suffix.lower() == ".ics" and any(p.insee == insee for p in previous)):
        name = scenario.territory.commune(insee).name if insee in scenario.territory else insee
        raise DataError([Problem("--host", 0, "", insee, f"aucun arrêt à {name} dans {source}")])
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        save(out, _workbook_bytes(host_workbook(plan, scenario, insee)))
    elif suffix == ".ics":
        save(out, host_calendar(plan, scenario, insee, previous=previous, revision=revision).encode("utf-8"))
    else:
        save(out, stops_csv_text(Plan(stops), scenario.territory, french=french, requests=scenario.requests).encode("utf-8"))


def write_vehicle_file(plan: Plan, instance: Instance, vehicle: str, out: Path, *, previous: tuple[Stop, ...] = (),
                       revision: int = 0, french: bool = True, source: str = "plan") -> None:
    stops = tuple(s for s in plan.stops if s.vehicle == vehicle)
    if not stops and not any(p.vehicle == vehicle for p in previous):
        names = sorted({s.vehicle for s in plan.stops})
        raise DataError([Problem("--vehicle", 0, "", vehicle, f"aucun arrêt de ce véhicule dans {source} "
                                                              f"(véhicules : {', '.join(names)})")])
    if out.suffix.lower() == ".ics":
        save(out, vehicle_calendar(plan, instance.scenario, vehicle, previous=previous, revision=revision).encode("utf-8"))
    else:
        save(out, stops_csv_text(Plan(stops), instance.scenario.territory, french=french,
                                 requests=instance.scenario.requests).encode("utf-8"))


def save(out: Path, data: bytes, flag: str = "--out") -> None:
    """Write a file, or say in French why it cannot be written (missing folder, no permission...)."""
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise DataError([Problem(flag, 0, "", str(out), f"écriture impossible : {exc.strerror or exc}")]) from exc


def _workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
