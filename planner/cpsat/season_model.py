"""The CP-SAT model of a season: which commune each vehicle serves on each working day.

Variables (created in ``create_*``/``add_*`` functions, documented there):
- x[v, d, s]    stop of vehicle v on day d in commune s;
- visits[s]     number of stops in commune s over the season (0..max_visits);
- flow[s, c]    participants (flow units) from home commune c at the stops of s (planner/cpsat/seats.py);
- served[r]     accepted "should" request r is served;
- chain[v, d, s, t]  vehicle v sleeps near s after day d and drives on to t the next day;
- enforce[...]  one literal per must request, pin and quota, fixed true by assumptions when
                diagnosing an infeasible configuration (they are plain hard constraints otherwise).

Each constraint family has its own ``add_*`` function. The objective uses the integer coefficients
of ``Instance`` (value points times ``VALUE_SCALE``), shared with the evaluator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from planner.core.instance import Instance
from planner.core.rules import named_communes, seats_someone, stop_allowed
from planner.cpsat.seats import add_seat_flows, flow_terms
from planner.domain.request import Request
from planner.domain.stop import Stop


@dataclass
class SeasonModel:
    instance: Instance
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[tuple[int, dt.date, int], cp_model.IntVar] = field(default_factory=dict)
    visits: dict[int, cp_model.IntVar] = field(default_factory=dict)
    flow: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    served: dict[str, cp_model.IntVar] = field(default_factory=dict)
    chain: dict[tuple[int, dt.date, int, int], cp_model.IntVar] = field(default_factory=dict)
    enforce: dict[str, cp_model.IntVar] = field(default_factory=dict)  # rule label -> literal
    objective_terms: list = field(default_factory=list)
    objective_offset: int = 0
    diagnose: bool = False

    def by_commune(self) -> dict[int, list[tuple[int, dt.date, cp_model.IntVar]]]:
        groups: dict[int, list] = {}
        for (v, d, s), var in self.x.items():
            groups.setdefault(s, []).append((v, d, var))
        return groups

    def by_vehicle_day(self) -> dict[tuple[int, dt.date], list[cp_model.IntVar]]:
        groups: dict[tuple[int, dt.date], list] = {}
        for (v, d, _s), var in self.x.items():
            groups.setdefault((v, d), []).append(var)
        return groups

    def rule(self, label: str, constraint: cp_model.Constraint) -> None:
        """Make ``constraint`` a named rule: conditional on a literal when diagnosing."""
        if self.diagnose:
            literal = self.enforce.get(label) or self.model.NewBoolVar(label)
            self.enforce[label] = literal
            constraint.OnlyEnforceIf(literal)


def build_season_model(instance: Instance, requests: tuple[Request, ...], *, candidates: set[int] | None = None,
                       previous: tuple[Stop, ...] = (), diagnose: bool = False,
                       chains: dict[int, set[tuple[int, int]]] | None = None,
                       frozen: dict[tuple[int, dt.date], int | None] | None = None) -> SeasonModel:
    """Model of the scenario; ``requests`` are the accepted requests that can be served at all.

    ``frozen`` (re-planning): (vehicle, day) -> commune of a stop kept as it is, or None for a day
    kept idle; only the other days are decided, so the model stays small."""
    sm = SeasonModel(instance, diagnose=diagnose)
    create_stop_variables(sm, candidates if candidates is not None else default_candidates(instance, requests),
                          frozen or {})
    add_one_stop_per_vehicle_day(sm)
    add_revisit_gap(sm)
    add_max_visits(sm)
    add_coverage(sm)
    add_must_requests(sm, [r for r in requests if r.priority == "must"])
    add_should_requests(sm, [r for r in requests if r.priority == "should"])
    add_quotas(sm)
    add_pins(sm)
    add_overnight_chains(sm, chains)
    add_objective(sm, previous)
    return sm


def default_candidates(instance: Instance, requests: tuple[Request, ...]) -> set[int]:
    """Every commune where a stop would seat someone, and every commune a request or a pin names.

    A stop is worth the participants it seats, weighted by how far they live from help: one beside
    an EPN seats seniors who count 1 each, so it is a candidate too (the value decides, not a
    filter). Large territories pass a filtered set instead (see planner/search/candidates.py).
    """
    return set(np.flatnonzero(seats_someone(instance)).tolist()) | named_communes(instance, requests)


def create_stop_variables(sm: SeasonModel, candidates: set[int],
                          frozen: dict[tuple[int, dt.date], int | None] | None = None) -> None:
    """x[v, d, s] = 1 when vehicle v spends working day d in commune s (one bool per allowed stop).

    A frozen day gets only its kept stop, fixed to 1 (or nothing when it stays idle): the rules
    and the objective then see it like any other stop."""
    instance = sm.instance
    frozen = frozen or {}
    for v in range(len(instance.scenario.vehicles)):
        for day in instance.working_days(v):
            if (v, day) in frozen:
                s = frozen[v, day]
                if s is not None:
                    sm.x[v, day, s] = sm.model.NewBoolVar(f"x_{v}_{day:%Y%m%d}_{s}")
                    sm.model.Add(sm.x[v, day, s] == 1)
                continue
            for s in sorted(candidates):
                if stop_allowed(instance, v, day, s):
                    sm.x[v, day, s] = sm.model.NewBoolVar(f"x_{v}_{day:%Y%m%d}_{s}")


def add_one_stop_per_vehicle_day(sm: SeasonModel) -> None:
    """A vehicle serves at most one commune a day."""
    for variables in sm.by_vehicle_day().values():
        sm.model.AddAtMostOne(variables)


def add_revisit_gap(sm: SeasonModel) -> None:
    """Two visits of a commune are at least ``min_gap_days`` calendar days apart (any vehicles).

    For each commune and each day d that has a variable, at most one stop in [d, d + gap - 1];
    with a gap of 0 or 1 this still forbids two vehicles in one commune on the same day.
    """
    gap = sm.instance.params.rules.gap_days
    for stops in sm.by_commune().values():
        stops.sort(key=lambda item: item[1])
        days = [d for _, d, _ in stops]
        end = last_end = -1
        for i, start_day in enumerate(days):
            if i > 0 and days[i - 1] == start_day:
                continue
            limit = start_day + dt.timedelta(days=gap - 1)
            end = max(end, i)
            while end + 1 < len(days) and days[end + 1] <= limit:
                end += 1
            if end == last_end:
                continue  # this window is inside the previous one
            last_end = end
            if end > i:
                sm.model.AddAtMostOne(var for _, _, var in stops[i:end + 1])


def add_max_visits(sm: SeasonModel) -> None:
    """visits[s] = number of stops in commune s, at most ``max_visits`` in the season.

    The count is its own variable so that the places of a commune's stops, which bound its
    participants' flows, stay one short expression (one term per commune, not per day).
    """
    max_visits = sm.instance.params.rules.max_visits
    for s, stops in sm.by_commune().items():
        sm.visits[s] = sm.model.NewIntVar(0, min(max_visits, len(stops)), f"visits_{s}")
        sm.model.Add(sm.visits[s] == sum(var for _, _, var in stops))


def add_coverage(sm: SeasonModel) -> None:
    """flow[s, c]: the participants the stops of s seat from c (planner/cpsat/seats.py); the
    places of s are its visits times a stop's places (per vehicle when they differ)."""
    instance = sm.instance
    places = [instance.places_q(v) for v in range(len(instance.scenario.vehicles))]
    supply, most = {}, {}
    for s, stops in sm.by_commune().items():
        same = len(set(places)) == 1
        supply[s] = places[0] * sm.visits[s] if same else sum(places[v] * var for v, _d, var in stops)
        most[s] = max(places) * min(instance.params.rules.max_visits, len(stops))
    sm.flow = add_seat_flows(sm.model, instance, supply, most, sm.visits, max(places))


