"""Two communes, Tuesday to Friday, and a time limit already spent when the search starts (the
command line counts loading against the limit: `--time-limit 2` on the Cher loads for 1.2-1.4 s).
The greedy start still gets its floor (the first test: without it the Cher's greedy, which needs
0.04 s, placed nothing and the plan had 115 idle days), and a spent limit still ends in a plan that
keeps every rule (the second: on this tiny season the aggregate race may give it too)."""

from __future__ import annotations

import time

from planner.core.instance import build_instance
from planner.search.budget import GREEDY_FLOOR_S, Budget
from planner.search.bus_pipeline import solve_instance
from planner.search.criteria import StopCriteria
from tests.conftest import assert_invariants, commune, tiny_params, tiny_scenario

NEAR = commune("18001", 47.0, 2.1, seniors=400)
OTHER = commune("18002", 47.05, 2.05, seniors=300)


def test_greedy_deadline_is_never_sooner_than_its_floor():
    spent = Budget(limit=2.0, started=time.perf_counter() - 10.0, reproducible=False, communes=286)
    assert spent.greedy_deadline() >= time.perf_counter() + GREEDY_FLOOR_S - 0.05


def test_two_communes_with_the_limit_spent_before_the_search_still_get_stops():
    instance = build_instance(tiny_scenario([NEAR, OTHER], params=tiny_params(rules={"min_gap_days": 1})))
    criteria = StopCriteria(time_limit_s=1.0, started=time.perf_counter() - 5.0)
    plan = solve_instance(instance, criteria=criteria)
    assert plan.stops, "an empty plan: the greedy start had no time at all"
    assert plan.metrics.idle_days < len(instance.working_days(0))
    assert_invariants(instance, plan)
