"""The scenarios, solves, plans and downloads side of the door (see ``web.planning``)."""

from __future__ import annotations

import json
from dataclasses import replace
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
from planner.core.control import PHASES
from planner.core.instance import build_instance
from planner.core.need import build_need_model
from planner.core.service import request_service as _request_service
from planner.domain.disclosure import public_scenario
from planner.domain.history_kept import history_kept
from planner.domain.plain import to_plain
from planner.domain.plan import MovedStop
from planner.domain.problems import DataError, Problem
from planner.exports.plan_report import explain_stop
from planner.exports.stop_details import details
from planner.search.replacement import best_replacement as find_replacement
from web.planning.editor import UPLOAD_SUFFIXES, upload_name

__all__ = ["PHASES"]


# --- scenarios ---------------------------------------------------------------------------------

def default_spec(name: str = "", territory: str = "bourges") -> dict:
    """A new scenario: the planner's own defaults (one bus, next Monday to 30 June)."""
    spec = ScenarioSpec(name=name, territory=territory)
    return spec.to_dict()


def replan_spec(spec: dict, previous_data: dict, today) -> dict:
    """The spec a re-plan of ``previous`` solves: the days up to ``today`` kept as that plan has
    them (planner.domain.history_kept), so no stop moves to or is added on a day already lived."""
    kept = history_kept(ScenarioSpec.from_dict(spec), plan_from_dict(previous_data).stops, today)
    return kept.to_dict()


def spec_problems(spec: dict) -> list[Problem]:
    """Every problem of a stored spec as build_scenario reports them (empty when it builds)."""
    try:
        build_scenario_cached(spec_key(spec))
    except DataError as exc:
        return list(exc.problems)
    return []


def spec_key(spec: dict) -> str:
    """A stored spec as the key of the planning caches: its JSON with sorted keys, so two equal specs share one entry."""
    return json.dumps(spec, sort_keys=True, ensure_ascii=False)


@lru_cache(maxsize=16)
def build_scenario_cached(spec_json: str):
    """Scenarios rebuilt for a page or a download are cached by their spec (territory loading is
    the slow part); DataError is not cached."""
    return build_scenario(ScenarioSpec.from_dict(json.loads(spec_json)))


def scenario_for(spec: dict):
    return build_scenario_cached(spec_key(spec))


def working_weekdays(spec: dict) -> tuple[int, ...]:
    """ISO weekdays any vehicle of the spec works (its own, else its kind's default)."""
    return scenario_for(spec).season.weekdays


def plan_of(data: dict):
    """The planner's Plan of a stored plan (public pages read its stops)."""
    return plan_from_dict(data)


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
                  "message": event.message})

    plan = solve_scenario(scenario, previous=previous_stops, on_event=relay, should_stop=should_stop)
    return plan_to_dict(plan)


def evaluate_upload(spec: dict, filename: str, data: bytes) -> dict:
    """A hand-made tour (CSV or XLSX: date, insee_com, optionally vehicle) judged in the spec's
    scenario with the same figures as a solved plan; plan_to_dict. DataError on a bad file."""
    name = upload_name(filename, "tournee.csv")
    if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
        raise DataError([Problem(name, 0, "", name, "format non pris en charge : envoyez un fichier CSV ou XLSX")])
    stops = read_stops_csv(data, name)
    if not stops:
        raise DataError([Problem(name, 0, "", "", "aucun arrêt dans le fichier")])
    return plan_to_dict(evaluate_stops(scenario_for(spec), stops))


def without_stop(data: dict, spec: dict, day, vehicle: str, insee: str, reason: str) -> dict:
    """A stored plan less one stop (cancelled during the season), judged again in the spec's scenario
    with the same figures; the stop is listed as moved away with ``reason``. plan_to_dict."""
    plan = plan_from_dict(data)
    kept = tuple(s for s in plan.stops if (s.date, s.vehicle, s.insee) != (day, vehicle, insee))
    gone = [s for s in plan.stops if (s.date, s.vehicle, s.insee) == (day, vehicle, insee)]
    scenario = scenario_for(spec)
    evaluated = evaluate_stops(scenario, kept)
    moved = tuple(MovedStop(s.insee, s.commune, s.vehicle, s.date, (), reason, host_reason=reason) for s in gone)
    return plan_to_dict(replace(evaluated, moved=moved, spec=plan.spec or ScenarioSpec.from_dict(spec)))


