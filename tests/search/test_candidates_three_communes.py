"""Candidates are the communes a vehicle can reach, on three communes east of the base (tests/conftest.py):
Near (0.1° east, ~10 road km), Away (1.0° east, ~99 road km: ~119 min each way at 50 km/h, a round
trip of ~238 min, beyond the 180 min day but within one leg of it) and Beyond (3.0° east, ~297 road
km, ~357 min: out of reach even for a bus that sleeps away). The bus works Tue 8 - Fri 11 Sept 2026."""

from __future__ import annotations

from dataclasses import replace

from planner.core.instance import build_instance
from planner.exports.plan_report import format_plan, plan_summary
from planner.search.candidates import filter_candidates, reachable_candidates
from tests.conftest import bus, commune, solve_checked, tiny_scenario

NEAR, AWAY, BEYOND = 0, 1, 2
COMMUNES = [commune("18001", 47.0, 2.1), commune("18002", 47.0, 3.0), commune("18003", 47.0, 5.0)]


def scenario(nights: int = 0):
    return tiny_scenario(COMMUNES, vehicles=(replace(bus(), overnight_nights=nights),))


def test_a_commune_beyond_reach_is_no_candidate_and_the_report_says_how_many_are_left():
    instance = build_instance(scenario())
    assert reachable_candidates(instance, ()) == {NEAR}
    assert filter_candidates(instance, (), 1) == {NEAR}
    _, plan = solve_checked(scenario())
    assert (plan.solver.candidates, plan.solver.communes) == (1, 3)
    summary = plan_summary(plan)
    assert (summary["candidates"], summary["communes"]) == (1, 3)
    assert "Communes candidates : 1 atteignables sur 3" in format_plan(plan, summary)


def test_nights_away_bring_a_far_commune_within_reach_but_not_one_beyond_a_days_drive():
    instance = build_instance(scenario(nights=2))
    assert reachable_candidates(instance, ()) == {NEAR, AWAY}
    _, plan = solve_checked(scenario(nights=2))
    assert (plan.solver.candidates, plan.solver.communes) == (2, 3)
