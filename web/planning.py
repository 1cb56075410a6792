"""The one place where the web app calls the planner (issue 11's public API and a few data helpers).

Everything the pages need comes out of here as plain dicts, lists and strings, so that a renamed
planner function is fixed in this module only. ``planner`` never imports Flask.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

import planner
from planner import (
    ScenarioSpec,
    build_scenario,
    evaluate_stops,
    plan_from_dict,
    plan_to_dict,
    read_stops_csv,
    season_ics_bytes,
    season_workbook_bytes,
    stops_csv_bytes,
)
from planner import compare as compare_plans
from planner import solve as solve_scenario
from planner.core.need import build_need_model
from planner.domain.formatting import fr_number
from planner.domain.params import Params
from planner.domain.plain import to_plain
from planner.domain.problems import DataError, Problem
from planner.domain.season import SCHOOL_ZONES, build_season
from planner.domain.territory import PRESETS
from planner.domain.weekdays import parse_weekdays
from planner.exports.plan_report import explain_stop
from planner.inputs.communes import read_communes
from planner.inputs.dataset import preset_codes, shipped_communes
from planner.inputs.dataset import shipped_markets as _shipped_markets
from planner.inputs.markets import read_markets
from planner.inputs.requests import read_requests
from planner.inputs.table import read_table

__all__ = ["DataError", "Problem", "SCHOOL_ZONES", "PRESETS"]

UPLOAD_SUFFIXES = (".csv", ".xlsx")
PRESET_LABELS = {
    "bourges": "Bassin de vie de Bourges (103 communes)",
    "cher": "Département du Cher",
    "centre-val-de-loire": "Région Centre-Val de Loire",
}


# --- scenarios ---------------------------------------------------------------------------------

def default_spec(name: str = "", territory: str = "bourges") -> dict:
    """A new scenario: the planner's own defaults (one bus, next Monday to 30 June)."""
    spec = ScenarioSpec(name=name, territory=territory)
    return spec.to_dict()


def spec_problems(spec: dict) -> list[Problem]:
    """Every problem of a stored spec as build_scenario reports them (empty when it builds)."""
    try:
        build_scenario_cached(_freeze(spec))
    except DataError as exc:
        return list(exc.problems)
    return []


def _freeze(spec: dict) -> str:
    return json.dumps(spec, sort_keys=True, ensure_ascii=False)


@lru_cache(maxsize=16)
def build_scenario_cached(spec_json: str):
    """Scenarios rebuilt for a page or a download are cached by their spec (territory loading is
    the slow part); DataError is not cached."""
    return build_scenario(ScenarioSpec.from_dict(json.loads(spec_json)))


def scenario_for(spec: dict):
    return build_scenario_cached(_freeze(spec))


# --- solving -----------------------------------------------------------------------------------

def solve(spec: dict, *, previous: dict | None, on_event, should_stop) -> dict:
    """Solve a stored spec; ``previous`` is a stored plan to stay close to. Returns plan_to_dict.

    ``on_event`` receives plain dicts (phase, elapsed_s, objective, bound, gap, solutions, message).
    """
    scenario = scenario_for(spec)
    previous_stops = tuple(plan_from_dict(previous).stops) if previous else ()

    def relay(event) -> None:
        on_event({"phase": event.phase, "elapsed_s": float(event.elapsed_s), "objective": event.objective,
                  "bound": event.bound, "gap": event.gap, "solutions": int(event.solutions),
                  "message": getattr(event, "message", "")})

    plan = solve_scenario(scenario, previous=previous_stops, on_event=relay, should_stop=should_stop)
    return plan_to_dict(plan)


def evaluate_upload(spec: dict, filename: str, data: bytes) -> dict:
    """A hand-made tour (CSV or XLSX: date, insee_com, optionally vehicle) judged in the spec's
    scenario with the same figures as a solved plan; plan_to_dict. DataError on a bad file."""
    name = Path(filename or "tournee.csv").name
    if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
        raise DataError([Problem(name, 0, "", name, "format non pris en charge : envoyez un fichier CSV ou XLSX")])
    stops = read_stops_csv(data, name)
    if not stops:
        raise DataError([Problem(name, 0, "", "", "aucun arrêt dans le fichier")])
    return plan_to_dict(evaluate_stops(scenario_for(spec), stops))


def plan_summary(data: dict) -> dict:
    """The columns a PlanRecord copies for listings: status, objective, bound, gap, stops, stopped."""
    plan = plan_from_dict(data)
    solver = plan.solver
    return {
        "status": solver.status if solver else "ÉVALUÉ",
        "objective": solver.objective if solver else _metrics(plan).get("objective", _metrics(plan).get("value")),
        "bound": solver.bound if solver else None,
        "gap": solver.gap if solver else None,
        "stop_count": len(plan.stops),
        "stopped": bool(getattr(solver, "stopped", False)),
    }


# --- plan pages --------------------------------------------------------------------------------

