"""The LP relaxation bound on a two-variable model solved by hand: max 3x + 2y + 10 subject to
2x + 2y <= 7, 0 <= x <= 3, 0 <= y <= 5. Integer optimum 19 (x = 3, y = 0); LP optimum 20
(x = 3, y = 0.5)."""

from __future__ import annotations

import time
from concurrent.futures import Future

from ortools.sat.python import cp_model

from planner.core.control import idle_control
from planner.cpsat.relaxation import lp_bound_in_background, lp_upper_bound
from planner.search.aggregate_race import lp_ready


def small_model():
    model = cp_model.CpModel()
    x = model.NewIntVar(0, 3, "x")
    y = model.NewIntVar(0, 5, "y")
    model.Add(2 * x + 2 * y <= 7)
    model.Maximize(3 * x + 2 * y + 10)
    return model, x, y


def test_lp_bound_is_the_hand_computed_lp_optimum_rounded_up():
    model, _x, _y = small_model()
    assert lp_upper_bound(model, 5.0) == 20  # integer objective: the LP optimum rounded down
    solver = cp_model.CpSolver()
    solver.Solve(model)
    assert solver.ObjectiveValue() == 19 <= lp_upper_bound(model, 5.0)


def test_models_that_are_not_linear_get_no_lp_bound():
    model, x, y = small_model()
    b = model.NewBoolVar("b")
    model.Add(x <= 1).OnlyEnforceIf(b)
    assert lp_upper_bound(model, 5.0) is None


def test_minimisation_gets_no_upper_bound():
    model = cp_model.CpModel()
    x = model.NewIntVar(0, 3, "x")
    model.Minimize(x)
    assert lp_upper_bound(model, 5.0) is None


def test_background_bound_is_the_same_and_ignores_later_changes():
    """Built when called: a constraint added afterwards (as hints are) does not reach the LP."""
    model, x, _y = small_model()
    job = lp_bound_in_background(model, 5.0)
    model.Add(x <= 0)
    assert job.result(timeout=30) == 20
    assert lp_upper_bound(model, 5.0) == 17  # with x = 0: y = 3.5, 2 x 3.5 + 10


def test_background_bound_of_a_model_that_is_not_linear_is_none():
    model, x, _y = small_model()
    model.Add(x <= 1).OnlyEnforceIf(model.NewBoolVar("b"))
    assert lp_bound_in_background(model, 5.0).result(timeout=30) is None


def test_a_bound_not_solved_by_the_deadline_is_not_waited_for():
    pending: Future = Future()
    assert lp_ready(pending, time.perf_counter() + 0.05, idle_control()) is None
    pending.set_result(20)
    assert lp_ready(pending, time.perf_counter(), idle_control()) == 20
    assert lp_ready(None, time.perf_counter() + 1, idle_control()) is None
