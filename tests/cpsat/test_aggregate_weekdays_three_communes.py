"""Symmetry between equivalent weekdays, and SCIP's proof, on seeded random tiny seasons: three
communes, a bus working Tuesdays and Thursdays for three weeks (six days, some closed), so that
a commune may be visited on either weekday and the weekday capacities may differ.

For every instance, each schedule (each working day: no stop or one commune) is enumerated and
scored by the evaluator. The aggregate model whose weekday-indifferent communes have one count
(``ANY_WEEKDAY``) must never cut off that optimum (its optimum is at least the best schedule), and
must have the same optimum as the model with a count per weekday (the pooling is exact); SCIP's
MIP must prove the same optimum as CP-SAT; the whole solve must find the best schedule and say
OPTIMAL.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from ortools.sat.python import cp_model

from planner.core.evaluate import evaluate
from planner.core.instance import VALUE_SCALE, build_instance
from planner.cpsat.aggregate_model import ANY_WEEKDAY, build_aggregate_model, continuous_indices, weekday_counts
from planner.cpsat.exact import MipJob
from planner.domain.market import Market
from planner.search.dating import place_in_rounds
from planner.search.solve import solve_instance
from tests.conftest import TUE, bus, commune, tiny_params, tiny_scenario
from tests.search.test_plan_brute_force import brute_force

SEEDS = range(10)
THU = TUE + dt.timedelta(days=2)
DAYS = [TUE + dt.timedelta(days=7 * k) for k in range(3)] + [THU + dt.timedelta(days=7 * k) for k in range(3)]


def random_scenario(seed: int):
    rng = random.Random(500 + seed)
    communes = [commune(f"182{i:02d}", 47.0 + rng.uniform(-0.1, 0.1), 2.0 + rng.uniform(-0.1, 0.1),
                        seniors=rng.choice([30, 80, 200, 400])) for i in range(3)]
    markets = [Market(c.insee, c.name, rng.choice([2, 4]), "", "", "", "weekly", "", "", "t")
               for c in communes if rng.random() < 0.3]
    params = tiny_params(
        need={"catchment_km": rng.choice([0.5, 12.0])},
        objective={"km_cost": rng.choice([0.0, 0.5]), "idle_day_cost": rng.choice([0.0, 20.0]),
                   "gap_weight": rng.choice([0.0, 1.0, 3.0])},
        rules={"min_gap_days": rng.choice([1, 2, 7, 9]), "max_visits": rng.randint(1, 3)},
    )
    closed = rng.sample(DAYS, rng.randint(0, 2))
    return tiny_scenario(communes, markets=markets, params=params, start=DAYS[0], end=DAYS[-1],
                         vehicles=[bus(weekdays=(2, 4))], closed=closed)


def aggregate_optimum(instance, *, pool_weekdays: bool):
    am = build_aggregate_model(instance, (), set(range(len(instance.communes))), pool_weekdays=pool_weekdays)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    status = solver.Solve(am.model)
    assert status == cp_model.OPTIMAL
    return am, solver


@pytest.mark.parametrize("seed", SEEDS)
def test_pooled_weekdays_keep_the_optimum_of_every_schedule(seed):
    instance = build_instance(random_scenario(seed))
    best = brute_force(instance, set())
    pooled, pooled_solver = aggregate_optimum(instance, pool_weekdays=True)
    _, split_solver = aggregate_optimum(instance, pool_weekdays=False)
    assert round(pooled_solver.ObjectiveValue()) >= best  # a relaxation: the best schedule is never cut off
    assert round(pooled_solver.ObjectiveValue()) == round(split_solver.ObjectiveValue())  # and exact
    counts = weekday_counts(pooled, pooled_solver.Value)  # the spread respects every weekday's capacity
    for (v, w), capacity in pooled.capacity.items():
        assert sum(n for (v2, _s, w2), n in counts.items() if (v2, w2) == (v, w)) <= capacity
    assert all(w != ANY_WEEKDAY for _v, _s, w in counts)
    rounds = place_in_rounds(instance, {k: n for k, n in _values(pooled, pooled_solver).items() if k[2] != ANY_WEEKDAY},
                             {(v, s): n for (v, s, w), n in _values(pooled, pooled_solver).items() if w == ANY_WEEKDAY})
    if rounds is not None:  # dates in rounds break no rule and keep at least the aggregate's stops
        assert evaluate(instance, rounds).violations == ()
        assert len(rounds) >= sum(_values(pooled, pooled_solver).values())
    mip = MipJob(pooled.model, 30.0, continuous=continuous_indices(pooled)).result(timeout=60)
    assert mip.optimal and mip.objective == mip.bound == round(pooled_solver.ObjectiveValue())
    plan = solve_instance(instance)
    assert plan.solver.status == "OPTIMAL"
    assert round(plan.solver.objective * VALUE_SCALE) == best


def _values(am, solver) -> dict:
    return {key: solver.Value(var) for key, var in am.n.items()}


def test_the_random_instances_pool_weekdays_and_vary_capacities():
    pooled = unequal = kept = 0
    for seed in SEEDS:
        instance = build_instance(random_scenario(seed))
        am = build_aggregate_model(instance, (), set(range(len(instance.communes))))
        pooled += any(w == ANY_WEEKDAY for _v, _s, w in am.n)
        kept += any(w != ANY_WEEKDAY for _v, _s, w in am.n)  # market communes keep their weekdays
        unequal += len(set(am.capacity.values())) > 1
    assert pooled >= 6 and kept >= 2 and unequal >= 3
