"""A bus allowed one night away reaches two communes too far for a day trip (Tue 8 - Fri 11 Sept 2026).

F1 is 100.8 min from the base (84.04 road km), F2 112.7 min (93.93 km), F1-F2 11.9 min (9.89 km);
the daily limit is 180 min, so neither is a day trip (202 and 225 min). With one night allowed:
Tuesday base -> F1, sleep near F1; Wednesday F1 -> F2 -> base = 124.6 min. Seniors 100 each, no
service nearby, no neighbour audience, max 1 visit, km cost 0.5 point; the bus has 50 seats a
workshop, so a stop seats all 100 (take_up 1) at 1 point a seat:
objective = 200 - 0.5 x (84.04 + 9.89 + 93.93) = 106.07 (F2 first then F1 costs the same).
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from planner.core.evaluate import evaluate
from planner.core.instance import build_instance
from planner.cpsat.sequencing import sequence_week_cpsat, sequence_week_routing
from planner.domain.stop import Stop
from tests.conftest import FRI, THU, TUE, WED, bus, commune, solve_checked, tiny_params, tiny_scenario

F1 = commune("18001", 47.0, 2.85, seniors=100)
F2 = commune("18002", 47.0, 2.95, seniors=100)
PARAMS = tiny_params(objective={"km_cost": 0.5}, rules={"max_visits": 1})


def overnight_bus(nights: int):
    return replace(bus(max_drive_minutes=180, seats=50), overnight_nights=nights)


def test_one_night_away_reaches_both_far_communes():
    instance, plan = solve_checked(tiny_scenario([F1, F2], params=PARAMS, vehicles=[overnight_bus(1)]))
    assert not instance.day_trip(0, 0) and not instance.day_trip(0, 1)
    assert plan.solver.status == "OPTIMAL"
    assert plan.solver.objective == pytest.approx(106.07, abs=0.01)
    first, second = plan.stops
    assert (second.date - first.date).days == 1 and first.away_after and not second.away_after
    assert first.km + second.km == pytest.approx(84.04 + 9.89 + 93.93, abs=0.1)


def test_without_nights_away_they_are_out_of_reach():
    _, plan = solve_checked(tiny_scenario([F1, F2], params=PARAMS, vehicles=[overnight_bus(0)]))
    assert plan.stops == () and plan.solver.objective == 0


def test_evaluator_rejects_a_week_that_ends_away_and_too_many_nights():
    instance = build_instance(tiny_scenario([F1, F2], params=PARAMS, vehicles=[overnight_bus(1)]))
    ends_away = (Stop(THU, "bus", "18001", away_after=True), Stop(FRI, "bus", "18002", away_after=True))
    rules = {v.rule for v in evaluate(instance, ends_away).violations}
    assert {"week_ends_away", "too_many_nights"} <= rules
    day_trip = (Stop(TUE, "bus", "18001"),)
    assert {v.rule for v in evaluate(instance, day_trip).violations} == {"driving_limit"}


NEAR = [commune(f"1801{i}", 47.0 + 0.05 * (i % 2), 2.2 + 0.12 * i, seniors=50 + 10 * i) for i in range(4)]


def brute_force_week(instance, stops, days):
    """Best (objective, stops) over every date order and night pattern of the week's stops."""
    best = None
    for dates in itertools.permutations(days, len(stops)):
        for nights in itertools.product([False, True], repeat=len(stops)):
            trial = tuple(replace(s, date=d, away_after=n) for s, d, n in zip(stops, dates, nights))
            evaluation = evaluate(instance, trial)
            if evaluation.violations:
                continue
            if best is None or evaluation.objective_q > best[0]:
                best = (evaluation.objective_q, trial)
    return best


@pytest.mark.parametrize("nights", [1, 2])
def test_week_sequencing_by_cpsat_is_optimal_and_routing_is_valid(nights):
    scenario = tiny_scenario(NEAR, params=tiny_params(objective={"km_cost": 1.0}, rules={"max_visits": 1}),
                             vehicles=[overnight_bus(nights)])
    instance = build_instance(scenario)
    days = [TUE, WED, THU, FRI]
    stops = [Stop(d, "bus", c.insee) for d, c in zip(days, NEAR)]
    expected, _ = brute_force_week(instance, stops, days)
    sequenced = sequence_week_cpsat(instance, 0, days, stops, {})
    assert evaluate(instance, tuple(sequenced)).objective_q == expected
    routed = sequence_week_routing(instance, 0, days, stops, {})
    if routed is not None:
        evaluation = evaluate(instance, tuple(routed))
        assert evaluation.violations == () and evaluation.objective_q <= expected
