"""The priced LP's certificate (planner/cpsat/priced_lp.py) on max 3x + 2y, x + y <= 4, x <= 3,
x, y in 0..10, whose LP optimum is 11 (x = 3, y = 1): GLOP's duals certify 11, and any other row
prices certify a bound no lower (zero prices: every variable at its best bound, 50)."""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from planner.cpsat.priced_lp import _certified, _Lp, _solve


def two_variables() -> _Lp:
    model = cp_model.CpModel()
    x, y = model.NewIntVar(0, 10, "x"), model.NewIntVar(0, 10, "y")
    model.Add(x + y <= 4)
    model.Add(x <= 3)
    model.Maximize(3 * x + 2 * y)
    return _Lp(model.Proto())


def test_glop_duals_certify_the_lp_optimum_of_two_variables():
    lp = two_variables()
    duals, values = _solve(lp, 5.0, lambda: False)
    assert _certified(lp, duals) == 11
    assert np.allclose(values, [3, 1])


def test_any_row_prices_certify_at_least_the_optimum_of_two_variables():
    lp = two_variables()
    assert _certified(lp, np.zeros(2)) == 50
    rng = np.random.default_rng(0)
    for _ in range(200):
        assert _certified(lp, rng.normal(scale=3.0, size=2)) >= 11

