"""build_scenario: a ScenarioSpec checked in full and turned into the Scenario the solver reads.

Every problem of every field is reported at once, as Problem(file="scénario", row, column, value,
message): ``column`` is the spec's field (``start``, ``vehicles.base``, ``requests.insee_com``...)
and ``row`` the 1-based position in a list field (0 for a single value), so that a form can mark
the field and the command line can name its flag or file instead.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

from vacances_scolaires_france import SchoolHolidayDates

from planner.domain.commune import Commune
from planner.domain.formatting import plural
from planner.domain.parameters import parameter
from planner.domain.params import Params
from planner.domain.problems import DataError, Problem
from planner.domain.request import Request
from planner.domain.scenario import Forbidden, Pin, Scenario
from planner.domain.season import Season, build_season
from planner.domain.spec import SPEC_FILE, ScenarioSpec, VehicleSpec
from planner.domain.team import TEAM_FIELDS, TeamContact
from planner.domain.territory import PRESETS, Territory
from planner.domain.vehicle import Vehicle, mediator_vehicle
from planner.domain.weekdays import french_weekday, parse_weekdays
from planner.inputs import contacts
from planner.inputs.cells import CellReader, parse_date
from planner.inputs.dataset import load_territory, shipped_communes
from planner.inputs.hosts import HostCorrection, read_hosts
from planner.inputs.outcomes import read_history
from planner.inputs.requests import read_requests
from planner.inputs.table import Table, rows_table

KINDS = ("bus", "mediator")
DEFAULT_WEEKDAYS = {"bus": "tue,wed,thu,fri", "mediator": "mon-fri"}
DEFAULT_NAMES = {"bus": "bus", "mediator": "médiateur"}
UPLOADED_TERRITORY = "territoire importé"


def build_scenario(spec: ScenarioSpec, *, today: dt.date | None = None) -> Scenario:
    """The scenario a spec describes (``today`` fixes the default dates); DataError listing every problem."""
    problems: list[Problem] = []
    params = _attempt(problems, lambda: Params.from_dict(spec.params, SPEC_FILE), Params(), prefix="params.")
    territory = _attempt(problems, lambda: _territory(spec), None)
    if territory is None:  # check the rest against the territory without the user's extra tables
        territory = _attempt([], lambda: _territory(replace(spec, markets=(), service_points=(), ages=())), None)
    known = {c.insee: c for c in shipped_communes()} | ({c.insee: c for c in territory.communes} if territory else {})
    if territory is not None and spec.hosts:
        territory = _attempt(problems, lambda: _with_hosts(territory, spec.hosts), territory)
    requests: tuple[Request, ...] = _attempt(
        problems, lambda: read_requests(rows_table("requests", spec.requests), known), ()) if spec.requests else ()
    start, end = _dates(spec, today or dt.date.today(), problems)
    closed = tuple(d for d in (_date(text, "closed", i, problems) for i, text in enumerate(spec.closed, start=1)) if d)
    if spec.school_zone and spec.school_zone.upper() not in ("A", "B", "C"):
        problems.append(Problem(SPEC_FILE, 0, "school_zone", spec.school_zone, "zone inconnue (A, B ou C)"))
    if spec.mode not in KINDS:
        problems.append(Problem(SPEC_FILE, 0, "mode", spec.mode, "attendu : bus ou mediator"))
    vehicles = _vehicles(spec, params, territory, known, problems) if territory else ()
    pins = tuple(p for p in (_pin(row, i, territory, vehicles, problems) for i, row in enumerate(spec.pins, start=1)) if p)
    forbidden = tuple(f for f in (_forbid(row, i, territory, problems) for i, row in enumerate(spec.forbids, start=1)) if f)
    team = _team_contact(spec.team_contact, problems)
    history = _attempt(problems, lambda: read_history(rows_table("history", spec.history),
                                                      {c.insee: c for c in territory.communes}), None) \
        if spec.history and territory is not None else None
    if problems:
        raise DataError(problems)
    weekdays = tuple(sorted({d for v in vehicles for d in v.weekdays}))
    season = _season(spec, start, end, weekdays, closed)
    return Scenario(territory, season, vehicles, params, requests, pins, forbidden, spec, team, history)


MAX_SEASON_DAYS = 731  # two years: a season is planned months ahead, not decades


def _season(spec: ScenarioSpec, start: dt.date, end: dt.date, weekdays: tuple[int, ...], closed) -> Season:
    """The season, refused when it is reversed, endless, beyond the school-holiday data asked
    for, or without a single working day (a plan of it would be an empty "optimum")."""
    span = f"{start:%d/%m/%Y} → {end:%d/%m/%Y}"
    if end < start:
        raise DataError([Problem(SPEC_FILE, 0, "end", span, f"la saison finit ({end:%d/%m/%Y}) avant de commencer "
                                                           f"({start:%d/%m/%Y})")])
    if (end - start).days + 1 > MAX_SEASON_DAYS:
        raise DataError([Problem(SPEC_FILE, 0, "end", span, f"saison de {(end - start).days + 1} jours : au plus "
                                                           f"{MAX_SEASON_DAYS} (deux ans)")])
    if spec.school_zone:
        dates = SchoolHolidayDates()
        if start.year < dates.min_year or end.year > dates.max_year:
            raise DataError([Problem(SPEC_FILE, 0, "school_zone", spec.school_zone,
                                     f"vacances scolaires connues de {dates.min_year} à {dates.max_year} seulement "
                                     f"(calendrier officiel livré avec vacances-scolaires-france) : la saison {span} "
                                     "dépasse ; retirez la zone et fermez ces dates une à une")])
    season = build_season(start, end, weekdays, school_zone=spec.school_zone or None, custom_closed=closed)
    if not season.working_days:
        days = ", ".join(french_weekday(d) for d in weekdays)
        raise DataError([Problem(SPEC_FILE, 0, "end", span, f"aucun jour travaillé dans la saison (jours : {days}, "
                                                           "moins les fériés et fermetures)")])
    return season


def _attempt(problems: list[Problem], load, fallback, prefix: str = ""):
    """What ``load`` returns, or ``fallback`` with its problems recorded as the spec's."""
    try:
        return load()
    except DataError as exc:
        problems.extend(_as_spec_problem(p, prefix) for p in exc.problems)
        return fallback