def best_replacement(data: dict, spec: dict, day, vehicle: str, insee: str) -> dict | None:
    """The commune to put in the place of a stored plan's stop on its own date and vehicle, judged in
    the spec's scenario (the stop's commune already forbidden that day): ``{"insee", "commune",
    "vehicle", "reason"}`` (French), or None when no commune keeps every rule that day."""
    scenario = scenario_for(spec)
    found = find_replacement(build_instance(scenario), tuple(plan_from_dict(data).stops), day, vehicle, insee)
    if found is None:
        return None
    return {"insee": found.insee, "commune": found.commune, "vehicle": found.vehicle, "reason": found.reason}


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
        "stopped": bool(solver and solver.stopped),
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
        "unvisited": [to_plain(u, iso_dates=False) for u in plan.unvisited],
        "moved": [to_plain(m, iso_dates=False) for m in plan.moved],
        "added": [to_plain(a, iso_dates=False) for a in plan.added],
        "conflicts": [to_plain(c, iso_dates=False) for c in plan.conflicts],
        "template": [to_plain(t, iso_dates=False) for t in plan.template],
        "params": plan.params,
        "spec": plan.spec.to_dict() if plan.spec is not None else {},
    }


def request_services(data: dict, spec: dict) -> list[dict]:
    """Every accepted request of the plan's scenario: served or not, by which stops, and why not
    (planner.core.service, the one answer the plan page, the inbox and the files give)."""
    plan = plan_from_dict(data)
    return [_service_row(_request_service(r, plan.stops, plan.unserved)) for r in scenario_for(spec).requests if r.active]


def request_service(data: dict, spec: dict, request_id: str, current_spec: dict) -> dict | None:
    """The plan's answer for one request; the plan's own spec has its periods, else (a request
    accepted after the solve) the scenario's current spec, and the plan is said to predate it."""
    plan = plan_from_dict(data)
    request = next((r for r in scenario_for(spec).requests if r.request_id == request_id), None) if spec else None
    planned = request is not None
    if request is None:
        request = next((r for r in scenario_for(current_spec).requests if r.request_id == request_id), None)
    if request is None:
        return None
    return _service_row(_request_service(request, plan.stops, plan.unserved, planned=planned))


def published_service(plan, spec: dict, request_id: str) -> dict | None:
    """A published plan's answer for one request (the requester's own page), or None when the
    request was not in the scenario at publication."""
    request = next((r for r in scenario_for(spec).requests if r.request_id == request_id), None) if spec else None
    if request is None:
        return None
    return _service_row(_request_service(request, plan.stops, plan.unserved))


def _service_row(service) -> dict:
    return {"request_id": service.request_id, "insee": service.insee, "priority": service.priority,
            "served": service.served, "dates": list(service.dates), "asked": service.asked, "reason": service.reason,
            "message": service.message}


def site_labels(data: dict, spec: dict) -> dict[str, str]:
    """Where each stop of a stored plan takes place, keyed by ``stop_key``: the planner's one label
    (``StopDetails.site_label``), as the workbooks, calendars and public pages say it; {} when the
    spec no longer builds (the page still shows the stops)."""
    try:
        scenario = scenario_for(spec)
    except DataError:
        return {}
    return {stop_key(s.date.isoformat(), s.vehicle, s.slot, s.insee): details(s, scenario).site_label
            for s in plan_from_dict(data).stops}


def stop_key(date: str, vehicle: str, slot: int, insee: str) -> str:
    """One stop of a plan: its day (ISO), vehicle, half-day slot and commune."""
    return f"{date}|{vehicle}|{slot}|{insee}"


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
        "explanation": explain_stop(stop),
    }


def _metrics(plan) -> dict:
    return plan.metrics.to_dict()


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

def season_workbook(data: dict, spec: dict, *, public: bool = False) -> bytes:
    """``public``: the file anyone may download, without requesters' contacts and notes."""
    return season_workbook_bytes(plan_from_dict(data), scenario_for(spec), public=public)


def stops_csv(data: dict, spec: dict, *, public: bool = False) -> bytes:
    """``public``: only the public columns (planner.domain.disclosure)."""
    return stops_csv_bytes(plan_from_dict(data), scenario_for(spec), public=public)


def public_scenario_for(spec: dict):
    """The scenario as public pages may read it: its requests keep only their public fields."""
    return public_scenario(scenario_for(spec))


def season_ics(data: dict, spec: dict, *, previous: dict | None = None, revision: int = 0) -> bytes:
    previous_stops = tuple(plan_from_dict(previous).stops) if previous else ()
    return season_ics_bytes(plan_from_dict(data), scenario_for(spec), previous=previous_stops,
                                    revision=revision)


def season_map_svg(data: dict, spec: dict) -> str:
    """The server-drawn season map: communes coloured by need, places of help, numbered stops,
    weekly routes (planner.maps)."""
    scenario = scenario_for(spec)
    plan = plan_from_dict(data)
    return planner.season_map_svg(scenario.territory, need=need_by_commune(spec_key(spec)), stops=plan.stops,
                                  vehicles=scenario.vehicles, title=spec.get("name", ""), id_prefix="carte",
                                  sites=scenario.host_sites())  # stops drawn where the bus parks


@lru_cache(maxsize=16)
def need_by_commune(spec_json: str) -> dict[str, float]:
    """Need of each commune of the spec's territory (value points), for colouring the map."""
    scenario = build_scenario_cached(spec_json)
    model = build_need_model(scenario.territory, scenario.params)
    return {code: float(value) for code, value in zip(model.codes, model.need)}