def request_stops(sm: SeasonModel, request: Request) -> list[cp_model.IntVar]:
    index = sm.instance.scenario.territory.index
    s = index.get(request.insee)
    return [var for (_v, d, s2), var in sm.x.items() if s2 == s and request.in_window(d)]


def add_must_requests(sm: SeasonModel, requests: list[Request]) -> None:
    """An accepted must request gets its ``days`` stops inside its windows."""
    for request in requests:
        stops = request_stops(sm, request)
        sm.rule(f"demande {request.request_id}", sm.model.Add(sum(stops) >= request.days))


def add_should_requests(sm: SeasonModel, requests: list[Request]) -> None:
    """served[r] = 1 only when the should request r has its ``days`` stops inside its windows."""
    for request in requests:
        stops = request_stops(sm, request)
        served = sm.model.NewBoolVar(f"served_{request.request_id}")
        sm.served[request.request_id] = served
        if stops:
            sm.model.Add(sum(stops) >= request.days * served)
        else:
            sm.model.Add(served == 0)


def add_quotas(sm: SeasonModel) -> None:
    """Stop days in an EPCI or a département stay within the quota's minimum and maximum."""
    communes = sm.instance.communes
    for quota in sm.instance.params.rules.quotas:
        members = {s for s, c in enumerate(communes) if (c.epci if quota.kind == "epci" else c.dep) == quota.code}
        stops = [var for (_v, _d, s), var in sm.x.items() if s in members]
        if quota.min_days > 0:
            sm.rule(f"{quota.label()} minimum {quota.min_days}", sm.model.Add(sum(stops) >= quota.min_days))
        if quota.max_days >= 0:
            sm.rule(f"{quota.label()} maximum {quota.max_days}", sm.model.Add(sum(stops) <= quota.max_days))


def add_pins(sm: SeasonModel) -> None:
    """A pinned stop happens (by the named vehicle, or by any vehicle when none is named)."""
    instance = sm.instance
    index = instance.scenario.territory.index
    for pin in instance.scenario.pins:
        s = index[pin.insee]
        options = [var for (v, d, s2), var in sm.x.items()
                   if s2 == s and d == pin.date and (not pin.vehicle or instance.scenario.vehicles[v].name == pin.vehicle)]
        sm.rule(pin.label(), sm.model.Add(sum(options) == 1))


