"""Week-by-week sequencing of a vehicle that may stay away overnight.

The season models choose which communes a vehicle serves each week (and on which day, charging
each stop an estimated drive). For a vehicle allowed to sleep away, the real drive depends on the
order of the week's stops and on the nights spent away, so each (vehicle, week) is then solved on
its own: which date each stop gets, and after which stops the vehicle stays away, to maximise
market bonuses minus the km driven, under the daily driving limit, at most ``overnight_nights``
nights in a row, a week that starts and ends at base, and the rules a date move must keep (allowed
dates, pins, request windows, spacing with the commune's other visits).

The season models already place nights away ("chains" between near communes). This step re-solves
each week alone, which can reorder its stops; two solvers are kept, measured against each other
and against no re-sequencing in bench/ (benchmark f):
- ``cpsat``: an exact CP-SAT model of the week (orders, nights and legs as booleans);
- ``routing``: OR-Tools routing orders the stops as a shortest path from base back to base, then
  nights are chosen greedily; blind to daily limits and markets.
Both only chain the pairs of ``Instance.chain_pairs``, so a plan stays inside the model whose bound
the solver proved.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace

from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.sat.python import cp_model

from planner.core.instance import Instance
from planner.core.rules import stop_allowed
from planner.cpsat.solver import cp_solver
from planner.domain.stop import Stop

WEEK_TIME_LIMIT_S = 0.5  # a week has at most five stops: solved to optimality well within this


def sequence_plan(instance: Instance, stops: tuple[Stop, ...], method: str = "cpsat",
                  stopped: Callable[[], bool] = lambda: False) -> tuple[Stop, ...]:
    """The stops of overnight vehicles re-dated and given their nights; others unchanged (and the
    weeks left once ``stopped()`` turns true)."""
    scenario = instance.scenario
    overnight = {v.name for v in scenario.vehicles if v.overnight_nights > 0 and v.kind == "bus"}
    if not overnight:
        return stops
    kept = [s for s in stops if s.vehicle not in overnight]
    weeks: dict[tuple[str, tuple[int, int]], list[Stop]] = defaultdict(list)
    for stop in stops:
        if stop.vehicle in overnight:
            weeks[stop.vehicle, stop.date.isocalendar()[:2]].append(stop)
    others = _visits_by_commune(stops)
    solver = sequence_week_cpsat if method == "cpsat" else sequence_week_routing
    for (vehicle, week), week_stops in sorted(weeks.items()):
        v = instance.vehicle_index(vehicle)
        days = [d for d in instance.working_days(v) if d.isocalendar()[:2] == week]
        result = None if stopped() else solver(instance, v, days, week_stops, others)
        kept += result if result is not None else week_stops
    return tuple(sorted(kept, key=lambda s: (s.date, s.vehicle, s.slot)))


def _visits_by_commune(stops: tuple[Stop, ...]) -> dict[str, list[tuple[dt.date, str]]]:
    visits: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    for stop in stops:
        visits[stop.insee].append((stop.date, stop.vehicle))
    return visits


def allowed_dates(instance: Instance, v: int, days: list[dt.date], stop: Stop,
                  others: dict[str, list[tuple[dt.date, str]]]) -> list[dt.date]:
    """Dates of the week this stop may take without breaking a rule its current date keeps."""
    scenario = instance.scenario
    s = scenario.territory.index[stop.insee]
    if any(p.date == stop.date and p.insee == stop.insee for p in scenario.pins):
        return [stop.date]
    served = [r for r in scenario.requests if r.active and r.insee == stop.insee and r.in_window(stop.date)]
    gap = instance.params.rules.gap_days
    outside = [d for d, vehicle in others.get(stop.insee, []) if (d, vehicle) != (stop.date, scenario.vehicles[v].name)]
    result = []
    for day in days:
        if day != stop.date:
            if not stop_allowed(instance, v, day, s) or any(not r.in_window(day) for r in served):
                continue
            if any(abs((day - other).days) < gap for other in outside if other.isocalendar()[:2] != day.isocalendar()[:2]):
                continue
        result.append(day)
    return result


def sequence_week_cpsat(instance: Instance, v: int, days: list[dt.date], stops: list[Stop],
                        others: dict[str, list[tuple[dt.date, str]]]) -> list[Stop] | None:
    """Exact: CP-SAT chooses each stop's date and the nights away; None if no feasible week."""
    vehicle = instance.scenario.vehicles[v]
    index = instance.scenario.territory.index
    communes = [index[s.insee] for s in stops]
    km, minutes = instance.need.travel.km, instance.need.travel.minutes
    pairs = instance.chain_pairs.get(v, {})
    model = cp_model.CpModel()
    # at[i, d]: stop i is made on date d (only dates it may take).
    at = {}
    for i, stop in enumerate(stops):
        options = allowed_dates(instance, v, days, stop, others)
        for day in options:
            at[i, day] = model.NewBoolVar(f"at_{i}_{day:%m%d}")
        model.AddExactlyOne(at[i, day] for day in options)
    for day in days:
        model.AddAtMostOne(var for (i, d), var in at.items() if d == day)
    # away[d]: the vehicle sleeps away after date d; never after the last day, nor after an idle day.
    away = {day: model.NewBoolVar(f"away_{day:%m%d}") for day in days}
    model.Add(away[days[-1]] == 0)
    for k, day in enumerate(days):
        busy = [var for (i, d), var in at.items() if d == day]
        model.Add(away[day] <= sum(busy))
        if k > 0:  # a night away is followed by the next calendar day at work, not by a day parked idle
            if (day - days[k - 1]).days == 1:
                model.Add(away[days[k - 1]] <= sum(busy))
            else:
                model.Add(away[days[k - 1]] == 0)
    window = vehicle.overnight_nights + 1
    for k in range(len(days) - window + 1):
        model.Add(sum(away[d] for d in days[k:k + window]) <= vehicle.overnight_nights)
    travel_terms = []
    for k, day in enumerate(days):
        previous = days[k - 1] if k > 0 else None
        day_minutes = []
        for (i, d), var in at.items():
            if d != day:
                continue
            s = communes[i]
            # from_base[i, d]: stop i on d reached from base (first day, or home last night).
            from_base = _and(model, [var] + ([away[previous].Not()] if previous else []))
            # home[i, d]: the vehicle drives back to base after stop i on d.
            home = _and(model, [var, away[day].Not()])
            legs = [(from_base, float(instance.base_km[v, s]), float(instance.base_minutes[v, s])),
                    (home, float(instance.base_km[v, s]), float(instance.base_minutes[v, s]))]
            if previous is not None and (previous - day).days == -1:
                for (j, d2), prev_var in at.items():
                    if d2 != previous:
                        continue
                    t = communes[j]
                    if (t, s) not in pairs:  # no night near t before s: that pair is not a chain
                        model.AddBoolOr([prev_var.Not(), var.Not(), away[previous].Not()])
                        continue
                    # moved[j, i]: slept near stop j last night and drives on to stop i.
                    moved = _and(model, [prev_var, var, away[previous]])
                    legs.append((moved, float(km[t, s]), float(minutes[t, s])))
            for literal, leg_km, leg_min in legs:
                travel_terms.append(instance.travel_q(leg_km) * literal)
                day_minutes.append(round(leg_min * 10) * literal)
            travel_terms.append(-instance.market_q(s, day) * var)
        if day_minutes:
            model.Add(sum(day_minutes) <= round(vehicle.max_drive_minutes * 10))
    model.Minimize(sum(travel_terms))
    solver = cp_solver(WEEK_TIME_LIMIT_S, reproducible=instance.params.solver.reproducible)
    if solver.Solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    result = []
    for (i, day), var in at.items():
        if solver.BooleanValue(var):
            result.append(replace(stops[i], date=day, away_after=solver.BooleanValue(away[day])))
    return result


