"""Arguments shared by several sub-commands, turned into a ScenarioSpec, and the files they write.

The command line builds scenarios as every front end does: flags and files become a ScenarioSpec
(the files' rows inside it), ``build_scenario`` checks it. The problems it reports name spec fields
(``vehicles.base``, ``requests.insee_com``, row = position in the list); ``CliSpec.named`` turns
them back into the flag or the file line the user typed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from planner.domain.params import Params, read_toml
from planner.domain.problems import DataError, Problem
from planner.domain.scenario import Scenario
from planner.domain.spec import SPEC_FILE, ScenarioSpec, VehicleSpec
from planner.domain.stop import Stop
from planner.domain.territory import PRESETS, Territory
from planner.inputs import ages, communes, hosts, markets, outcomes, requests, service_points
from planner.inputs.dataset import load_territory
from planner.inputs.scenario_build import DEFAULT_NAMES, build_scenario, table_rows
from planner.inputs.stops import read_stops
from planner.inputs.table import Table, read_table

# Spec fields a single flag sets, and the params keys some flags override.
FIELD_FLAGS = {"start": "--start", "end": "--end", "school_zone": "--school-holidays", "closed": "--closed",
               "mode": "--mode", "territory": "--territory"}
PARAM_FLAGS = {  # params key -> (argparse attribute, flag)
    "vehicle.max_drive_minutes": ("max_drive", "--max-drive"),
    "vehicle.overnight_nights": ("nights", "--nights"),
    "solver.time_limit_s": ("time_limit", "--time-limit"),
    "solver.workers": ("workers", "--workers"),
    "solver.seed": ("seed", "--seed"),
    "solver.reproducible": ("reproducible", "--reproducible"),
}
VEHICLE_FLAGS = {"base": "--base", "weekdays": "--weekdays", "max_drive_minutes": "--max-drive",
                 "overnight_nights": "--nights"}
TABLE_FLAGS = {"markets": ("markets", markets.REQUIRED), "service_points": ("service_points", service_points.REQUIRED),
               "ages": ("ages", ages.REQUIRED), "requests": ("requests", requests.REQUIRED),
               "hosts": ("hosts", hosts.REQUIRED), "history": ("history", outcomes.REQUIRED)}
# Problems the core names by what they are about, shown under the flag that gave it.
CORE_FLAGS = {"commune d'accueil": "--host", "véhicule": "--vehicle", "plan précédent": "--from", "territoire": "--territory"}


def add_territory_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--territory", default="bourges",
                        help="bourges (défaut), cher, centre-val-de-loire, epci:SIREN (une intercommunalité), "
                        "ou un fichier CSV/XLSX de communes")
    parser.add_argument("--markets", help="fichier CSV/XLSX de marchés à ajouter (insee_com, weekday, ...)")
    parser.add_argument("--service-points", help="fichier CSV/XLSX de lieux d'aide numérique à ajouter")
    parser.add_argument("--ages", help="table d'âges INSEE (P21_POP6074, P21_POP75P) qui remplace l'estimation 65+")
    parser.add_argument("--params", help="fichier TOML de paramètres (voir README)")


def territory_from_args(args: argparse.Namespace) -> Territory:
    return load_territory(args.territory, markets_file=args.markets,
                          service_points_file=args.service_points, ages_file=args.ages)


def params_from_args(args: argparse.Namespace) -> Params:
    return Params.from_toml(args.params) if args.params else Params()


def add_season_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--start", help="premier jour de la saison, AAAA-MM-JJ (défaut : lundi prochain)")
    parser.add_argument("--end", help="dernier jour, AAAA-MM-JJ (défaut : 30 juin suivant)")
    parser.add_argument("--mode", choices=("bus", "mediator"), default="bus",
                        help="bus numérique (défaut) ou médiateur itinérant (semaine type, matin et après-midi)")
    parser.add_argument("--weekdays", help="jours travaillés, ex. tue,wed,thu,fri ou mardi-vendredi "
                        "(défaut : mardi-vendredi pour le bus, lundi-vendredi pour le médiateur)")
    parser.add_argument("--base", help="base du véhicule : code INSEE ou lat,lon (défaut : commune la plus peuplée)")
    parser.add_argument("--school-holidays", metavar="ZONE", help="fermer pendant les vacances scolaires de la zone (A, B, C)")
    parser.add_argument("--closed", action="append", default=[], metavar="DATE[,DATE...]",
                        help="dates de fermeture supplémentaires (AAAA-MM-JJ), répétable")
    parser.add_argument("--requests", help="fichier CSV/XLSX des demandes d'arrêt")
    parser.add_argument("--hosts", help="fichier CSV/XLSX des lieux d'accueil et horaires de mairie corrigés "
                        "(insee_com, site, address, lat, lon, hours ; « inconnus » = horaires inconnus)")
    parser.add_argument("--pin", action="append", default=[], metavar="DATE:INSEE",
                        help="imposer un arrêt (ex. 2026-10-06:18160), répétable")
    parser.add_argument("--forbid", action="append", default=[], metavar="[DATE:]INSEE",
                        help="interdire un arrêt (une date, ou toute la saison), répétable")
    parser.add_argument("--max-drive", help="minutes de conduite par jour, 30 à 720 (défaut : paramètres)")
    parser.add_argument("--nights", help="nuits de suite hors base permises au bus, 0 à 6 (défaut : 0)")
    parser.add_argument("--fleet", action="append", default=[], metavar="NOM:BASE:JOURS[:MINUTES[:NUITS[:TYPE]]]",
                        help="un véhicule de la flotte (ex. bus2:18279:mon-thu:180:2, med:18223:mon-fri:120:0:mediator), "
                        "répétable ; remplace le véhicule par défaut")


@dataclass
class CliSpec:
    """A spec built from the command line, and where each of its parts was typed."""

    spec: ScenarioSpec
    tables: dict[str, Table] = field(default_factory=dict)  # spec field -> the file its rows came from
    params_file: str = ""
    param_flags: dict[str, str] = field(default_factory=dict)  # params key -> flag that set it
    texts: dict[str, list[str]] = field(default_factory=dict)  # list field -> the flag values, in order

    problems: list[Problem] = field(default_factory=list)  # of the flags and files themselves
    flag_texts: dict[str, str] = field(default_factory=dict)  # params key -> the text its flag was given

    def build(self, extra: list[Problem] | None = None) -> Scenario:
        """The scenario; DataError with every problem of the flags, the files, the spec and
        ``extra`` (problems the caller found in its own inputs) at once."""
        found = self.problems + list(extra or [])
        try:
            scenario = build_scenario(self.spec)
        except DataError as exc:
            raise DataError(found + [self.named(p) for p in exc.problems]) from exc
        if found:
            raise DataError(found)
        return scenario

    def named(self, problem: Problem) -> Problem:
        """A spec problem as the user typed it: the flag, or the file, line and column."""
        if problem.file != SPEC_FILE:
            return problem
        field_name, _, sub = problem.column.partition(".")
        if field_name in self.tables:
            table = self.tables[field_name]
            row = table.rows[problem.row - 1][0] if 0 < problem.row <= len(table.rows) else table.header_row
            # "en double (déjà ligne N)" names a spec row too: the file's line instead
            message = re.sub(r"déjà ligne (\d+)", lambda m: f"déjà ligne {_line(table, int(m.group(1)))}", problem.message)
            return Problem(table.file, row, sub, problem.value, message)
        if field_name == "params":
            if sub in self.param_flags:
                return Problem(self.param_flags[sub], 0, "", self.flag_texts.get(sub, problem.value), problem.message)
            return Problem(self.params_file or "paramètres", 0, sub, problem.value, problem.message)
        if field_name == "vehicles":
            if "vehicles" in self.texts and 0 < problem.row <= len(self.texts["vehicles"]):
                return Problem("--fleet", 0, "", self.texts["vehicles"][problem.row - 1], problem.message)
            flag = VEHICLE_FLAGS.get(sub, "--fleet")
            key = {"max_drive_minutes": "vehicle.max_drive_minutes", "overnight_nights": "vehicle.overnight_nights"}.get(sub)
            return Problem(flag, 0, "", self.flag_texts.get(key, problem.value), problem.message)
        if field_name in ("pins", "forbids") and 0 < problem.row <= len(self.texts.get(field_name, [])):
            flag = "--pin" if field_name == "pins" else "--forbid"
            return Problem(flag, 0, "", self.texts[field_name][problem.row - 1], problem.message)
        if field_name in FIELD_FLAGS:
            return Problem(FIELD_FLAGS[field_name], 0, "", problem.value, problem.message)
        return problem


def spec_from_args(args: argparse.Namespace, stops: tuple[Stop, ...] = ()) -> CliSpec:
    """The spec the flags and files describe; with ``stops`` (a plan being judged), the season
    defaults to their first and last dates. Problems of the flags and files (syntax, unreadable
    files) are kept in ``problems``: ``build`` reports them with those of the spec, all at once."""
    cli = CliSpec(ScenarioSpec())
    problems = cli.problems
    changes: dict = {"mode": getattr(args, "mode", "bus")}
    for flag, attr in EMPTY_FLAGS.items():
        value = getattr(args, attr, None)
        if value is not None and not value.strip():
            problems.append(Problem(flag, 0, "", "", "valeur vide : donnez une valeur ou retirez l'option"))
    if args.territory in PRESETS or args.territory.lower().startswith("epci:") or not (
            Path(args.territory).suffix or Path(args.territory).exists()):
        changes["territory"] = args.territory
    else:
        table = _table(args.territory, communes.REQUIRED, problems)
        if table is not None:
            cli.tables["territory_rows"] = table
            changes.update(territory=Path(args.territory).stem, territory_rows=table_rows(table))
        else:
            changes["territory"] = "bourges"  # the rest is still checked, against the default territory
    for field_name, (attr, required) in TABLE_FLAGS.items():
        if getattr(args, attr, None):
            table = _table(getattr(args, attr), required, problems)
            if table is not None:
                cli.tables[field_name] = table
                changes[field_name] = table_rows(table)
    params: dict = {}
    if args.params:
        try:
            params = read_toml(args.params)
        except DataError as exc:
            problems.extend(exc.problems)
    cli.params_file = Path(args.params).name if args.params else ""
    for key, (attr, flag) in PARAM_FLAGS.items():
        value = getattr(args, attr, None)
        if value is None or value is False:
            continue
        if isinstance(value, str):
            cli.flag_texts[key] = value
            value = _flag_number(flag, value, key in INTEGER_PARAMS, problems)
            if value is None:
                continue
        section, name = key.split(".")
        params = {**params, section: {**params.get(section, {}), name: value}}
        cli.param_flags[key] = flag
    changes["params"] = params
    changes["start"] = args.start or (min(s.date for s in stops).isoformat() if stops else "")
    changes["end"] = args.end or (max(s.date for s in stops).isoformat() if stops else "")
    changes["school_zone"] = args.school_holidays or ""
    changes["closed"] = tuple(p.strip() for text in args.closed for p in text.split(",") if p.strip())
    for text in args.pin:
        if ":" not in text:
            problems.append(Problem("--pin", 0, "", text, "attendu DATE:INSEE (ex. 2026-10-06:18160)"))
    changes["pins"] = tuple(_pin(text) for text in args.pin if ":" in text)
    changes["forbids"] = tuple(_forbid(text) for text in args.forbid)
    cli.texts.update(pins=[text for text in args.pin if ":" in text], forbids=list(args.forbid))
    if changes["mode"] == "mediator" and args.nights and args.nights.strip() != "0":
        problems.append(Problem("--nights", 0, "", str(args.nights), "le médiateur rentre chaque soir"))
    if args.fleet:
        changes["vehicles"] = tuple(v for v in (_fleet(text, changes["mode"], problems) for text in args.fleet) if v)
        cli.texts["vehicles"] = [text for text in args.fleet if _fleet(text, changes["mode"], [])]
    else:
        changes["vehicles"] = (VehicleSpec(DEFAULT_NAMES[changes["mode"]], changes["mode"], args.base or "",
                                           args.weekdays or ""),)
    cli.spec = replace(cli.spec, **changes)
    return cli


# Flags whose empty value would silently mean "the default".
EMPTY_FLAGS = {"--start": "start", "--end": "end", "--base": "base", "--weekdays": "weekdays",
               "--school-holidays": "school_holidays", "--territory": "territory"}
INTEGER_PARAMS = ("vehicle.overnight_nights", "solver.workers", "solver.seed")


def _table(path: str, required, problems: list[Problem]) -> Table | None:
    try:
        return read_table(path, required)
    except DataError as exc:
        problems.extend(exc.problems)
        return None


def _flag_number(flag: str, text: str, integer: bool, problems: list[Problem]) -> float | int | None:
    """The number a flag was given (its range is checked with the parameters); None and a problem if not one."""
    try:
        return int(text.strip()) if integer else float(text.strip().replace(",", "."))
    except ValueError:
        problems.append(Problem(flag, 0, "", text, "nombre entier attendu" if integer else "nombre attendu"))
        return None


def _line(table: Table, row: int) -> int:
    return table.rows[row - 1][0] if 0 < row <= len(table.rows) else row


def _pin(text: str) -> dict:
    day, _, insee = text.partition(":")
    return {"date": day, "insee": insee}


def _forbid(text: str) -> dict:
    day, _, insee = text.rpartition(":")
    return {"date": day, "insee": insee}


def _fleet(text: str, mode: str, problems: list[Problem]) -> VehicleSpec | None:
    """NOM:BASE:JOURS[:MINUTES[:NUITS[:TYPE]]] as a VehicleSpec (its values are checked when built)."""
    parts = text.split(":")
    if len(parts) < 3 or len(parts) > 6 or not parts[0]:
        problems.append(Problem("--fleet", 0, "", text, "attendu NOM:BASE:JOURS[:MINUTES[:NUITS[:TYPE]]]"))
        return None
    try:
        minutes = float(parts[3].replace(",", ".")) if len(parts) > 3 and parts[3] else None
        nights = int(parts[4]) if len(parts) > 4 and parts[4] else None
    except ValueError:
        problems.append(Problem("--fleet", 0, "", text, "MINUTES et NUITS doivent être des nombres"))
        return None
    kind = parts[5] if len(parts) > 5 and parts[5] else mode
    return VehicleSpec(parts[0], kind, parts[1], parts[2], minutes, nights)


def scenario_from_args(args: argparse.Namespace, stops: tuple[Stop, ...] = (),
                       extra: list[Problem] | None = None) -> Scenario:
    """The scenario the flags describe; every problem names the flag or file line it comes from."""
    return spec_from_args(args, stops).build(extra)


def read_stops_into(path: str, problems: list[Problem], default_vehicle: str = "") -> tuple[Stop, ...]:
    """The stops of a file, or () with its problems added to ``problems`` (reported with the rest)."""
    try:
        return read_stops(path, default_vehicle)
    except DataError as exc:
        problems.extend(exc.problems)
        return ()


def check_stops(path: str, scenario: Scenario, problems: list[Problem]) -> tuple[Stop, ...]:
    """The stops of a file read again against the scenario: each must name a commune of the
    territory and a vehicle of the fleet (a re-plan of another territory would otherwise crash)."""
    codes = set(scenario.territory.index)
    names = {v.name for v in scenario.vehicles}
    try:
        return read_stops(path, scenario.vehicles[0].name, communes=codes, vehicles=names)
    except DataError as exc:
        problems.extend(exc.problems)
        return ()


def named_problems(exc: DataError) -> DataError:
    """A core error about a host, a vehicle or a previous plan, under the flag that named it."""
    return DataError([replace(p, file=CORE_FLAGS.get(p.file, p.file)) for p in exc.problems])


def output_problems(out: Path | None, suffixes, flag: str = "--out") -> list[Problem]:
    """Problems of an output path, found before any work: format, and a folder that can take it."""
    if out is None:
        return []
    if out.suffix.lower() not in suffixes:
        return [Problem(flag, 0, "", str(out), f"format inconnu (attendu : {', '.join(suffixes)})")]
    if out.is_dir():
        return [Problem(flag, 0, "", str(out), "est un dossier : donnez un nom de fichier")]
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        return [Problem(flag, 0, "", str(out), f"dossier introuvable : {folder}")]
    if not os.access(folder, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        return [Problem(flag, 0, "", str(out), "écriture interdite (droits du dossier ou du fichier)")]
    return []


def write_atomically(out: Path, data: bytes, flag: str = "--out") -> None:
    """Write ``out`` whole or not at all: a temporary file in the same folder, then a rename, so
    that an interruption never leaves a partial file nor an emptied previous one."""
    temporary = None
    try:
        fd, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, out.stat().st_mode & 0o777 if out.exists() else 0o666 & ~_umask())
        os.replace(temporary, out)
    except OSError as exc:
        raise DataError([Problem(flag, 0, "", str(out), f"écriture impossible : {exc.strerror or exc}")]) from exc
    finally:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def print_json(data: dict) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
