"""The Lagrangian bound of the aggregate model (planner/cpsat/relaxation.py) on hand-checked
seasons of Tuesday 8 - Friday 11 September 2026 (tests/conftest.py tiny_params).

- Near: A (150 seniors) and B (300) of tests/search/test_plan_two_communes.py, a bus of 100
  places a stop, two visits at most: the optimum seats 100 + 100 in B and 100 + 50 in A, 350
  points. Nothing couples the communes (no neighbour comes), so the bound is that optimum.
- Far: F1 and F2 of tests/cpsat/constraints/test_overnight_chains_two_far_communes.py (no day
  trip within 180 min, a night away between them saves most of a drive) beside A and B, a bus
  that may stay away two nights, km_cost 0.5: the bound is at least the model's optimum (CP-SAT's)."""

from __future__ import annotations

from dataclasses import replace

from ortools.sat.python import cp_model

from planner.core.instance import VALUE_SCALE, build_instance
from planner.cpsat.aggregate_model import build_aggregate_model
from planner.cpsat.relaxation import lagrangian_bound
from tests.conftest import bus, commune, tiny_params, tiny_scenario
from tests.cpsat.constraints.test_overnight_chains_two_far_communes import F1, F2

A = commune("18001", 47.0, 2.1, seniors=150)
B = commune("18002", 47.0, 2.3, seniors=300)


def aggregate(communes, vehicle, params):
    instance = build_instance(tiny_scenario(list(communes), vehicles=(vehicle,), params=params))
    return build_aggregate_model(instance, (), set(range(len(communes))))


def optimum(am) -> int:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    assert solver.Solve(am.model) == cp_model.OPTIMAL
    return round(solver.ObjectiveValue())


def test_bound_is_the_optimum_when_nothing_couples_two_near_communes():
    am = aggregate((A, B), bus(seats=50), tiny_params())
    assert optimum(am) == 350 * VALUE_SCALE
    assert lagrangian_bound(am, 5.0) == 350 * VALUE_SCALE


def test_bound_holds_above_the_optimum_with_nights_away_between_far_communes():
    am = aggregate((A, B, F1, F2), replace(bus(seats=50), overnight_nights=2),
                   tiny_params(objective={"km_cost": 0.5}))
    assert am.night  # the far pair is chained
    best = optimum(am)
    bound = lagrangian_bound(am, 5.0, target=best)
    assert bound is not None and best <= bound