def _as_spec_problem(problem: Problem, prefix: str) -> Problem:
    """A loader's problem about a table named after its field (``requests``) or about the spec itself."""
    if problem.file == SPEC_FILE:
        return replace(problem, column=prefix + problem.column if problem.column else prefix.rstrip("."))
    field = problem.file if problem.file in _TABLE_FIELDS else "territory"
    column = f"{field}.{problem.column}" if problem.column and field != "territory" else field
    return Problem(SPEC_FILE, problem.row, column, problem.value, problem.message)


_TABLE_FIELDS = ("territory_rows", "requests", "markets", "service_points", "ages", "hosts", "history")


def _with_hosts(territory: Territory, rows: tuple[dict, ...]) -> Territory:
    """The territory with the planner's host corrections: their sites, and their hours instead of
    the directory's (or none, where the planner says they are unknown)."""
    corrections: tuple[HostCorrection, ...] = read_hosts(
        rows_table("hosts", rows), {c.insee: c for c in territory.communes}, {m.insee: m for m in territory.mairies})
    replaced = {c.insee for c in corrections if c.hours is not None or c.hours_unknown}
    hours = tuple(c.hours for c in corrections if c.hours is not None)
    return replace(territory, sites=tuple(c.site for c in corrections if c.site is not None),
                   host_hours=hours + tuple(h for h in territory.host_hours if h.insee not in replaced),
                   sources=territory.sources + (f"Lieux et horaires d'accueil corrigés : {plural(len(corrections), 'commune')}",))


def _territory(spec: ScenarioSpec) -> Territory:
    extra = {key: rows_table(field, rows) if rows else None
             for key, field, rows in (("markets_file", "markets", spec.markets),
                                      ("service_points_file", "service_points", spec.service_points),
                                      ("ages_file", "ages", spec.ages))}
    if spec.territory_rows:
        territory = load_territory(rows_table("territory_rows", spec.territory_rows), **extra)
        custom = spec.territory not in PRESETS and not spec.territory.lower().startswith("epci:")
        return replace(territory, name=spec.territory if custom and spec.territory else UPLOADED_TERRITORY)
    if spec.territory not in PRESETS and not spec.territory.lower().startswith("epci:"):
        raise DataError([Problem(SPEC_FILE, 0, "territory", spec.territory,
                                 f"territoire inconnu : prenez {', '.join(PRESETS)} ou epci:SIREN, "
                                 "ou donnez la liste des communes")])
    return load_territory(spec.territory, **extra)


