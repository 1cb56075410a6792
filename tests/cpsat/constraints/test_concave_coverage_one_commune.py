"""add_concave_coverage alone, on commune A (its 0.5 km catchment reaches only its own seniors:
audience_q[A, A] = 100 exposure units a stop) with a visit count fixed by the test, max_visits 2
and repeat_decay 0.5: two segments of 100 units, the second worth half the first."""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.core.instance import build_instance
from planner.cpsat.coverage import add_concave_coverage
from tests.conftest import tiny_scenario
from tests.cpsat.constraints.tiny import A


def covered(visits: int) -> tuple[list[int], int, int]:
    """(segments filled at the optimum, optimum, slope of segment 1) with ``visits`` stops in A."""
    instance = build_instance(tiny_scenario([A]))
    model = cp_model.CpModel()
    count = model.NewIntVar(visits, visits, "visits_A")
    cover = add_concave_coverage(model, instance, {0: count}, instance.params.rules.max_visits)
    objective = sum(int(instance.slope_q[0, k]) * var for k, var in enumerate(cover[0]))
    model.Maximize(objective)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.Solve(model) == cp_model.OPTIMAL
    return [solver.Value(v) for v in cover[0]], round(solver.ObjectiveValue()), int(instance.slope_q[0, 0])


def test_one_visit_fills_the_first_segment_only():
    # Binding: exposure 100 caps the segments' sum; the first (steeper) takes it all: [100, 0].
    segments, value, slope = covered(1)
    assert segments == [100, 0] and value == 100 * slope


def test_two_visits_fill_both_segments_the_second_at_half_value():
    # Not binding: exposure 200 >= 2 x 100; value 100 x slope + 100 x slope / 2.
    segments, value, slope = covered(2)
    assert segments == [100, 100] and value == 100 * slope + 100 * (slope // 2)


def test_no_visit_covers_nothing():
    assert covered(0)[:2] == ([0, 0], 0)

