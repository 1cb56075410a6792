"""Each reading of the nights in the Lagrangian bound (planner/cpsat/relaxation.py) against the
exact optimum, on seeded random tiny seasons with nights away:

- the 10 three-day seasons of tests/search/test_plan_brute_force.py, whose optimum is enumerated
  schedule by schedule (every stop with or without a night after it);
- 12 two-week seasons (Tuesday to Friday) of 5-7 communes up to 120 km from base, some beyond a
  day trip, 1-2 nights in a row, 1-3 visits 1-7 days apart, markets: the aggregate model's
  optimum (CP-SAT, proven), which the bound must hold since it relaxes that model.

Every iterate of a descent is a bound, so each must hold whatever the time limit. The priced LP
(planner/cpsat/priced_lp.py) is checked on the same seasons: it holds both optima and equals the
aggregate's on each of the 12 two-week seasons (the pairs reading is off by up to 21 points there)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import pytest
from ortools.sat.python import cp_model

from planner.core.instance import build_instance
from planner.cpsat.aggregate_model import build_aggregate_model
from planner.cpsat.priced_lp import PricedLp
from planner.cpsat.relaxation import READINGS, _dual_of, descend
from planner.domain.market import Market
from tests.conftest import TUE, bus, commune, tiny_params, tiny_scenario
from tests.search.test_plan_brute_force import OVERNIGHT_SEEDS, brute_force_overnight, random_overnight_scenario

SEEDS = range(12)


def two_week_season(seed: int):
    rng = random.Random(2000 + seed)
    communes = [commune(f"182{i:02d}", 47.0 + rng.uniform(-0.15, 0.15), 2.0 + rng.uniform(0.1, 1.4),
                        seniors=rng.choice([20, 80, 200, 500])) for i in range(rng.randint(5, 7))]
    markets = [Market(c.insee, c.name, rng.choice([2, 3, 4, 5]), "", "", "", "weekly", "", "", "t")
               for c in communes if rng.random() < 0.3]
    params = tiny_params(
        need={"catchment_km": rng.choice([0.5, 15.0, 30.0])},
        objective={"km_cost": rng.choice([0.2, 1.0, 2.0]), "idle_day_cost": rng.choice([0.0, 30.0]),
                   "market_bonus": 0.3},
        rules={"min_gap_days": rng.randint(1, 7), "max_visits": rng.randint(1, 3)},
    )
    vehicle = replace(bus(max_drive_minutes=rng.choice([120.0, 150.0, 180.0])), overnight_nights=rng.randint(1, 2))
    return tiny_scenario(communes, markets=markets, params=params, start=TUE, end=TUE + dt.timedelta(days=10),
                         vehicles=[vehicle])


def aggregate_of(scenario):
    instance = build_instance(scenario)
    return build_aggregate_model(instance, (), set(range(len(instance.communes))))


def bounds(am) -> dict[str, int]:
    found = {reading: descend((_dual_of(am, reading, ()),), 3.0) for reading in READINGS + ("ends",)}
    return found | {"priced LP": priced_bound(am)}


def priced_bound(am) -> int | None:
    return PricedLp(am, (), _dual_of(am, "runs", ())).bound(5.0)[0]


def aggregate_optimum(am) -> int:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    assert solver.Solve(am.model) == cp_model.OPTIMAL
    return round(solver.ObjectiveValue())


@pytest.mark.parametrize("seed", OVERNIGHT_SEEDS)
def test_every_reading_holds_the_enumerated_optimum_of_three_days(seed):
    scenario = random_overnight_scenario(seed)
    best = brute_force_overnight(build_instance(scenario))
    for reading, bound in bounds(aggregate_of(scenario)).items():
        assert bound is not None and bound >= best, reading


@pytest.mark.parametrize("seed", SEEDS)
def test_every_reading_holds_the_aggregate_optimum_of_two_weeks(seed):
    am = aggregate_of(two_week_season(seed))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    assert solver.Solve(am.model) == cp_model.OPTIMAL
    best = round(solver.ObjectiveValue())
    for reading, bound in bounds(am).items():
        assert bound is not None and bound >= best, reading


def test_the_two_week_seasons_have_far_communes_and_nights():
    far = nights = 0
    for seed in SEEDS:
        am = aggregate_of(two_week_season(seed))
        far += sum(not am.instance.day_trip(0, s) for s in range(len(am.instance.communes)))
        nights += bool(am.night)
    assert far >= 5 and nights >= 8


def test_the_pairs_reading_is_at_least_as_tight_as_the_ends_and_often_exact():
    exact = 0
    for seed in SEEDS:
        am = aggregate_of(two_week_season(seed))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = 20
        solver.Solve(am.model)
        best = round(solver.ObjectiveValue())
        found = bounds(am)
        assert found["pairs"] <= found["ends"]
        exact += found["pairs"] - best <= 10  # a hundredth of a point
    assert exact >= 6


def test_the_priced_lp_is_the_aggregate_optimum_of_every_two_week_season():
    for seed in SEEDS:
        am = aggregate_of(two_week_season(seed))
        assert priced_bound(am) == aggregate_optimum(am), seed


def test_the_priced_lp_dated_reaches_its_bound_on_every_two_week_season():
    """Its rounded solution, dated as the bus pipeline dates it, is a plan worth the bound: each of
    these seasons is proven optimal by it (4 of them with nights away)."""
    from planner.core.evaluate import evaluate
    from planner.search.dating import place_units

    with_nights = 0
    for seed in SEEDS:
        am = aggregate_of(two_week_season(seed))
        priced = PricedLp(am, (), _dual_of(am, "runs", ()))
        bound = priced.bound(5.0)[0]
        counts, nights = priced.solution.result()
        evaluation = evaluate(am.instance, place_units(am.instance, counts, nights))
        assert not evaluation.violations and evaluation.objective_q == bound, seed
        with_nights += sum(nights.values()) > 0
    assert with_nights >= 4
