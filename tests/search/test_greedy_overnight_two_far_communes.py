"""The greedy and the local search on two communes too far for a day trip (see
test_plan_overnight_two_far_communes for the figures): only a two-day run reaches them. The bus has
50 seats a workshop: a stop seats 100."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from planner.core.evaluate import evaluate
from planner.core.instance import build_instance
from planner.domain.stop import Stop
from planner.search.greedy import greedy_stops
from planner.search.local_search import improve_stops
from tests.conftest import TUE, WED, bus, commune, tiny_params, tiny_scenario

F1 = commune("18001", 47.0, 2.85, seniors=100)
F2 = commune("18002", 47.0, 2.95, seniors=100)
PARAMS = tiny_params(objective={"km_cost": 0.5}, rules={"max_visits": 1})


def overnight_bus(nights: int):
    return replace(bus(max_drive_minutes=180, seats=50), overnight_nights=nights)


@pytest.mark.parametrize("prefer_runs", [False, True])
def test_greedy_reaches_both_far_communes_with_one_night(prefer_runs):
    instance = build_instance(tiny_scenario([F1, F2], params=PARAMS, vehicles=[overnight_bus(1)]))
    stops = greedy_stops(instance, prefer_runs=prefer_runs)
    evaluation = evaluate(instance, stops)
    assert not evaluation.violations
    assert [s.away_after for s in stops] == [True, False]
    assert evaluation.objective_q == pytest.approx(106_070, abs=10)  # the proven optimum


def test_greedy_without_nights_stays_home():
    instance = build_instance(tiny_scenario([F1, F2], params=PARAMS, vehicles=[overnight_bus(0)]))
    assert greedy_stops(instance) == ()


NEAR = commune("18003", 47.0, 2.3, seniors=20)
GOOD = commune("18004", 47.05, 2.35, seniors=200)


def test_local_search_moves_a_day_trip_to_the_better_commune():
    # 100 places: NEAR seats its 20, GOOD 100 of its 200, worth its 10 km more of driving.
    instance = build_instance(tiny_scenario([NEAR, GOOD], params=PARAMS, vehicles=[bus(seats=50)]))
    poor = (Stop(TUE, "bus", "18003"),)
    better = improve_stops(instance, poor, {0, 1}, time.perf_counter() + 5)
    assert [s.insee for s in better] == ["18004"]
    assert evaluate(instance, better).objective_q > evaluate(instance, poor).objective_q


def test_local_search_keeps_a_run_drivable():
    """Swapping the first stop of the run for a near commune would leave F2's day too long (or
    break the chain): the run stays as it is, and so does its value."""
    instance = build_instance(tiny_scenario([F1, F2, NEAR], params=PARAMS, vehicles=[overnight_bus(1)]))
    run = (Stop(TUE, "bus", "18001", away_after=True), Stop(WED, "bus", "18002"))
    after = improve_stops(instance, run, {0, 1, 2}, time.perf_counter() + 5)
    evaluation = evaluate(instance, after)
    assert not evaluation.violations
    assert evaluation.objective_q >= evaluate(instance, run).objective_q