def add_overnight_chains(sm: SeasonModel, allowed: dict[int, set[tuple[int, int]]] | None) -> None:
    """chain[v, d, s, t] = 1: vehicle v sleeps near s after day d and drives on to t the next day.

    The next day must be the next calendar day and a working day of the same week, so a week
    always ends at base. A stop too far for a day trip must be followed by a night away unless it was
    reached from one and the drive home fits the day; a stop reached from the previous night's
    commune must be followed by another night when driving home after it would break the daily limit.
    At most ``overnight_nights`` nights in a row (any overnight_nights + 1 consecutive days hold a
    night at base). Only pairs of ``allowed`` (default: Instance.chain_pairs) get a variable.
    """
    instance = sm.instance
    for v, pairs in instance.chain_pairs.items():
        usable = pairs.keys() if allowed is None else allowed.get(v, set()) & pairs.keys()
        by_start: dict[int, list[int]] = {}
        for s, t in usable:
            by_start.setdefault(s, []).append(t)
        days = instance.working_days(v)
        working = set(days)
        vehicle = instance.scenario.vehicles[v]
        nights_by_day: dict[dt.date, list] = {}
        for day in days:
            nxt = day + dt.timedelta(days=1)
            if nxt not in working or nxt.isocalendar()[:2] != day.isocalendar()[:2]:
                continue
            for s, targets in by_start.items():
                here = sm.x.get((v, day, s))
                if here is None:
                    continue
                for t in targets:
                    there = sm.x.get((v, nxt, t))
                    if there is None:
                        continue
                    var = sm.model.NewBoolVar(f"chain_{v}_{day:%Y%m%d}_{s}_{t}")
                    sm.model.AddImplication(var, here)
                    sm.model.AddImplication(var, there)
                    sm.chain[v, day, s, t] = var
                    nights_by_day.setdefault(day, []).append(var)
        for day_vars in nights_by_day.values():
            sm.model.AddAtMostOne(day_vars)
        leaving: dict[tuple[dt.date, int], list] = {}
        arriving: dict[tuple[dt.date, int], list] = {}  # chains after which the day can end at base
        for (v2, day, s, t), var in sm.chain.items():
            if v2 == v:
                leaving.setdefault((day, s), []).append(var)
                if not instance.chain_needs_next(v, s, t):
                    arriving.setdefault((day + dt.timedelta(days=1), t), []).append(var)
        for (v2, day, s), var in sm.x.items():
            if v2 == v and not instance.day_trip(v, s):
                sm.model.Add(var <= sum(leaving.get((day, s), [])) + sum(arriving.get((day, s), [])))
        for (v2, day, s, t), var in sm.chain.items():
            if v2 == v and instance.chain_needs_next(v, s, t):
                sm.model.Add(var <= sum(leaving.get((day + dt.timedelta(days=1), t), [])))
        window = vehicle.overnight_nights + 1
        ordered = sorted(nights_by_day)
        for i, first in enumerate(ordered):
            span = [d for d in ordered[i:] if (d - first).days < window]
            if len(span) == window:
                sm.model.Add(sum(var for d in span for var in nights_by_day[d]) <= vehicle.overnight_nights)


def add_objective(sm: SeasonModel, previous: tuple[Stop, ...] = ()) -> None:
    """Maximise participants (weighted), market bonus, should bonus and nights-away savings, minus travel (round
    trips), idle days and moved stops.

    With ``previous`` (re-planning), each stop of the previous plan that is dropped costs
    ``move_penalty``: the term penalty * x is added and the constant -penalty per previous stop,
    so that the objective stays comparable with a plan built from scratch minus the moves.
    """
    instance = sm.instance
    terms = sm.objective_terms
    terms += flow_terms(instance, sm.flow)
    for (v, day, s), var in sm.x.items():
        coefficient = instance.day_value_q(v, s, day)
        if coefficient:
            terms.append(coefficient * var)
    for var in sm.served.values():
        terms.append(instance.should_bonus_q * var)
    for (v, _day, s, t), var in sm.chain.items():
        terms.append(instance.chain_pairs[v][s, t] * var)
    # Idle days: -cost per working day of each vehicle, +cost back for each day with a stop.
    idle = instance.idle_day_q
    if idle:
        sm.objective_offset -= idle * sum(len(instance.working_days(v)) for v in range(len(instance.scenario.vehicles)))
        terms.extend(idle * var for var in sm.x.values())
    penalty = instance.move_penalty_q
    index = instance.scenario.territory.index
    for stop in previous:
        key = (instance.vehicle_index(stop.vehicle), stop.date, index.get(stop.insee, -1))
        sm.objective_offset -= penalty
        if key in sm.x:
            terms.append(penalty * sm.x[key])
            sm.model.AddHint(sm.x[key], 1)
    sm.model.Maximize(sum(terms) + sm.objective_offset)
