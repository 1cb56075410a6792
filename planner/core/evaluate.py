"""Metrics and broken rules of any list of stops: a solver's plan, last season's tour, a hand edit.

The solver's plans go through the same function, so that an optimised plan and a hand-made one
are compared on exactly the same figures (and the tests check that the solver's objective equals
the value computed here). Who takes the places of the stops is solved exactly (a min-cost flow,
planner/core/participants.py): for a bus over the whole season, for a mediator week by week (its
rotation repeats, and its help is a weekly drop-in whose seniors may come back).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np

from planner.core.figures import plan_metrics
from planner.core.instance import VALUE_SCALE, Instance
from planner.core.participants import FLOW_SCALE
from planner.core.routes import vehicle_routes
from planner.core.rules import closed_violation, forbidden_violation, hours_violation, market_violation
from planner.domain.plan import PlanMetrics
from planner.domain.request import Request
from planner.domain.stop import Stop


@dataclass(frozen=True)
class Violation:
    rule: str  # machine code: closed_day, driving_limit, spacing, max_visits, ...
    date: dt.date | None
    insee: str
    message: str  # French
    request_id: str = ""


@dataclass(frozen=True)
class Evaluation:
    stops: tuple[Stop, ...]
    metrics: PlanMetrics
    violations: tuple[Violation, ...]
    served_requests: tuple[str, ...]
    objective_q: int  # the solver's integer objective for these stops (before re-plan penalties)


@dataclass(frozen=True)
class _Seating:
    """What both ``evaluate`` and ``plan_value`` need: the known stops in order, their legs, places
    and seated flows, the objective and the broken rules."""

    known: list[Stop]
    travel: dict
    places: list[int]
    seated_share: dict[int, np.ndarray]
    served: tuple[str, ...]
    idle: float
    objective_q: int
    violations: tuple[Violation, ...]


def _seating(instance: Instance, stops: tuple[Stop, ...] | list[Stop]) -> _Seating:
    scenario = instance.scenario
    index = scenario.territory.index
    known = sorted((s for s in stops if s.insee in index), key=lambda s: (s.date, s.vehicle, s.slot))
    travel, route_issues = vehicle_routes(instance, known)
    kinds = {v.name: v.kind for v in scenario.vehicles}
    n = len(instance.communes)
    groups: dict[object, list[int]] = {}
    for i, stop in enumerate(known):
        # A bus's stops share the pools of the whole season; a mediator's weekly rotation is valued
        # week by week (its template repeats), so its pools restart every ISO week.
        group = ("week", stop.date.isocalendar()[:2]) if kinds.get(stop.vehicle) == "mediator" else "season"
        groups.setdefault(group, []).append(i)
    places = [_places_q(instance, stop) for stop in known]
    seated_share: dict[int, np.ndarray] = {}  # stop -> flow units it seats from each home commune
    total_q = 0
    for members in groups.values():
        supply = np.zeros(n, dtype=np.int64)
        visits = np.zeros(n, dtype=np.int64)
        for i in members:
            supply[index[known[i].insee]] += places[i]
            visits[index[known[i].insee]] += 1
        seated = instance.seated(supply, visits)
        total_q += seated.value_q
        for i in members:
            s = index[known[i].insee]
            seated_share[i] = seated.flows[s] * (places[i] / supply[s]) if supply[s] else np.zeros(n)
    for i, stop in enumerate(known):
        total_q += instance.market_q(index[stop.insee], stop.date)
        if travel.get(i) is not None:
            total_q -= _legs_q(instance, travel[i])
    served = served_requests(scenario.requests, known)
    total_q += instance.should_bonus_q * sum(
        1 for r in scenario.requests if r.active and r.priority == "should" and r.request_id in served)
    idle = idle_days(instance, known)
    total_q -= round(instance.idle_day_q * idle)
    violations = find_violations(instance, list(stops), served)
    violations += [Violation(r.rule, r.date, r.insee, r.message) for r in route_issues]
    return _Seating(known, travel, places, seated_share, served, idle, total_q, tuple(violations))


def _legs_q(instance: Instance, leg) -> float:
    return instance.travel_q(leg.km_in) + instance.travel_q(leg.km_home) if leg is not None else 0


def plan_value(instance: Instance, stops: tuple[Stop, ...] | list[Stop]) -> tuple[int, tuple[Violation, ...]]:
    """``evaluate``'s objective and broken rules without each stop's figures: what a search that
    compares many stop lists needs (about eight times faster on the Bourges season)."""
    seating = _seating(instance, stops)
    return seating.objective_q, seating.violations


def evaluate(instance: Instance, stops: tuple[Stop, ...] | list[Stop]) -> Evaluation:
    """Fill each stop's figures, total them, and list every rule the stops break."""
    scenario = instance.scenario
    index = scenario.territory.index
    seating = _seating(instance, stops)
    known, travel, places = seating.known, seating.travel, seating.places
    weight_q = instance.seating.weight_q
    far = instance.need.nearest_km > instance.params.need.far_km
    filled = []
    for i, stop in enumerate(known):
        s = index[stop.insee]
        share = seating.seated_share[i]
        # The stop's own value: the weighted participants it seats (its share of its commune's
        # flows), its market bonus, its drive.
        leg = travel.get(i)
        stop_q = float(share @ weight_q) + instance.market_q(s, stop.date) - _legs_q(instance, leg)
        commune = instance.communes[s]
        added = instance.need.access_added(s, instance.params.need.far_km)
        requests = tuple(r.request_id for r in scenario.requests
                         if r.active and r.insee == stop.insee and r.in_window(stop.date))
        order = [int(c) for c in np.argsort(-share, kind="stable") if share[c] / FLOW_SCALE >= 0.05]
        filled.append(replace(
            stop,
            commune=commune.name,
            km=round(leg.km, 1) if leg else 0.0,
            minutes=round(leg.minutes, 1) if leg else 0.0,
            km_from_previous=round(leg.km_in, 1) if leg else 0.0,
            minutes_from_previous=round(leg.minutes_in, 1) if leg else 0.0,
            places=places[i] // FLOW_SCALE,
            participants=round(float(share.sum()) / FLOW_SCALE, 1),
            participants_far=round(float(share[far].sum()) / FLOW_SCALE, 1),
            origins=tuple((instance.communes[c].insee, instance.communes[c].name, round(float(share[c]) / FLOW_SCALE, 1))
                          for c in order),
            far_seniors_reached=round(added.far_seniors, 1),
            far_communes=added.far_communes,
            far_help_km=round(added.far_help_km, 1),
            far_stop_km=round(added.far_stop_km, 1),
            near_seniors_helped=round(added.near_seniors, 1),
            nearest_service_km=round(float(instance.need.nearest_km[s]), 1),
            market_day=instance.is_market_day(s, stop.date),
            request_ids=requests,
            value=round(stop_q / VALUE_SCALE, 1),
            sessions=stop.sessions or _sessions(instance, stop.vehicle, stop.slot),
        ))
    metrics = replace(plan_metrics(instance, filled, seating.objective_q / VALUE_SCALE, seating.served),
                      idle_days=seating.idle)
    return Evaluation(tuple(filled), metrics, seating.violations, seating.served, seating.objective_q)


