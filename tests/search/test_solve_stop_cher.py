"""Stopping a long solve of the Cher (two buses, a school year, a 10-minute budget): the best plan
found so far comes back, marked stopped, within a second of the request, and breaks no rule.

"Within a second" is measured from the moment ``should_stop`` first says yes to the return, in
the process's CPU time (every thread: CP-SAT's workers, SCIP's, the finishing work): at most one
second on each of the machine's two cores. Unlike the wall clock, this does not stretch when six
other jobs share the machine (wall times of 2.5-2.9 s were measured at a load of 8 for 0.68 CPU
seconds); a stop that was ignored would burn two cores for the 10 minutes of the budget. The wall
time still gets a generous net (10 s), and no thread may go on searching after the return."""

from __future__ import annotations

import time

from planner import ScenarioSpec, VehicleSpec, build_scenario, solve
from planner.core.evaluate import evaluate
from planner.core.instance import build_instance

CORES = 2  # of the machine the contract is stated for
WALL_NET_S = 10.0
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
            asked.append((time.perf_counter(), time.process_time()))
        return bool(asked)

    plan = solve(scenario, on_event=on_event, should_stop=should_stop)
    returned, cpu_returned = time.perf_counter(), time.process_time()
    assert asked, "the solve never reached a phase with a plan"
    wall, cpu = returned - asked[0][0], cpu_returned - asked[0][1]
    assert cpu <= CORES * 1.0, f"{cpu:.2f} CPU s after the stop request"
    assert wall <= WALL_NET_S, f"{wall:.2f} s after the stop request"
    time.sleep(0.5)
    assert time.process_time() - cpu_returned < 0.1  # nothing searches on behind the returned plan
    assert plan.solver.stopped and plan.solver.status in ("FEASIBLE", "OPTIMAL")
    assert plan.stops and phases[-1] == "done"
    assert evaluate(build_instance(scenario), plan.stops).violations == ()
