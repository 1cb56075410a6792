"""add_seat_flows alone, on commune A (its 0.5 km catchment reaches only its own seniors: one arc
A -> A) with a visit count fixed by the test. tiny_params: take_up 1 and season_share 1, so a visit
may draw all of A's seniors and A's pool is its seniors; a bus stop has 2 workshops x 12 seats = 24
places; flows are in tenths of a participant."""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.core.instance import build_instance
from planner.cpsat.seats import add_seat_flows, flow_terms
from tests.conftest import commune, tiny_params, tiny_scenario


def seated(visits: int, seniors: float, **need) -> tuple[int, int]:
    """(flow A -> A at the optimum, optimum) with ``visits`` stops in a commune of ``seniors``."""
    scenario = tiny_scenario([commune("18001", 47.01, 2.0, seniors=seniors)], params=tiny_params(need=need))
    instance = build_instance(scenario)
    model = cp_model.CpModel()
    count = model.NewIntVar(visits, visits, "visits_A")
    places = instance.places_q(0)
    flows = add_seat_flows(model, instance, {0: places * count}, {0: places * 2}, {0: count})
    model.Maximize(sum(flow_terms(instance, flows)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.Solve(model) == cp_model.OPTIMAL
    return (solver.Value(flows[0, 0]) if (0, 0) in flows else 0), round(solver.ObjectiveValue())


def test_one_visit_seats_its_places():
    # 100 seniors would come, 24 places: the places bind, 24 participants = 240 tenths, each worth
    # weight_q = 1000 / 10 = 100 objective integers (w = 1 with gap_weight 0): 24,000.
    assert seated(1, 100) == (240, 24_000)


def test_two_visits_draw_on_what_is_left_of_the_pool():
    # 30 seniors, 48 places: the pool binds, the second visit seats only the 6 left.
    assert seated(2, 30) == (300, 30_000)


def test_a_visit_draws_at_most_its_take_up():
    # take_up 0.1: a visit draws 100 x 0.1 = 10 seniors (100 tenths) although it has 24 places;
    # two visits draw 20 (200 tenths, 20,000), within the 48 places and the pool of 100.
    assert seated(1, 100, take_up=0.1) == (100, 10_000)
    assert seated(2, 100, take_up=0.1) == (200, 20_000)


def test_the_season_pool_caps_what_visits_draw():
    # take_up 0.1, season_share 0.15: two visits would draw 2 x 10 but the pool holds 15 (150 tenths).
    assert seated(2, 100, take_up=0.1, season_share=0.15) == (150, 15_000)


def test_no_visit_seats_nobody():
    assert seated(0, 100) == (0, 0)  # a commune that may get no visit has no flow at all