def _places_q(instance: Instance, stop: Stop) -> int:
    """Places of a stop in flow units: its vehicle's (the largest vehicle's when it names none
    the scenario has; find_violations reports it)."""
    v = _vehicle_index(instance, stop.vehicle)
    return instance.typical_places_q if v is None else instance.places_q(v)


def _vehicle_index(instance: Instance, name: str) -> int | None:
    names = [v.name for v in instance.scenario.vehicles]
    if name in names:
        return names.index(name)
    return 0 if not name and len(names) == 1 else None


def _sessions(instance: Instance, vehicle: str, slot: int = 0) -> str:
    v = _vehicle_index(instance, vehicle)
    if v is None:
        return ""
    sessions = instance.scenario.vehicles[v].sessions
    if slot and slot <= len(sessions):
        return sessions[slot - 1].label()
    return " / ".join(s.label() for s in sessions)


def idle_days(instance: Instance, stops: list[Stop]) -> float:
    """Working days left without a stop; an empty half-day of a mediator counts half."""
    used: dict[tuple[str, dt.date], int] = defaultdict(int)
    for stop in stops:
        used[stop.vehicle, stop.date] += 1
    idle = 0.0
    for v, vehicle in enumerate(instance.scenario.vehicles):
        slots = instance.slots_per_day(v)
        for day in instance.working_days(v):
            idle += max(0, slots - used.get((vehicle.name, day), 0)) / slots
    return idle


def served_requests(requests: tuple[Request, ...], stops: list[Stop]) -> tuple[str, ...]:
    """Accepted requests with at least ``days`` stops of their commune inside their windows."""
    served = []
    for request in requests:
        if not request.active:
            continue
        if len(request.stops_in_window(tuple(stops))) >= request.days:
            served.append(request.request_id)
    return tuple(served)


