"""Stopping a long solve of the Cher (two buses, a school year, a 10-minute budget): the best plan
found so far comes back, marked stopped, within a second of the request, and breaks no rule."""

from __future__ import annotations

import time

from planner import ScenarioSpec, VehicleSpec, build_scenario, solve
from planner.core.evaluate import evaluate
from planner.core.instance import build_instance

CHER = ScenarioSpec(territory="cher", start="2026-09-07", end="2027-06-25",
                    vehicles=(VehicleSpec("bus-bourges", base="18033"), VehicleSpec("bus-vierzon", base="18279")),
                    params={"solver": {"time_limit_s": 600}})


def test_a_stop_request_returns_the_best_plan_so_far_within_a_second():
    scenario = build_scenario(CHER)
    asked: list[float] = []
    phases: list[str] = []

    def on_event(event):
        phases.append(event.phase)

    def should_stop() -> bool:
        if not asked and any(p in ("aggregate", "greedy", "local_search") for p in phases):
            asked.append(time.perf_counter())
        return bool(asked)

    plan = solve(scenario, on_event=on_event, should_stop=should_stop)
    returned = time.perf_counter()
    assert asked, "the solve never reached a phase with a plan"
    assert returned - asked[0] < 1.0
    assert plan.solver.stopped and plan.solver.status in ("FEASIBLE", "OPTIMAL")
    assert plan.stops and phases[-1] == "done"
    assert evaluate(build_instance(scenario), plan.stops).violations == ()
