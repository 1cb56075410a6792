"""The run move on the two far communes of test_plan_overnight_two_far_communes (Tue 8 - Wed 9
Sept 2026, one night away allowed, max 1 visit, km cost 0.5 point, 50 seats a workshop), with NEAR,
a day trip of 20 seniors. Started from a day trip to NEAR on Tuesday and nothing on Wednesday, the
stop-by-stop swaps cannot reach F1 or F2 (a day trip stays a day trip, and neither is one). Taking
both days out and putting in the run base -> F1, night, F1 -> F2 -> base seats 100 + 100 and drives
84.04 + 9.89 + 93.93 km: 200 - 0.5 x 187.86 = 106.07 points, with no idle day (the proven optimum
there; NEAR in a run would seat 20 instead of 100)."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from planner.core.evaluate import evaluate, plan_value
from planner.core.instance import build_instance
from planner.domain.stop import Stop
from planner.search.local_search import improve_stops
from planner.search.run_moves import improve_runs
from tests.conftest import TUE, WED, bus, commune, tiny_params, tiny_scenario

F1 = commune("18001", 47.0, 2.85, seniors=100)
F2 = commune("18002", 47.0, 2.95, seniors=100)
NEAR = commune("18003", 47.0, 2.3, seniors=20)
PARAMS = tiny_params(objective={"km_cost": 0.5}, rules={"max_visits": 1})


def _instance():
    vehicle = replace(bus(max_drive_minutes=180, seats=50), overnight_nights=1)
    return build_instance(tiny_scenario([F1, F2, NEAR], params=PARAMS, vehicles=[vehicle], start=TUE, end=WED))


@pytest.mark.parametrize("checked", [False, True])
def test_run_move_replaces_a_day_trip_by_the_run_to_both_far_communes(checked):
    instance = _instance()
    start = (Stop(TUE, "bus", "18003"),)
    assert improve_stops(instance, start, {0, 1, 2}, time.perf_counter() + 5) == start  # swaps cannot
    exact = (lambda stops: plan_value(instance, stops)[0]) if checked else None
    after = improve_runs(instance, start, {0, 1, 2}, time.perf_counter() + 5, exact=exact)
    evaluation = evaluate(instance, after)
    assert not evaluation.violations
    assert [(s.date, s.away_after) for s in after] == [(TUE, True), (WED, False)]
    assert {s.insee for s in after} == {"18001", "18002"}
    assert evaluation.objective_q == pytest.approx(106_070, abs=10)
    assert evaluation.objective_q > evaluate(instance, start).objective_q


def test_run_move_keeps_the_best_run():
    instance = _instance()
    run = (Stop(TUE, "bus", "18001", away_after=True), Stop(WED, "bus", "18002"))
    assert improve_runs(instance, run, {0, 1, 2}, time.perf_counter() + 5) == run