def plan_payload(data: dict) -> dict:
    """A stored plan as plain values for the templates."""
    plan = plan_from_dict(data)
    solver = plan.solver
    stops = [_stop_row(s) for s in sorted(plan.stops, key=lambda s: (s.date, s.slot, s.vehicle))]
    return {
        "stops": stops,
        "metrics": _metrics(plan),
        "solver": to_plain(solver, iso_dates=False) if solver else None,
        "unserved": [to_plain(u, iso_dates=False) for u in plan.unserved],
        "unvisited": [to_plain(u, iso_dates=False) for u in getattr(plan, "unvisited", ())],
        "moved": [to_plain(m, iso_dates=False) for m in plan.moved],
        "added": [to_plain(a, iso_dates=False) for a in getattr(plan, "added", ())],
        "conflicts": [to_plain(c, iso_dates=False) for c in plan.conflicts],
        "template": [to_plain(t, iso_dates=False) for t in getattr(plan, "template", ())],
        "params": getattr(plan, "params", {}) or {},
        "spec": plan.spec.to_dict() if getattr(plan, "spec", None) is not None else {},
    }


def _stop_row(stop) -> dict:
    return {
        "date": stop.date, "vehicle": stop.vehicle, "insee": stop.insee, "commune": stop.commune,
        "slot": stop.slot, "sessions": stop.sessions, "host_site": stop.host_site, "km": stop.km,
        "minutes": stop.minutes, "places": stop.places, "participants": stop.participants,
        "participants_far": stop.participants_far,
        "origins": [{"insee": insee, "commune": name, "participants": n} for insee, name, n in stop.origins],
        "far_seniors_reached": stop.far_seniors_reached, "nearest_service_km": stop.nearest_service_km,
        "market_day": stop.market_day, "request_ids": list(stop.request_ids), "value": stop.value,
        "away_after": stop.away_after,
        "explanation": getattr(stop, "explanation", "") or explain_stop(stop),
    }


def _metrics(plan) -> dict:
    metrics = plan.metrics
    return metrics.to_dict() if hasattr(metrics, "to_dict") else dict(metrics)


FIGURE_LABELS = {
    "value": "Valeur du plan (points)", "objective": "Valeur du plan (points)", "stops": "Arrêts",
    "communes_visited": "Communes visitées",
    "seats": "Places offertes", "participants": "Participants attendus",
    "participants_far": "dont loin d'un lieu d'aide", "fill_rate": "Remplissage", "communes_reached": "Communes d'origine",
    "km_total": "Kilomètres", "drive_minutes_total": "Minutes de conduite", "market_day_stops": "Arrêts jour de marché",
    "idle_days": "Jours sans arrêt", "requests_served": "Demandes servies",
}


def compare(spec: dict, a: dict, b: dict) -> dict:
    """Two stored plans judged in one scenario (the first plan's): figures side by side with French
    labels, the stops each has alone, and the rules each breaks."""
    scenario = scenario_for(spec)
    result = compare_plans(scenario, plan_from_dict(a), plan_from_dict(b))
    return {
        "figures": [{"figure": f.figure, "label": FIGURE_LABELS.get(f.figure, f.figure), "a": f.a, "b": f.b,
                     "difference": f.difference} for f in result.figures],
        "violations": list(result.violations),
        "common": result.common_stops,
        "only_a": [_stop_row(s) for s in result.only_in_a],
        "only_b": [_stop_row(s) for s in result.only_in_b],
    }


def plan_spec(data: dict) -> dict:
    """The ScenarioSpec a stored plan was solved with (its exports and comparisons use it)."""
    plan = plan_from_dict(data)
    return plan.spec.to_dict() if plan.spec is not None else {}


# --- downloads ---------------------------------------------------------------------------------

def season_workbook(data: dict, spec: dict) -> bytes:
    return season_workbook_bytes(plan_from_dict(data), scenario_for(spec))


def stops_csv(data: dict, spec: dict) -> bytes:
    return stops_csv_bytes(plan_from_dict(data), scenario_for(spec))


def season_ics(data: dict, spec: dict, *, previous: dict | None = None, revision: int = 0) -> bytes:
    previous_stops = tuple(plan_from_dict(previous).stops) if previous else ()
    return season_ics_bytes(plan_from_dict(data), scenario_for(spec), previous=previous_stops,
                                    revision=revision)


def season_map_svg(data: dict, spec: dict) -> str:
    """The server-drawn season map: communes coloured by need, places of help, numbered stops,
    weekly routes (planner.maps)."""
    scenario = scenario_for(spec)
    plan = plan_from_dict(data)
    return planner.season_map_svg(scenario.territory, need=need_by_commune(_freeze(spec)), stops=plan.stops,
                                  vehicles=scenario.vehicles, title=spec.get("name", ""), id_prefix="carte",
                                  sites=scenario.host_sites())  # stops drawn where the bus parks


@lru_cache(maxsize=16)
def need_by_commune(spec_json: str) -> dict[str, float]:
    """Need of each commune of the spec's territory (value points), for colouring the map."""
    scenario = build_scenario_cached(spec_json)
    model = build_need_model(scenario.territory, scenario.params)
    return {code: float(value) for code, value in zip(model.codes, model.need)}


