"""Benchmark (c): CP-SAT against a greedy planner and PyVRP's prize-collecting VRP.

PyVRP expresses the season as one vehicle a working day (capacity 1: one commune a day), each
commune a client with an optional prize = the value of a first stop there, edge costs = the
season's km cost. It cannot express repeat visits, spacing or dates, so it visits each commune at
most once; its routes are given dates in order and scored by the same evaluator as the others.
All three get the same time budget; ratios are CP-SAT's objective over theirs.
"""

from __future__ import annotations

import time

import numpy as np

from bench.scenarios import bus_season
from planner.core.evaluate import evaluate
from planner.core.instance import VALUE_SCALE, build_instance
from planner.domain.stop import Stop
from planner.search.greedy import greedy_stops
from planner.search.solve import solve_instance


def prepare(territory: str) -> dict:
    return {"instance": build_instance(bus_season(territory))}


def run(instance) -> dict:
    budget = instance.params.solver.time_limit_s
    started = time.perf_counter()
    greedy = evaluate(instance, greedy_stops(instance))
    greedy_s = time.perf_counter() - started
    started = time.perf_counter()
    pyvrp = evaluate(instance, pyvrp_stops(instance, budget))
    pyvrp_s = time.perf_counter() - started
    plan = solve_instance(instance)
    cpsat = plan.solver.objective
    idle_cost = instance.params.objective.idle_day_cost
    return {
        "budget_s": budget,
        "cpsat_objective": cpsat,
        "cpsat_bound": plan.solver.bound,
        "greedy_objective": greedy.metrics.objective,
        "greedy_s": round(greedy_s, 2),
        "pyvrp_objective": pyvrp.metrics.objective,
        "pyvrp_stops": pyvrp.metrics.stops,
        "pyvrp_idle_days": pyvrp.metrics.idle_days,
        "pyvrp_s": round(pyvrp_s, 2),
        "ratio_vs_greedy": round(cpsat / greedy.metrics.objective, 4),
        "ratio_vs_pyvrp": round(cpsat / pyvrp.metrics.objective, 4) if pyvrp.metrics.objective > 0 else None,
        # PyVRP cannot revisit, so it leaves days idle; without the idle-day cost its stops score:
        "pyvrp_objective_without_idle_cost": round(pyvrp.metrics.objective + idle_cost * pyvrp.metrics.idle_days, 1),
        "ratio_vs_pyvrp_without_idle_cost": round(
            cpsat / (pyvrp.metrics.objective + idle_cost * pyvrp.metrics.idle_days), 4),
        "greedy_gap_to_bound_pct": round(100 * (plan.solver.bound - greedy.metrics.objective) / plan.solver.bound, 3),
    }


def pyvrp_stops(instance, budget_s: float) -> tuple[Stop, ...]:
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    days = instance.working_days(0)
    vehicle = instance.scenario.vehicles[0]
    candidates = [s for s in range(len(instance.communes)) if instance.reachable(0, s)]
    alone = [round(float(instance.values[s]) * VALUE_SCALE) for s in candidates]
    km_cost = instance.params.objective.km_cost * 1000  # objective integers per km
    model = Model()
    depot_location = model.add_location(vehicle.base_lon, vehicle.base_lat)
    depot = model.add_depot(depot_location)
    model.add_vehicle_type(num_available=len(days), capacity=1, start_depot=depot, end_depot=depot,
                           shift_duration=int(vehicle.max_drive_minutes))
    locations = []
    for s, prize in zip(candidates, alone):
        commune = instance.communes[s]
        location = model.add_location(commune.lon, commune.lat)
        model.add_client(location, delivery=1, prize=prize, required=False)
        locations.append(location)
    everything = [(depot_location, -1)] + list(zip(locations, candidates))
    for a, sa in everything:
        for b, sb in everything:
            if a is b:
                continue
            km, minutes = _leg(instance, sa, sb)
            model.add_edge(a, b, distance=int(round(km_cost * km)), duration=int(round(minutes)))
    result = model.solve(stop=MaxRuntime(budget_s), seed=instance.params.solver.seed, display=False)
    chosen = []
    for route in result.best.routes():
        chosen += [candidates[activity.idx] for activity in route if activity.is_client()]
    order = np.argsort([-alone[candidates.index(s)] for s in chosen], kind="stable")
    return tuple(Stop(date=days[i], vehicle=vehicle.name, insee=instance.communes[chosen[j]].insee)
                 for i, j in enumerate(order[: len(days)]))


def _leg(instance, a: int, b: int) -> tuple[float, float]:
    if a == -1 and b == -1:
        return 0.0, 0.0
    if a == -1 or b == -1:
        s = b if a == -1 else a
        return float(instance.base_km[0, s]), float(instance.base_minutes[0, s])
    return float(instance.need.travel.km[a, b]), float(instance.need.travel.minutes[a, b])


TARGETS = {"baselines-bourges": ">= 1.10x greedy", "baselines-cher": ">= 1.10x greedy"}