def next_monday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7 or 7)


def season_bounds(spec: ScenarioSpec, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """First and last day of the spec's season: its own dates, else the defaults (next Monday, the
    30 June after it) where they are empty or unreadable (``build_scenario`` reports those)."""
    return _dates(spec, today or dt.date.today(), [])


def _dates(spec: ScenarioSpec, today: dt.date, problems: list[Problem]) -> tuple[dt.date, dt.date]:
    start = (_date(spec.start, "start", 0, problems) if spec.start else None) or next_monday(today)
    end = (_date(spec.end, "end", 0, problems) if spec.end else None) or dt.date(start.year + (start.month > 6), 6, 30)
    return start, end


def _date(text: str, column: str, row: int, problems: list[Problem]) -> dt.date | None:
    day = parse_date(text)
    if day is None:
        problems.append(Problem(SPEC_FILE, row, column, text, "date invalide (attendu : AAAA-MM-JJ)"))
    return day


def _vehicles(spec: ScenarioSpec, params: Params, territory: Territory, known: dict[str, Commune],
              problems: list[Problem]) -> tuple[Vehicle, ...]:
    """The fleet, or one default vehicle of ``spec.mode`` (based in the most populous commune)."""
    kind = spec.mode if spec.mode in KINDS else "bus"
    specs = spec.vehicles or (VehicleSpec(DEFAULT_NAMES[kind], kind),)
    vehicles = []
    names: set[str] = set()
    for i, item in enumerate(specs, start=1):
        before = len(problems)
        if item.kind not in KINDS:
            problems.append(Problem(SPEC_FILE, i, "vehicles.kind", item.kind, "attendu : bus ou mediator"))
        if not item.name.strip():
            problems.append(Problem(SPEC_FILE, i, "vehicles.name", item.name, "nom obligatoire"))
        elif item.name in names:
            problems.append(Problem(SPEC_FILE, i, "vehicles.name", item.name, "nom de véhicule en double"))
        names.add(item.name)
        base = _base(item.base, territory, known, i, problems)
        weekdays_text = item.weekdays or DEFAULT_WEEKDAYS.get(item.kind, DEFAULT_WEEKDAYS["bus"])
        try:
            weekdays = parse_weekdays(weekdays_text)
        except ValueError as exc:
            problems.append(Problem(SPEC_FILE, i, "vehicles.weekdays", weekdays_text, str(exc)))
            weekdays = ()
        minutes = params.vehicle.max_drive_minutes if item.max_drive_minutes is None else item.max_drive_minutes
        nights = params.vehicle.overnight_nights if item.overnight_nights is None else item.overnight_nights
        for key, value in (("max_drive_minutes", minutes), ("overnight_nights", nights)):
            message = parameter(f"vehicle.{key}").range_problem(value)
            if message:
                problems.append(Problem(SPEC_FILE, i, f"vehicles.{key}", f"{value:g}", message))
        if item.kind == "mediator" and item.overnight_nights:
            problems.append(Problem(SPEC_FILE, i, "vehicles.overnight_nights", str(nights),
                                    "le médiateur rentre chaque soir (0 nuit)"))
        if len(problems) > before:
            continue
        label, lat, lon, insee = base
        if item.kind == "mediator":
            limited = params.with_changes("vehicle", max_drive_minutes=minutes)
            vehicles.append(mediator_vehicle(item.name, (lat, lon), weekdays, limited, label=label, insee=insee))
        else:
            vehicles.append(Vehicle(name=item.name, kind="bus", base_label=label, base_lat=lat, base_lon=lon,
                                    weekdays=weekdays, seats=params.vehicle.seats, max_drive_minutes=minutes,
                                    overnight_nights=nights, base_insee=insee))
    return tuple(vehicles)


def _base(text: str, territory: Territory, known: dict[str, Commune], row: int, problems: list[Problem]):
    """(label, lat, lon, insee) of a base: an INSEE code, "lat,lon", or the most populous commune."""
    if not text:
        biggest = max(territory.communes, key=lambda c: c.population or 0)
        return biggest.name, biggest.lat, biggest.lon, biggest.insee
    if "," in text:
        try:
            lat, lon = (float(p) for p in text.split(","))
        except ValueError:
            problems.append(Problem(SPEC_FILE, row, "vehicles.base", text, "attendu : code INSEE ou lat,lon"))
            return "?", 0.0, 0.0, ""
        local: list[Problem] = []
        coords = CellReader(SPEC_FILE, local).coordinates(row, "vehicles.base", str(lat), "vehicles.base", str(lon))
        problems.extend(replace(p, value=text) for p in local)
        if coords:
            _near_territory(text, *coords, territory, row, problems)
        return (f"{lat:.4f},{lon:.4f}", *coords, "") if coords else ("?", 0.0, 0.0, "")
    if text not in known:
        problems.append(Problem(SPEC_FILE, row, "vehicles.base", text, "commune inconnue"))
        return "?", 0.0, 0.0, ""
    commune = known[text]
    _near_territory(text, commune.lat, commune.lon, territory, row, problems)
    return commune.name, commune.lat, commune.lon, commune.insee


BASE_REACH_KM = 20.0  # a base may sit just outside the territory (a garage next door), not farther


def _near_territory(text: str, lat: float, lon: float, territory: Territory, row: int, problems: list[Problem]) -> None:
    """A problem when the base is farther than BASE_REACH_KM from every commune of the territory."""
    km = min(_km(lat, lon, c.lat, c.lon) for c in territory.communes)
    if km > BASE_REACH_KM:
        problems.append(Problem(SPEC_FILE, row, "vehicles.base", text, f"base hors du territoire « {territory.name} » : "
                                f"à {km:.0f} km de sa commune la plus proche (au plus {BASE_REACH_KM:g} km)"))


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle km (the check above needs no ellipsoid)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _pin(row: dict, i: int, territory: Territory | None, vehicles: tuple[Vehicle, ...],
         problems: list[Problem]) -> Pin | None:
    before = len(problems)
    _only_keys(row, ("date", "insee", "vehicle"), "pins", i, problems)
    day = _date(str(row.get("date", "")), "pins.date", i, problems)
    insee = str(row.get("insee", ""))
    vehicle = str(row.get("vehicle", "") or "")
    if territory is not None and insee not in territory:
        problems.append(Problem(SPEC_FILE, i, "pins.insee", insee, "commune hors du territoire"))
    if vehicle and vehicles and vehicle not in {v.name for v in vehicles}:
        problems.append(Problem(SPEC_FILE, i, "pins.vehicle", vehicle, "véhicule inconnu"))
    return Pin(day, insee, vehicle) if len(problems) == before else None


def _forbid(row: dict, i: int, territory: Territory | None, problems: list[Problem]) -> Forbidden | None:
    before = len(problems)
    _only_keys(row, ("date", "insee"), "forbids", i, problems)
    text = str(row.get("date", "") or "")
    day = _date(text, "forbids.date", i, problems) if text else None
    insee = str(row.get("insee", ""))
    if territory is not None and insee not in territory:
        problems.append(Problem(SPEC_FILE, i, "forbids.insee", insee, "commune hors du territoire"))
    return Forbidden(insee, day) if len(problems) == before else None


def _team_contact(values: dict, problems: list[Problem]) -> TeamContact:
    """The team's contact: known keys, text values, an e-mail and a phone of the right shape."""
    before = len(problems)
    _only_keys(values, TEAM_FIELDS, "team_contact", 0, problems)
    cells = CellReader(SPEC_FILE, problems)
    texts = {}
    for key in TEAM_FIELDS:
        value = values.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            problems.append(Problem(SPEC_FILE, 0, f"team_contact.{key}", repr(value)[:80], "texte attendu"))
            continue
        texts[key] = contacts.short_text(cells, 0, f"team_contact.{key}", value)
    contacts.email(cells, 0, "team_contact.email", texts.get("email", ""))
    contacts.phone(cells, 0, "team_contact.phone", texts.get("phone", ""))
    return TeamContact(**texts) if len(problems) == before else TeamContact()


def _only_keys(row: dict, allowed: tuple[str, ...], field: str, i: int, problems: list[Problem]) -> None:
    for key in row:
        if key not in allowed:
            problems.append(Problem(SPEC_FILE, i, f"{field}.{key}", "", f"champ inconnu (attendu : {', '.join(allowed)})"))


def table_rows(table: Table) -> tuple[dict, ...]:
    """A table's rows as a spec holds them (a file read by the command line, an upload)."""
    return tuple(values for _row, values in table.rows)
