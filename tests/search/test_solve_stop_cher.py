"""Stopping a long solve of the Cher (two buses, a school year, a 10-minute budget): the best plan
found so far comes back, marked stopped, within a second of the request, and breaks no rule.

"Within a second" is measured from the moment ``should_stop`` first says yes to the return, in
the process's CPU time (every thread: CP-SAT's workers, the finishing work, and the child
processes SCIP and CLP run in, once reaped): at most one second on each of the machine's two
cores. Unlike the wall clock, this does not stretch when six other jobs share the machine (wall
times of 2.5-2.9 s were measured at a load of 8 for 0.68 CPU seconds); a stop that was ignored
would burn two cores for the 10 minutes of the budget. The wall time still gets a generous net
(10 s). Once the plan is back, nothing of the solve runs on: no thread beside those that were
there before, no child process, no CPU spent (SCIP's root LP on the Cher with nights away does
not hear an interrupt for seconds, and used to search on for 20-40 s behind a stopped solve)."""

from __future__ import annotations

import os
import resource
import threading
import time
from dataclasses import replace
from pathlib import Path

from planner import ScenarioSpec, VehicleSpec, build_scenario, solve
from planner.core.evaluate import evaluate
from planner.core.instance import build_instance

CORES = 2  # of the machine the contract is stated for
WALL_NET_S = 10.0
AFTER_S = 0.5  # watched after the return
IDLE_CPU_S = 0.1  # at most used meanwhile (the test's own sampling)
CHER = ScenarioSpec(territory="cher", start="2026-09-07", end="2027-06-25",
                    vehicles=(VehicleSpec("bus-bourges", base="18033"), VehicleSpec("bus-vierzon", base="18279")),
                    params={"solver": {"time_limit_s": 600}})
# The README's Cher with two buses, the second allowed two nights away: SCIP searches its
# aggregate model for 7 s and more, so a stop or a short limit finds it in the middle.
CHER_NIGHTS = ScenarioSpec(territory="cher", start="2026-09-07", end="2027-06-25",
                           vehicles=(VehicleSpec("bus-bourges", base="18033", weekdays="tue-fri"),
                                     VehicleSpec("bus-vierzon", base="18279", weekdays="mon-thu",
                                                 max_drive_minutes=180, overnight_nights=2)),
                           params={"solver": {"time_limit_s": 600}})


def cpu_s() -> float:
    """CPU seconds of this process and of its children that have ended."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def child_processes() -> list[int]:
    """Live processes whose parent is this one (Linux's /proc)."""
    me, found = str(os.getpid()), []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def assert_nothing_runs_on(threads_before: set[threading.Thread]) -> None:
    returned = cpu_s()
    assert set(threading.enumerate()) <= threads_before, [t.name for t in threading.enumerate()]
    assert child_processes() == []
    time.sleep(AFTER_S)
    assert cpu_s() - returned < IDLE_CPU_S


def test_a_stop_request_returns_the_best_plan_so_far_within_a_second():
    scenario = build_scenario(CHER)
    asked: list[float] = []
    phases: list[str] = []
    before = set(threading.enumerate())

    def on_event(event):
        phases.append(event.phase)

    def should_stop() -> bool:
        if not asked and any(p in ("aggregate", "greedy", "local_search") for p in phases):
            asked.append((time.perf_counter(), cpu_s()))
        return bool(asked)

    plan = solve(scenario, on_event=on_event, should_stop=should_stop)
    returned, cpu_returned = time.perf_counter(), cpu_s()
    assert asked, "the solve never reached a phase with a plan"
    wall, cpu = returned - asked[0][0], cpu_returned - asked[0][1]
    assert cpu <= CORES * 1.0, f"{cpu:.2f} CPU s after the stop request"
    assert wall <= WALL_NET_S, f"{wall:.2f} s after the stop request"
    assert_nothing_runs_on(before)
    assert plan.solver.stopped and plan.solver.status in ("FEASIBLE", "OPTIMAL")
    assert plan.stops and phases[-1] == "done"
    assert evaluate(build_instance(scenario), plan.stops).violations == ()


def test_a_stop_while_scip_is_in_its_root_lp_leaves_nothing_searching():
    """Stopped a second after the greedy start, while SCIP solves the root LP of the aggregate
    model with nights away: the plan comes back and SCIP's child process is gone with it."""
    scenario = build_scenario(CHER_NIGHTS)
    phases: list[tuple[str, float]] = []
    before = set(threading.enumerate())
    plan = solve(scenario, on_event=lambda event: phases.append((event.phase, time.perf_counter())),
                 should_stop=lambda: any(p == "greedy" and time.perf_counter() > t + 1.0 for p, t in phases))
    returned = time.perf_counter()
    greedy = next(t for p, t in phases if p == "greedy")
    assert returned - (greedy + 1.0) <= WALL_NET_S
    assert_nothing_runs_on(before)
    assert plan.solver.stopped and plan.stops


def test_a_short_time_limit_leaves_nothing_searching():
    """A 4 s limit ends the same solve in the middle of SCIP's search: nothing runs on after it."""
    scenario = build_scenario(replace(CHER_NIGHTS, params={"solver": {"time_limit_s": 4}}))
    before = set(threading.enumerate())
    started = time.perf_counter()
    plan = solve(scenario)
    assert time.perf_counter() - started <= 4 + WALL_NET_S
    assert_nothing_runs_on(before)
    assert not plan.solver.stopped and plan.stops


def test_an_interrupt_raised_in_the_middle_of_the_solve_still_ends_its_searches():
    """A KeyboardInterrupt out of the solve (a second Ctrl-C, raised wherever the main thread is:
    here in its progress handler, right after the greedy start, SCIP searching) leaves through
    the solve's control, which ends SCIP's child process on the way: nothing searches on while
    the command prints its message and exits."""
    scenario = build_scenario(CHER_NIGHTS)
    before = set(threading.enumerate())

    def on_event(event):
        if event.phase == "greedy":
            raise KeyboardInterrupt

    try:
        solve(scenario, on_event=on_event)
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("the interrupt did not leave the solve")
    assert_nothing_runs_on(before)
