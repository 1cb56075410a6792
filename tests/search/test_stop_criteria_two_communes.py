"""The stop criteria passed to a solve (planner/search/criteria.py: time limit, cancel, gap), on the
two-commune season of tests/search/test_plan_two_communes.py (100 places a stop, a seat worth 1
point) with A reduced to 90 seniors, plus C (50 seniors, 46.9 N 2.1 E), with a should request for
A on Tuesday 8 September (bonus 100).

Greedy plan, day by day: B Tue (100), A Wed (90), B Thu (100, the rest of B's 300), C Fri (50; a
second stop in A would seat nobody) = 340, without the request's bonus. Optimum: A Tue (90 + 100),
B Wed and Fri (200), C Thu (50) = 440 (the aggregate model's bound, proven by SCIP). The greedy
plan's gap is (440 - 340) / 340 = 29.4 %."""

from __future__ import annotations

from dataclasses import replace

import pytest

from planner.core.control import PHASES
from planner.domain.request import Request
from planner.search.solve import StopCriteria, solve
from tests.conftest import TUE, WED, commune
from tests.search.test_plan_two_communes import A, B, tiny_scenario

A = replace(A, seniors=90)

C = commune("18003", 46.9, 2.1, seniors=50)
REQUEST = Request("S", "18001", ((TUE, TUE),), priority="should")


def solved(criteria: StopCriteria, **kwargs):
    events = []
    plan = solve(tiny_scenario([A, B, C], requests=[REQUEST], **kwargs), on_event=events.append, criteria=criteria)
    return plan, [e.phase for e in events]


def test_without_a_gap_the_season_model_reaches_the_optimum():
    plan, phases = solved(StopCriteria(10.0))
    assert plan.solver.status == "OPTIMAL" and plan.solver.objective == pytest.approx(440)
    assert "season" in phases


def test_a_gap_of_half_stops_once_the_greedy_plan_is_proven_within_it():
    # After the aggregate race the greedy plan (340) is within 29.4 % of the bound (440) <= 50 %:
    # the season model is never built, the greedy plan comes back with its honest gap.
    plan, phases = solved(StopCriteria(10.0, gap=0.5))
    assert phases == ["model", "greedy", "aggregate", "done"]
    assert plan.solver.objective == pytest.approx(340) and plan.solver.bound == pytest.approx(440)
    assert plan.solver.gap == pytest.approx(100 / 340, abs=1e-6) and plan.solver.status == "FEASIBLE"
    assert not plan.solver.stopped


def test_a_gap_tighter_than_the_greedy_plans_goes_on_to_the_optimum():
    plan, phases = solved(StopCriteria(10.0, gap=0.1))
    assert plan.solver.objective == pytest.approx(440) and "season" in phases


def test_a_cancel_already_asked_stops_at_once_with_the_greedy_plan():
    # 600 s allowed, but the cancel is true before the solve starts: no search phase runs.
    plan, phases = solved(StopCriteria(600.0, cancel=lambda: True))
    assert phases == ["model", "greedy", "done"]
    assert plan.solver.stopped and not plan.solver.reproducible
    assert plan.solver.objective == pytest.approx(340) and plan.solver.bound is None


def test_should_stop_and_criteria_are_one_or_the_other():
    with pytest.raises(TypeError, match="not both"):
        solve(tiny_scenario([A, B]), should_stop=lambda: False, criteria=StopCriteria(1.0))


def test_good_enough_is_a_proof_at_gap_zero_and_a_tolerance_above():
    assert StopCriteria(1.0).good_enough(700, 700) and not StopCriteria(1.0).good_enough(699, 700)
    assert StopCriteria(1.0, gap=0.2).good_enough(600, 700) and not StopCriteria(1.0, gap=0.1).good_enough(600, 700)
    assert not StopCriteria(1.0, gap=1.0).good_enough(600, None)  # no bound, no proof


def test_every_phase_of_a_bus_replan_is_one_of_phases():
    # Published: the optimum above; then a must request for C on Wednesday: the repair and the exact
    # re-plan of the touched days run, and emit "repair" and "replan".
    plan, _ = solved(StopCriteria(10.0))
    must = Request("M", "18003", ((WED, WED),), priority="must")
    events = []
    solve(tiny_scenario([A, B, C], requests=[REQUEST, must]), previous=plan.stops, on_event=events.append)
    phases = [e.phase for e in events]
    assert {"repair", "replan"} <= set(phases) and set(phases) <= set(PHASES)
    assert all(PHASES[p] for p in phases)  # each has its French label
