"""CP-SAT against brute force on 40 seeded random tiny seasons (<= 5 communes x <= 4 days).

Every schedule (each working day: no stop or one commune) is enumerated and evaluated with the
same evaluator as the plans; the best rule-abiding one must equal the solver's proven optimum, in
the solver's own integers. Instances mix neighbour audiences, travel and idle costs, markets,
driving limits, forbidden stops, pins, must and should requests and quotas.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import replace

import pytest

from planner.core.evaluate import evaluate
from planner.core.instance import VALUE_SCALE, build_instance
from planner.domain.market import Market
from planner.domain.params import Quota
from planner.domain.request import Request
from planner.domain.scenario import Forbidden, Pin
from planner.domain.stop import Stop
from tests.conftest import TUE, bus, commune, service_point, solve_checked, tiny_params, tiny_scenario

SEEDS = range(40)


def random_scenario(seed: int):
    rng = random.Random(seed)
    n = rng.randint(3, 5)
    communes = [commune(f"180{i:02d}", 47.0 + rng.uniform(-0.15, 0.15), 2.0 + rng.uniform(-0.2, 0.2),
                        seniors=rng.choice([0, 20, 50, 120, 300]), epci=rng.choice(["E1", "E2"]))
                for i in range(n)]
    points = [service_point(communes[0].insee, communes[0].lat, communes[0].lon)] if rng.random() < 0.5 else []
    days = [TUE + dt.timedelta(days=k) for k in range(rng.randint(3, 4))]
    markets = [Market(c.insee, c.name, rng.choice([2, 3, 4, 5]), "", "", "", "weekly", "", "", "t")
               for c in communes if rng.random() < 0.3]
    params = tiny_params(
        need={"catchment_km": rng.choice([0.5, 15.0, 25.0]), "gap_start_km": 0.0},
        objective={"km_cost": rng.choice([0.0, 0.5, 2.0]), "idle_day_cost": rng.choice([0.0, 5.0, 40.0]),
                   "gap_weight": rng.choice([0.0, 1.0, 3.0]), "market_bonus": 0.3, "should_bonus": 50.0},
        rules={"min_gap_days": rng.randint(1, 3), "max_visits": rng.randint(1, 3),
               "market_required": rng.random() < 0.2,
               "quotas": (Quota("epci", "E1", rng.randint(0, 1), rng.choice([-1, 1, 2])),) if rng.random() < 0.4 else ()},
    )
    requests = []
    for i, c in enumerate(communes):
        if rng.random() < 0.35:
            a = rng.choice(days)
            b = min(days[-1], a + dt.timedelta(days=rng.randint(0, 2)))
            requests.append(Request(f"R{i}", c.insee, ((a, b),), days=1,
                                    priority="must" if rng.random() < 0.3 else "should"))
    forbidden = [Forbidden(rng.choice(communes).insee, rng.choice(days)) for _ in range(rng.randint(0, 2))]
    pins = [Pin(rng.choice(days), rng.choice(communes).insee)] if rng.random() < 0.2 else []
    vehicle = bus(max_drive_minutes=rng.choice([40.0, 60.0, 180.0]))
    return tiny_scenario(communes, points=points, markets=markets, params=params, start=days[0], end=days[-1],
                         vehicles=[vehicle], requests=requests, pins=pins, forbidden=forbidden)


def brute_force(instance, excused: set[str]):
    """Best objective (solver integers) over all schedules without broken rules, or None.

    ``excused``: must requests that no schedule can serve (the planner reports them unserved).
    """
    days = instance.working_days(0)
    codes = [None] + [c.insee for c in instance.communes]
    best = None
    for choice in itertools.product(codes, repeat=len(days)):
        stops = tuple(Stop(date=d, vehicle="bus", insee=code) for d, code in zip(days, choice) if code)
        evaluation = evaluate(instance, stops)
        if any(not (v.rule == "must_unserved" and v.request_id in excused) for v in evaluation.violations):
            continue
        if best is None or evaluation.objective_q > best:
            best = evaluation.objective_q
    return best


@pytest.mark.parametrize("seed", SEEDS)
def test_solver_matches_brute_force(seed):
    scenario = random_scenario(seed)
    instance = build_instance(scenario)
    _, plan = solve_checked(scenario)
    excused = {u.request_id for u in plan.unserved if u.priority == "must"}
    for request_id in excused:  # each excused must request is truly impossible on its own
        request = next(r for r in scenario.requests if r.request_id == request_id)
        alone = replace(scenario, requests=(request,), pins=(), params=scenario.params.with_changes("rules", quotas=()))
        assert brute_force(build_instance(alone), set()) is None
    expected = brute_force(instance, excused)
    if expected is None:
        assert plan.solver.status == "INFEASIBLE" and plan.conflicts
        return
    assert plan.solver.status == "OPTIMAL"
    assert round(plan.solver.objective * VALUE_SCALE) == expected


def test_the_random_instances_exercise_every_feature():
    scenarios = [random_scenario(seed) for seed in SEEDS]
    assert sum(bool(s.requests) for s in scenarios) >= 10
    assert sum(any(r.priority == "must" for r in s.requests) for s in scenarios) >= 3
    assert sum(bool(s.pins) for s in scenarios) >= 3
    assert sum(bool(s.forbidden) for s in scenarios) >= 10
    assert sum(bool(s.params.rules.quotas) for s in scenarios) >= 5
    assert sum(bool(s.territory.markets) for s in scenarios) >= 10


OVERNIGHT_SEEDS = range(10)


def random_overnight_scenario(seed: int):
    """Three working days, communes up to 100 road km away (some beyond a day trip), 1-2 nights."""
    rng = random.Random(1000 + seed)
    communes = [commune(f"181{i:02d}", 47.0 + rng.uniform(-0.1, 0.1), 2.0 + rng.uniform(0.1, 1.0),
                        seniors=rng.choice([20, 80, 200])) for i in range(rng.randint(3, 4))]
    params = tiny_params(
        need={"catchment_km": rng.choice([0.5, 15.0])},
        objective={"km_cost": rng.choice([0.2, 1.0]), "idle_day_cost": rng.choice([0.0, 30.0])},
        rules={"min_gap_days": 1, "max_visits": rng.randint(1, 2)},
    )
    vehicle = replace(bus(max_drive_minutes=rng.choice([150.0, 180.0])), overnight_nights=rng.randint(1, 2))
    return tiny_scenario(communes, params=params, start=TUE, end=TUE + dt.timedelta(days=2), vehicles=[vehicle])


def brute_force_overnight(instance):
    days = instance.working_days(0)
    codes = [None] + [c.insee for c in instance.communes]
    best = None
    for choice in itertools.product(codes, repeat=len(days)):
        picked = [(d, code) for d, code in zip(days, choice) if code]
        for nights in itertools.product([False, True], repeat=len(picked)):
            stops = tuple(Stop(date=d, vehicle="bus", insee=code, away_after=n) for (d, code), n in zip(picked, nights))
            evaluation = evaluate(instance, stops)
            if not evaluation.violations and (best is None or evaluation.objective_q > best):
                best = evaluation.objective_q
    return best


@pytest.mark.parametrize("seed", OVERNIGHT_SEEDS)
def test_overnight_solver_matches_brute_force(seed):
    scenario = random_overnight_scenario(seed)
    instance = build_instance(scenario)
    expected = brute_force_overnight(instance)
    _, plan = solve_checked(scenario)
    assert plan.solver.status == "OPTIMAL"
    assert round(plan.solver.objective * VALUE_SCALE) == expected


def test_overnight_instances_include_far_communes():
    far = 0
    for seed in OVERNIGHT_SEEDS:
        instance = build_instance(random_overnight_scenario(seed))
        far += sum(not instance.day_trip(0, s) for s in range(len(instance.communes)))
    assert far >= 5
