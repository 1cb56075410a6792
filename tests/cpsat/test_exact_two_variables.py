"""SCIP's branch and cut on the two-variable model solved by hand in test_relaxation_small_lp:
max 3x + 2y + 10 subject to 2x + 2y <= 7, 0 <= x <= 3, 0 <= y <= 5. The LP optimum is 20
(x = 3, y = 0.5); the integer optimum 19 (x = 3, y = 0), which the MIP must prove."""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.cpsat.exact import MipJob, checked_solution
from tests.cpsat.test_relaxation_small_lp import small_model


def test_the_mip_proves_the_integer_optimum_below_the_lp_bound():
    model, x, y = small_model()
    result = MipJob(model, 10.0).result(timeout=60)
    assert (result.objective, result.bound, result.optimal) == (19, 19, True)
    assert (result.value(x), result.value(y)) == (3, 0)


def test_a_solution_is_checked_in_integers():
    model, x, y = small_model()
    assert checked_solution(model, {x.Index(): 3, y.Index(): 0})[0] == 19
    assert checked_solution(model, {x.Index(): 3, y.Index(): 1}) is None  # 2 x 3 + 2 x 1 > 7


def test_a_continuous_variable_gets_its_best_integer_value_from_the_check():
    """z <= x + y, z in [0, 4], objective + z: left continuous in the MIP, its value comes from
    CP-SAT once x and y are fixed (x = 3, y = 0 gives z = 3, objective 22)."""
    model, x, y = small_model()
    z = model.NewIntVar(0, 4, "z")
    model.Add(z <= x + y)
    model.Maximize(3 * x + 2 * y + 10 + z)
    result = MipJob(model, 10.0, continuous=frozenset({z.Index()})).result(timeout=60)
    assert result.optimal and result.objective == 22 and result.value(z) == 3


def test_models_the_mip_cannot_state_get_no_answer():
    model, x, _y = small_model()
    model.Add(x <= 1).OnlyEnforceIf(model.NewBoolVar("b"))  # not linear
    assert MipJob(model, 10.0).result(timeout=60) is None
    holes = cp_model.CpModel()
    v = holes.NewIntVarFromDomain(cp_model.Domain.FromValues([0, 2, 5]), "v")
    holes.Maximize(v)
    assert MipJob(holes, 10.0).result(timeout=60) is None


def test_a_stopped_search_answers_with_what_it_has():
    """Stopped at once: it answers (None when SCIP had nothing yet, depending on the moment), and
    whatever it answers is true of the model."""
    model, _x, _y = small_model()
    job = MipJob(model, 10.0)
    result = job.stop(patience_s=30.0)
    assert job.done()
    assert result is None or (result.bound >= 19 and result.objective in (None, *range(10, 20)))