def _and(model: cp_model.CpModel, literals: list) -> cp_model.IntVar:
    """A boolean equal to the conjunction of ``literals``."""
    if len(literals) == 1:
        return literals[0]
    result = model.NewBoolVar("")
    model.AddBoolAnd(literals).OnlyEnforceIf(result)
    model.AddBoolOr([lit.Not() for lit in literals]).OnlyEnforceIf(result.Not())
    return result


def sequence_week_routing(instance: Instance, v: int, days: list[dt.date], stops: list[Stop],
                          others: dict[str, list[tuple[dt.date, str]]]) -> list[Stop] | None:
    """OR-Tools routing orders the week's stops (shortest path from base back to base) on the
    dates they occupied; the vehicle then stays away after a stop when the next leg is shorter than
    going home and back, within the nights limit. None when the result breaks a rule."""
    vehicle = instance.scenario.vehicles[v]
    index = instance.scenario.territory.index
    communes = [index[s.insee] for s in stops]
    km = instance.need.travel.km

    def distance(a: int, b: int) -> int:
        if a == b:
            return 0
        if a == 0 or b == 0:
            return round(100 * float(instance.base_km[v, communes[(b or a) - 1]]))
        return round(100 * float(km[communes[a - 1], communes[b - 1]]))

    manager = pywrapcp.RoutingIndexManager(len(stops) + 1, 1, 0)
    routing = pywrapcp.RoutingModel(manager)
    callback = routing.RegisterTransitCallback(lambda i, j: distance(manager.IndexToNode(i), manager.IndexToNode(j)))
    routing.SetArcCostEvaluatorOfAllVehicles(callback)
    search = pywrapcp.DefaultRoutingSearchParameters()
    search.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    search.time_limit.FromMilliseconds(int(WEEK_TIME_LIMIT_S * 1000))
    solution = routing.SolveWithParameters(search)
    if solution is None:
        return None
    order = []
    node = routing.Start(0)
    while not routing.IsEnd(node):
        if manager.IndexToNode(node):
            order.append(manager.IndexToNode(node) - 1)
        node = solution.Value(routing.NextVar(node))
    occupied = sorted(s.date for s in stops)
    result = [replace(stops[i], date=day, away_after=False) for i, day in zip(order, occupied)]
    for stop in result:
        if stop.date not in allowed_dates(instance, v, days, next(s for s in stops if s.insee == stop.insee), others):
            return None
    nights = 0
    for k in range(len(result) - 1):
        here, nxt = index[result[k].insee], index[result[k + 1].insee]
        consecutive = (result[k + 1].date - result[k].date).days == 1
        chainable = (here, nxt) in instance.chain_pairs.get(v, {})
        if consecutive and chainable and nights < vehicle.overnight_nights:
            result[k] = replace(result[k], away_after=True)
            nights += 1
        else:
            nights = 0
    return result