# --- editor helpers ----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def epci_choices() -> tuple[tuple[str, str], ...]:
    """(SIREN, name with commune count) of every intercommunality in the shipped data."""
    counts: dict[str, list] = {}
    for c in shipped_communes():
        if c.epci:
            counts.setdefault(c.epci, [c.epci_name or c.epci, 0])[1] += 1
    return tuple(sorted(((siren, f"{name} ({n} communes)") for siren, (name, n) in counts.items()),
                        key=lambda item: item[1]))


@lru_cache(maxsize=1)
def epci_names() -> dict[str, str]:
    return {c.epci: c.epci_name or c.epci for c in shipped_communes() if c.epci}


def territory_communes(spec: dict) -> tuple[tuple[str, str], ...]:
    """(INSEE, name) of the communes a spec plans, for pickers; empty when it cannot be read."""
    known = {c.insee: c for c in shipped_communes()}
    rows = spec.get("territory_rows") or ()
    if rows:
        codes = [str(r.get("insee_com", "")) for r in rows]
        return tuple((c, known[c].name if c in known else str(r.get("commune", c))) for c, r in zip(codes, rows))
    territory = spec.get("territory", "bourges")
    if territory in PRESETS:
        codes = preset_codes(territory)
    elif territory.startswith("epci:"):
        codes = tuple(c.insee for c in shipped_communes() if c.epci == territory[5:])
    else:
        codes = ()
    return tuple(sorted(((c, known[c].name) for c in codes if c in known), key=lambda item: item[1]))


def shipped_markets(spec: dict) -> list[dict]:
    """Markets the shipped data knows in the spec's territory (read-only in the editor)."""
    codes = {code for code, _ in territory_communes(spec)}
    return [{"insee_com": m.insee, "commune": m.commune, "weekday": m.weekday, "time_of_day": m.time_of_day,
             "place": m.place, "frequency": m.frequency, "source": m.source}
            for m in _shipped_markets() if m.insee in codes]


def commune_name(insee: str) -> str:
    known = {c.insee: c.name for c in shipped_communes()}
    return known.get(insee, insee)


def closed_days(spec: dict) -> list[tuple[dt.date, str]]:
    """Closed dates of the spec's season (public holidays, school holidays of its zone, its own)."""
    start, end = season_bounds(spec)
    return list(_closed_days(start, end, spec.get("school_zone") or "", tuple(spec.get("closed", ()))))


@lru_cache(maxsize=64)
def _closed_days(start: dt.date, end: dt.date, zone: str, closed: tuple[str, ...]) -> tuple[tuple[dt.date, str], ...]:
    """Cached: the school-holiday library reads its whole table on every call (~0.3 s)."""
    try:
        season = build_season(start, end, (1, 2, 3, 4, 5, 6, 7), school_zone=zone or None,
                              custom_closed=tuple(dt.date.fromisoformat(d) for d in closed))
    except Exception:  # noqa: BLE001 - e.g. a year the school-holiday data does not cover: show nothing
        return ()
    return season.closed


def season_bounds(spec: dict) -> tuple[dt.date, dt.date]:
    today = dt.date.today()
    start = dt.date.fromisoformat(spec["start"]) if spec.get("start") else today + dt.timedelta(days=7 - today.weekday())
    end = dt.date.fromisoformat(spec["end"]) if spec.get("end") else dt.date(start.year + (start.month > 6), 6, 30)
    return start, end


def weekdays_of(text: str) -> tuple[int, ...]:
    return parse_weekdays(text)


def params_defaults() -> dict[str, dict]:
    """Every parameter section and its default values, from planner's Params (so they stay in sync)."""
    return {section: values for section, values in Params().to_dict().items()}


def check_params(values: dict) -> list[Problem]:
    try:
        Params.from_dict(values, "pondérations")
    except DataError as exc:
        return list(exc.problems)
    return []


def number(value: float | None, decimals: int = 0) -> str:
    return "—" if value is None else fr_number(value, decimals)


# --- uploads -----------------------------------------------------------------------------------

IMPORTS = {"markets": "marchés", "requests": "demandes", "territory": "communes"}


def import_rows(kind: str, filename: str, data: bytes) -> list[dict]:
    """Rows of an uploaded CSV/XLSX after the planner's loader accepted every one of them.

    Raises DataError with every problem (file, row, column, value) and nothing is kept otherwise.
    """
    name = Path(filename or "fichier").name
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise DataError([Problem(name, 0, "", suffix or name, "format non pris en charge : envoyez un fichier CSV ou XLSX")])
    known = {c.insee: c for c in shipped_communes()}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        if kind == "markets":
            read_markets(path, known)
        elif kind == "requests":
            read_requests(path, known)
        elif kind == "territory":
            read_communes(path, known)
        else:
            raise ValueError(kind)
        table = read_table(path)
    return [{k: v for k, v in values.items() if v != ""} for _row, values in table.rows]


def problem_rows(error: DataError) -> list[dict]:
    return [asdict(p) for p in error.problems]
