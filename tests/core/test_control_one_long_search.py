"""The clock, the stop request and the events of one solve (planner/core/control.py), and the
budget that shares the time limit between phases (planner/search/budget.py ``Budget``).

The long search is a real CP-SAT model with no quick proof (a market split problem, 600 s limit):
only a stop request can end it early. No timing is asserted: the tests wait
for conditions, and a search that ignored the stop would hit its limit (status and wall time say
which ended it)."""

from __future__ import annotations

import random
import threading
import time

import pytest
from ortools.sat.python import cp_model

from planner.core.control import POLL_S, SolveControl, SolveEvent, gap_of, idle_control
from planner.cpsat.solver import cp_solver
from planner.search.budget import FINISH_RESERVE_S, GREEDY_FLOOR_S, MIN_PHASE_S, Budget, mediators_first
from planner.search.criteria import StopCriteria

LIMIT_S = 600.0


def long_search() -> cp_model.CpModel:
    """A market split problem (Cornuéjols and Dawande): 30 yes/no choices whose sums over four
    random weight vectors should each hit half their total; minimise the misses. CP-SAT finds
    small misses at once and proves nothing for minutes (its bound stays 0), so a search that ends
    early with a feasible, unproven answer was ended by the stop."""
    rng = random.Random(1)
    model = cp_model.CpModel()
    x = [model.NewBoolVar(f"x{i}") for i in range(30)]
    misses = []
    for j in range(4):
        weights = [rng.randint(0, 99) for _ in x]
        miss = model.NewIntVar(0, 3000, f"miss{j}")
        model.AddAbsEquality(miss, sum(w * v for w, v in zip(weights, x)) - sum(weights) // 2)
        misses.append(miss)
    model.Minimize(sum(misses))
    return model


def test_should_stop_is_polled_and_stops_a_running_search():
    asked = threading.Event()
    with SolveControl(should_stop=asked.is_set) as control:
        solver = cp_solver(LIMIT_S, workers=1)
        threading.Timer(0.3, asked.set).start()
        with control.running(solver):
            status = solver.Solve(long_search())
        assert control.stopped()
    assert status == cp_model.FEASIBLE  # an answer, unproven: the stop ended the search, not a proof
    assert solver.WallTime() < LIMIT_S / 2  # nor its limit


def test_a_search_started_after_the_stop_is_stopped_too():
    with SolveControl(should_stop=lambda: True) as control:
        while not control.stopped():
            time.sleep(POLL_S / 2)
        solver = cp_solver(LIMIT_S, workers=1)
        with control.running(solver):
            status = solver.Solve(long_search())
    assert status in (cp_model.FEASIBLE, cp_model.UNKNOWN) and solver.WallTime() < LIMIT_S / 2


def test_without_should_stop_nothing_stops_and_no_thread_is_left():
    before = threading.active_count()
    with SolveControl() as control:
        assert not control.stopped()
    assert threading.active_count() == before
    assert not idle_control().stopped()


def test_should_stop_is_asked_until_it_says_yes_then_no_more():
    calls = []

    def should_stop() -> bool:
        calls.append(1)
        return len(calls) >= 3

    with SolveControl(should_stop=should_stop) as control:
        while not control.stopped():
            time.sleep(POLL_S / 2)
        time.sleep(3 * POLL_S)
    assert len(calls) == 3


def test_events_carry_the_phase_figures_and_elapsed_time():
    heard: list[SolveEvent] = []
    with SolveControl(heard.append) as control:
        control.emit("aggregate", objective=99.0, bound=100.0, gap=gap_of(99.0, 100.0), solutions=2, message="m")
    [event] = heard
    assert (event.phase, event.objective, event.bound, event.solutions, event.message) == ("aggregate", 99.0, 100.0, 2, "m")
    assert event.gap == 1 / 99 and event.elapsed_s >= 0
    assert event.to_dict()["phase"] == "aggregate"
    idle_control().emit("greedy", objective=1.0)  # no listener: nothing happens


def test_gap_is_relative_to_the_objective():
    assert gap_of(100.0, 100.0) == 0.0
    assert gap_of(200.0, 201.0) == 0.005
    assert gap_of(0.0, 0.0) == 0.0


def test_a_reproducible_budget_gives_fixed_shares_whatever_the_clock():
    """10 s: phases end 0.5 s before the limit (9.5 s of work); a share is that fraction of it."""
    budget = Budget(10.0, time.perf_counter() - 5.0, reproducible=True)  # 5 s already gone: ignored
    assert budget.share(0.8) == pytest.approx(0.8 * 9.5)
    assert budget.rest(0.8) == pytest.approx(0.2 * 9.5)
    assert budget.capped(3.0) == 3.0
    assert budget.local_search_deadline() == budget.finish_deadline() == float("inf")


def test_a_clock_budget_counts_the_time_used_and_never_gives_less_than_a_minimum():
    started = time.perf_counter() - 5.0
    budget = Budget(10.0, started, reproducible=False)
    assert budget.deadline == started + 10.0 - max(FINISH_RESERVE_S, 0.5)
    assert budget.share(0.8) <= 0.8 * 9.5 - 5.0  # the 5 s gone are taken off
    assert budget.share(0.1) == MIN_PHASE_S / 2  # already past that share: the minimum
    assert budget.rest(0.8) <= 4.5 and budget.capped(30.0) <= 4.5
    assert budget.finish_deadline() == started + 10.0 - FINISH_RESERVE_S


def test_no_phase_of_a_clock_budget_is_given_time_past_its_deadline():
    # 60 s, 56 s gone: the deadline is at 57 s (3 s = 5 % kept to score and explain the plan).
    started = time.perf_counter() - 56.0
    budget = Budget(60.0, started, reproducible=False)
    assert budget.deadline == pytest.approx(started + 57.0)
    assert budget.local_search_deadline() <= budget.deadline  # 5 % of 60 s from now would end at 59 s
    # its share ended at 0.9 x 57 s = 51.3 s: the greedy start still has its floor, within the deadline
    assert budget.greedy_deadline() == pytest.approx(time.perf_counter() + GREEDY_FLOOR_S, abs=0.05)
    assert budget.greedy_deadline() <= budget.deadline
    assert Budget(60.0, time.perf_counter(), reproducible=False).greedy_deadline() > time.perf_counter() + 0.9 * 57.0 - 0.1
    assert not budget.second_greedy()  # past half of the span
    assert budget.finish_deadline() == budget.deadline
    assert budget.to_deadline() <= 1.0 and budget.dating_seconds(2) <= 1.0


def test_a_mixed_fleet_gives_its_mediators_half_of_the_limit_from_the_same_start():
    criteria = StopCriteria(60.0, gap=0.01)
    first = mediators_first(criteria)
    assert (first.time_limit_s, first.started, first.gap) == (30.0, criteria.started, 0.01)
    assert Budget.of(first, False).deadline < Budget.of(criteria, False).deadline


def test_the_reserve_for_explaining_grows_with_the_territory():
    # 60 s: 5 % is 3 s; the region's 1,756 communes at 3 ms each keep 5.268 s; the basin's 103, 0.309 s (< 3 s).
    started = time.perf_counter()
    assert Budget(60.0, started, False, communes=1756).deadline == pytest.approx(started + 60.0 - 5.268)
    assert Budget(60.0, started, False, communes=103).deadline == pytest.approx(started + 57.0)


def test_a_large_model_is_raced_only_with_40_percent_of_the_span_left():
    # 60 s, 57 s of span: 24 s left after 33 s (42 %) races; 17 s left after 40 s (30 %) does not.
    assert Budget(60.0, time.perf_counter() - 33.0, False).room_for_a_large_model()
    assert not Budget(60.0, time.perf_counter() - 40.0, False).room_for_a_large_model()
    assert Budget(60.0, time.perf_counter() - 40.0, True).room_for_a_large_model()  # shares, not the clock