def find_violations(instance: Instance, stops: list[Stop], served: tuple[str, ...]) -> list[Violation]:
    """Every broken rule: dates, driving, spacing, visits, double bookings, pins, musts, quotas."""
    scenario = instance.scenario
    index = scenario.territory.index
    rules = instance.params.rules
    found: list[Violation] = []
    by_commune: dict[str, list[dt.date]] = defaultdict(list)
    same_day: dict[tuple[str, dt.date], int] = defaultdict(int)
    weekly: dict[tuple[str, tuple[int, int]], int] = defaultdict(int)
    by_vehicle_day: dict[tuple[str, dt.date, int], int] = defaultdict(int)
    for stop in sorted(stops, key=lambda s: (s.date, s.vehicle)):
        v = _vehicle_index(instance, stop.vehicle)
        if stop.insee not in index:
            found.append(Violation("outside_territory", stop.date, stop.insee, "commune hors du territoire"))
            continue
        if v is None:
            found.append(Violation("unknown_vehicle", stop.date, stop.insee, f"véhicule inconnu : {stop.vehicle}"))
            continue
        vehicle = scenario.vehicles[v]
        s = index[stop.insee]
        for rule, reason in (("closed_day", closed_violation(instance, v, stop.date)),
                             ("forbidden", forbidden_violation(instance, stop.date, s)),
                             ("market_day_required", market_violation(instance, stop.date.isoweekday(), s)),
                             ("host_closed", hours_violation(instance, v, stop.date.isoweekday(), stop.slot, s))):
            if reason:
                found.append(Violation(rule, stop.date, stop.insee, reason))
        by_vehicle_day[vehicle.name, stop.date, stop.slot] += 1
        if by_vehicle_day[vehicle.name, stop.date, stop.slot] == 2:
            found.append(Violation("double_booking", stop.date, stop.insee, f"{vehicle.name} a deux arrêts ce jour"))
        if stop.slot > instance.slots_per_day(v):
            found.append(Violation("double_booking", stop.date, stop.insee, f"créneau {stop.slot} inexistant"))
        if vehicle.kind == "mediator":
            weekly[stop.insee, stop.date.isocalendar()[:2]] += 1
            if weekly[stop.insee, stop.date.isocalendar()[:2]] == rules.mediator_visits_per_week + 1:
                found.append(Violation("weekly_visits", stop.date, stop.insee, f"plus de {rules.mediator_visits_per_week} "
                                       "passage(s) du médiateur dans la semaine"))
        else:
            by_commune[stop.insee].append(stop.date)
        same_day[stop.insee, stop.date] += 1
        if same_day[stop.insee, stop.date] == 2:
            found.append(Violation("same_day", stop.date, stop.insee, "commune servie deux fois le même jour"))
    for insee, days in sorted(by_commune.items()):
        days.sort()
        for a, b in zip(days, days[1:]):
            if (b - a).days < rules.gap_days:
                found.append(Violation("spacing", b, insee, f"{(b - a).days} jour(s) après la visite du "
                                       f"{a:%d/%m/%Y}, écart minimal {rules.min_gap_days} jours"))
        if len(days) > rules.max_visits:
            found.append(Violation("max_visits", days[-1], insee, f"{len(days)} visites, maximum {rules.max_visits}"))
    present = {(s.date, s.insee, s.vehicle) for s in stops}
    for pin in scenario.pins:
        if not any(d == pin.date and i == pin.insee and (not pin.vehicle or v == pin.vehicle) for d, i, v in present):
            found.append(Violation("pin_missing", pin.date, pin.insee, "arrêt imposé absent"))
    for request in scenario.requests:
        if request.active and request.priority == "must" and request.request_id not in served:
            found.append(Violation("must_unserved", None, request.insee,
                                   f"demande impérative {request.request_id} non servie", request.request_id))
    found += _quota_violations(instance, stops)
    return found


def _quota_violations(instance: Instance, stops: list[Stop]) -> list[Violation]:
    found = []
    by_code = {c.insee: c for c in instance.communes}
    for quota in instance.params.rules.quotas:
        count = sum(1 for s in stops if s.insee in by_code and
                    (by_code[s.insee].epci if quota.kind == "epci" else by_code[s.insee].dep) == quota.code)
        if count < quota.min_days:
            found.append(Violation("quota", None, quota.code, f"{quota.label()} : {count} jours, minimum {quota.min_days}"))
        if 0 <= quota.max_days < count:
            found.append(Violation("quota", None, quota.code, f"{quota.label()} : {count} jours, maximum {quota.max_days}"))
    return found
