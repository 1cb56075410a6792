"""Arguments shared by several sub-commands: territory, user data files and parameters."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import replace

from planner.domain.params import Params
from planner.domain.problems import DataError, Problem
from planner.domain.scenario import Forbidden, Pin, Scenario
from planner.domain.season import build_season
from planner.domain.stop import Stop
from planner.domain.territory import Territory
from planner.domain.vehicle import Vehicle, mediator_vehicle
from planner.domain.weekdays import parse_weekdays
from planner.inputs.cells import CellReader, parse_date
from planner.inputs.dataset import load_territory, shipped_communes
from planner.inputs.requests import read_requests


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
    parser.add_argument("--pin", action="append", default=[], metavar="DATE:INSEE",
                        help="imposer un arrêt (ex. 2026-10-06:18160), répétable")
    parser.add_argument("--forbid", action="append", default=[], metavar="[DATE:]INSEE",
                        help="interdire un arrêt (une date, ou toute la saison), répétable")
    parser.add_argument("--max-drive", type=float, help="minutes de conduite par jour (défaut : paramètres)")
    parser.add_argument("--nights", type=int, help="nuits de suite hors base permises au bus (défaut : 0)")
    parser.add_argument("--fleet", action="append", default=[], metavar="NOM:BASE:JOURS[:MINUTES[:NUITS[:TYPE]]]",
                        help="un véhicule de la flotte (ex. bus2:18279:mon-thu:180:2, med:18223:mon-fri:120:0:mediator), "
                        "répétable ; remplace le véhicule par défaut")


def scenario_from_args(args: argparse.Namespace, params: Params, territory: Territory) -> Scenario:
    """The scenario the flags describe; a bad flag value raises DataError naming the flag."""
    problems: list[Problem] = []
    today = dt.date.today()
    start = (_date_flag(args.start, "--start", problems) if args.start else None) or next_monday(today)
    end = (_date_flag(args.end, "--end", problems) if args.end else None) or dt.date(start.year + (start.month > 6), 6, 30)
    mediator = getattr(args, "mode", "bus") == "mediator"
    weekdays_text = args.weekdays or ("mon-fri" if mediator else "tue,wed,thu,fri")
    try:
        weekdays = parse_weekdays(weekdays_text)
    except ValueError as exc:
        problems.append(Problem("--weekdays", 0, "", weekdays_text, str(exc)))
        weekdays = (2, 3, 4, 5)
    if mediator and args.nights:
        problems.append(Problem("--nights", 0, "", str(args.nights), "le médiateur rentre chaque soir"))
    closed = []
    for text in args.closed:
        for part in filter(None, (p.strip() for p in text.split(","))):
            day = _date_flag(part, "--closed", problems)
            if day:
                closed.append(day)
    known = {c.insee: c for c in shipped_communes()} | {c.insee: c for c in territory.communes}
    base = _base(args.base, territory, known, problems)
    pins = tuple(p for p in (_pin(text, territory, problems) for text in args.pin) if p)
    forbidden = tuple(f for f in (_forbid(text, territory, problems) for text in args.forbid) if f)
    requests = read_requests(args.requests, known) if args.requests else ()
    if problems:
        raise DataError(problems)
    try:
        season = build_season(start, end, weekdays, school_zone=args.school_holidays, custom_closed=tuple(closed))
    except ValueError as exc:
        raise DataError([Problem("saison", 0, "", f"{start} → {end}", str(exc))]) from exc
    if args.max_drive is not None:
        params = params.with_changes("vehicle", max_drive_minutes=args.max_drive)
    if args.nights is not None:
        params = params.with_changes("vehicle", overnight_nights=args.nights)
    vehicles = _vehicles(args, params, base, weekdays, territory, known)
    season = replace(season, weekdays=tuple(sorted({d for v in vehicles for d in v.weekdays})))
    return Scenario(territory, season, vehicles, params, requests, pins, forbidden)


def _vehicles(args, params: Params, base, weekdays, territory: Territory, known: dict) -> tuple[Vehicle, ...]:
    """The default vehicle (a bus, or a mediator with --mode mediator) from --base/--weekdays, or the
    --fleet list, whose sixth field may make a vehicle a mediator (a bus and a mediator together)."""
    default_kind = getattr(args, "mode", "bus")
    if not args.fleet:
        return (_vehicle(default_kind, "médiateur" if default_kind == "mediator" else "bus", base, weekdays, params,
                         params.vehicle.max_drive_minutes, params.vehicle.overnight_nights),)
    problems: list[Problem] = []
    vehicles = []
    for text in args.fleet:
        parts = text.split(":")
        if len(parts) < 3 or len(parts) > 6 or not parts[0]:
            problems.append(Problem("--fleet", 0, "", text, "attendu NOM:BASE:JOURS[:MINUTES[:NUITS[:TYPE]]]"))
            continue
        name, base_text, days_text = parts[:3]
        vehicle_base = _base(base_text, territory, known, problems)
        try:
            days = parse_weekdays(days_text)
        except ValueError as exc:
            problems.append(Problem("--fleet", 0, "", text, str(exc)))
            continue
        try:
            minutes = float(parts[3]) if len(parts) > 3 and parts[3] else params.vehicle.max_drive_minutes
            nights = int(parts[4]) if len(parts) > 4 and parts[4] else params.vehicle.overnight_nights
        except ValueError:
            problems.append(Problem("--fleet", 0, "", text, "MINUTES et NUITS doivent être des nombres"))
            continue
        kind = parts[5] if len(parts) > 5 and parts[5] else default_kind
        if kind not in ("bus", "mediator"):
            problems.append(Problem("--fleet", 0, "", text, "TYPE : bus ou mediator"))
            continue
        if kind == "mediator" and nights:
            problems.append(Problem("--fleet", 0, "", text, "le médiateur rentre chaque soir (NUITS = 0)"))
            continue
        if any(v.name == name for v in vehicles):
            problems.append(Problem("--fleet", 0, "", text, f"nom de véhicule en double : {name}"))
        vehicles.append(_vehicle(kind, name, vehicle_base, days, params, minutes, nights))
    if problems:
        raise DataError(problems)
    return tuple(vehicles)


def _vehicle(kind: str, name: str, base, weekdays, params: Params, minutes: float, nights: int) -> Vehicle:
    label, lat, lon, insee = base
    if kind == "mediator":
        limited = params.with_changes("vehicle", max_drive_minutes=minutes)
        return mediator_vehicle(name, (lat, lon), weekdays, limited, label=label, insee=insee)
    return Vehicle(name=name, kind="bus", base_label=label, base_lat=lat, base_lon=lon, weekdays=weekdays,
                   seats=params.vehicle.seats, max_drive_minutes=minutes, overnight_nights=nights, base_insee=insee)


def next_monday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7 or 7)


def _date_flag(text: str, flag: str, problems: list[Problem]) -> dt.date | None:
    day = parse_date(text)
    if day is None:
        problems.append(Problem(flag, 0, "", text, "date invalide (attendu : AAAA-MM-JJ)"))
    return day


def _base(text: str | None, territory: Territory, known: dict, problems: list[Problem]):
    if not text:
        biggest = max(territory.communes, key=lambda c: c.population or 0)
        return biggest.name, biggest.lat, biggest.lon, biggest.insee
    if "," in text:
        try:
            lat, lon = (float(p) for p in text.split(","))
        except ValueError:
            problems.append(Problem("--base", 0, "", text, "attendu : code INSEE ou lat,lon"))
            return "?", 0.0, 0.0, ""
        reader = CellReader("--base", problems)
        coords = reader.coordinates(0, "lat", str(lat), "lon", str(lon))
        return (f"{lat:.4f},{lon:.4f}", *coords, "") if coords else ("?", 0.0, 0.0, "")
    if text not in known:
        problems.append(Problem("--base", 0, "", text, "commune inconnue"))
        return "?", 0.0, 0.0, ""
    commune = known[text]
    return commune.name, commune.lat, commune.lon, commune.insee


def _pin(text: str, territory: Territory, problems: list[Problem]) -> Pin | None:
    day_text, _, insee = text.partition(":")
    day = _date_flag(day_text, "--pin", problems)
    if not insee or insee not in territory:
        problems.append(Problem("--pin", 0, "", text, "attendu DATE:INSEE avec une commune du territoire"))
        return None
    return Pin(day, insee) if day else None


def _forbid(text: str, territory: Territory, problems: list[Problem]) -> Forbidden | None:
    day_text, sep, insee = text.rpartition(":")
    day = _date_flag(day_text, "--forbid", problems) if sep else None
    if insee not in territory:
        problems.append(Problem("--forbid", 0, "", text, "attendu [DATE:]INSEE avec une commune du territoire"))
        return None
    if sep and day is None:
        return None
    return Forbidden(insee, day)


def scenario_for_stops(args: argparse.Namespace, params: Params, territory: Territory,
                       stops: tuple[Stop, ...]) -> tuple[Scenario, tuple[Stop, ...]]:
    """The scenario a stop list is judged in: its season defaults to the stops' first and last dates,
    and stops without a vehicle belong to the scenario's first one."""
    args.start = args.start or min(s.date for s in stops).isoformat()
    args.end = args.end or max(s.date for s in stops).isoformat()
    scenario = scenario_from_args(args, params, territory)
    default = scenario.vehicles[0].name
    return scenario, tuple(replace(s, vehicle=s.vehicle or default) for s in stops)


def print_json(data: dict) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
