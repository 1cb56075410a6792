"""Participants (planner/core/participants.py) on a town and a village east of an EPN.

Geometry (latitude 47, 1 degree of longitude = 75.8 km, road = 1.3 x geodesic): the EPN and the
base at longitude 2.0; the town T (2,000 seniors) 3.85 km east, 5.02 road km from the EPN: its
access gap is 5.02 / 15 = 0.335 (tiny_params: gap from 0 to 15 km); the village V (150 seniors)
18.95 km east, 24.7 road km from help: gap 1. tiny_params' 0.5 km catchment keeps each commune's seniors at home. Here
take_up 0.2 (a visit draws T 400, V 30) and season_share 0.25 (pools: T 500, V 37.5), gap_weight 2:
a seat is worth w(T) = 1 + 2 x 0.335 = 1.67 (167 objective integers per tenth of a participant) and
w(V) = 3 (300). The worked example of planner/core/participants.py, without the neighbours' arcs.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from planner.core.evaluate import evaluate
from planner.core.instance import build_instance
from planner.core.participants import FLOW_SCALE, Seating, arc_caps_q, seat
from planner.domain.stop import Stop
from tests.conftest import THU, TUE, bus, commune, service_point, solve_checked, tiny_params, tiny_scenario

TOWN = commune("18001", 47.0, 2.0508, seniors=2000, name="Bourg")
VILLAGE = commune("18002", 47.0, 2.25, seniors=150, name="Hameau")
EPN = service_point("18000", 47.0, 2.0)
PARAMS = tiny_params(need={"take_up": 0.2, "season_share": 0.25}, objective={"gap_weight": 2.0})


def one_day(seats: int = 12):
    """A season of one working day (Tuesday 8 September 2026) for a bus of ``seats`` per workshop."""
    vehicle = bus()
    vehicle = type(vehicle)(**{**vehicle.__dict__, "seats": seats})
    return tiny_scenario([TOWN, VILLAGE], points=[EPN], params=PARAMS, start=TUE, end=TUE, vehicles=[vehicle])


def test_with_24_seats_the_village_wins():
    # A stop in V seats 24 of its 30: 240 x 300 = 72.0 points; in T, 24 of its 400: 240 x 167
    # = 40.08 points. The one day goes to the village.
    instance, plan = solve_checked(one_day())
    assert [s.insee for s in plan.stops] == ["18002"]
    assert plan.solver.objective == pytest.approx(72.0)
    assert plan.metrics.seats == 24 and plan.metrics.participants == 24
    assert plan.metrics.participants_far == 24  # V is 24.6 km from help, more than far_km = 10
    assert instance.counts_value_q({0: 1}) == 40_080


def test_without_the_cap_the_town_wins():
    # 1,000 seats per workshop: V would seat the 30 a visit draws, 300 x 300 = 90.0 points, T its
    # 400, 4,000 x 167 = 668.0 points: the town wins, as the old uncapped value always had it.
    _, plan = solve_checked(one_day(seats=1000))
    assert [s.insee for s in plan.stops] == ["18001"]
    assert plan.solver.objective == pytest.approx(668.0)
    assert plan.metrics.participants == 400


def test_a_village_visited_twice_has_only_its_pool():
    # Tuesday and Thursday in V: each visit draws 30 villagers (2 x 30 = 60 over 48 places), but
    # V's season pool holds 150 x 0.25 = 37.5: the first day seats 24, the second the 13.5 left
    # (not 24 again): 37.5 participants, 375 tenths x 300 = 112,500, each stop credited half.
    instance = build_instance(tiny_scenario([TOWN, VILLAGE], points=[EPN], params=PARAMS))
    stops = [Stop(TUE, "bus", "18002"), Stop(THU, "bus", "18002")]
    evaluation = evaluate(instance, stops)
    assert evaluation.metrics.participants == 38 and evaluation.metrics.seats == 48  # 37.5, a whole figure
    assert evaluation.objective_q == 112_500
    assert [s.participants for s in evaluation.stops] == [18.8, 18.8]  # 18.75 each, rounded
    assert evaluation.stops[0].origins == (("18002", "Hameau", 18.8),)


def test_a_village_visited_twice_draws_its_take_up_each_time():
    # take_up 0.1: a visit in V draws 15 villagers, so 2 visits seat 30 of their 48 places, within
    # the pool of 37.5: 300 tenths x 300 = 90,000, 15 a stop. (As a season pool, the calibrated
    # share before seated 15 in all: the second visit drew nobody.)
    params = tiny_params(need={"take_up": 0.1, "season_share": 0.25}, objective={"gap_weight": 2.0})
    instance = build_instance(tiny_scenario([TOWN, VILLAGE], points=[EPN], params=params))
    evaluation = evaluate(instance, [Stop(TUE, "bus", "18002"), Stop(THU, "bus", "18002")])
    assert evaluation.metrics.participants == 30
    assert evaluation.objective_q == 90_000
    assert [s.participants for s in evaluation.stops] == [15.0, 15.0]


def brute_force(seating: Seating, supply_q: np.ndarray, visits: np.ndarray) -> int:
    """Best value over every integer flow on the arcs (tiny cases only)."""
    stops, homes = seating.arcs
    caps = arc_caps_q(seating, visits)
    best = 0
    for flows in itertools.product(*(range(int(caps[s, c]) + 1) for s, c in zip(stops, homes))):
        out = np.zeros(len(supply_q), dtype=np.int64)
        into = np.zeros(len(supply_q), dtype=np.int64)
        for f, s, c in zip(flows, stops, homes):
            out[s] += f
            into[c] += f
        if (out <= supply_q).all() and (into <= seating.pool_q).all():
            best = max(best, sum(int(seating.weight_q[c]) * f for f, c in zip(flows, homes)))
    return best


@pytest.mark.parametrize("supply, visits", [((3, 0), (1, 0)), ((0, 4), (0, 1)), ((2, 2), (1, 1)), ((5, 1), (2, 1)),
                                            ((9, 9), (2, 2))])
def test_min_cost_flow_equals_brute_force_on_two_communes(supply, visits):
    # Two communes that draw on each other (per-visit caps 1..3 tenths, pools 4 and 3), weights 1
    # and 3: the evaluator's min-cost flow must find the best of every feasible integer flow.
    seating = Seating(pool_q=np.array([4, 3]), weight=np.array([1.0, 3.0]), weight_q=np.array([100, 300]),
                      cap_q=np.array([[3, 2], [1, 2]]))
    supply_q, visits_q = np.array(supply, dtype=np.int64), np.array(visits, dtype=np.int64)
    assert seat(seating, supply_q, visits_q).value_q == brute_force(seating, supply_q, visits_q)


def test_flows_are_whole_tenths_of_the_pools():
    # Pools are seniors x season_share rounded once, to tenths: V's 150 x 0.25 = 37.5 -> 375 units;
    # what a visit draws, seniors x take_up: V's 150 x 0.2 = 30.0 -> 300 units.
    instance = build_instance(one_day())
    assert list(instance.seating.pool_q) == [5000, 375]
    assert np.diag(instance.seating.cap_q).tolist() == [4000, 300]
    assert FLOW_SCALE == 10
