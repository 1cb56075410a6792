"""Solve a scenario and turn the answer into a Plan with metrics and reasons: the facade.

``solve`` is the entry point: progress goes out as SolveEvent values through ``on_event``; the
stop criteria (planner/search/criteria.py: time limit, cancel, gap) end the search with the best
plan found so far (marked ``stopped`` when cancelled). Behind it: buses go through the bus
pipeline (planner/search/bus_pipeline.py), mediators through their weekly template
(planner/search/mediator_solve.py, mediator_replan.py), a mixed fleet through both in turn
(planner/search/mixed_fleet.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from planner.core.control import SolveControl, SolveEvent, idle_control
from planner.core.distances import MatrixCache
from planner.core.instance import Instance, build_instance
from planner.core.unvisited import explain_unvisited
from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.domain.stop import Stop
from planner.search.bus_pipeline import solve_instance
from planner.search.candidates import filter_candidates
from planner.search.criteria import StopCriteria
from planner.search.mediator_replan import replan_mediator
from planner.search.mediator_solve import solve_mediator
from planner.search.mixed_fleet import solve_mixed
from planner.search.replan import explain_additions, explain_moves

__all__ = ["StopCriteria", "solve", "solve_instance", "solve_scenario", "with_unvisited"]


def solve(scenario: Scenario, *, previous: tuple[Stop, ...] = (), on_event: Callable[[SolveEvent], None] | None = None,
          should_stop: Callable[[], bool] | None = None, cache: MatrixCache | None = None,
          criteria: StopCriteria | None = None) -> Plan:
    """The best plan within the stop criteria, or a diagnosis; the plan keeps the scenario's spec.
    ``criteria`` defaults to the scenario's time limit with ``should_stop`` as the cancel request
    (give one or the other). ``on_event`` hears each phase and better solution (from this thread);
    the cancel request is polled every 0.1 s and, once true, the best plan so far comes back within
    a second with ``solver.stopped`` set."""
    if criteria is not None and should_stop is not None:
        raise TypeError("solve() takes should_stop or criteria (whose cancel is the stop request), not both")
    criteria = criteria or StopCriteria.of(scenario.params.solver, should_stop)
    with SolveControl(on_event, criteria.cancel) as control:
        control.emit("model", message="modèle")
        plan = solve_scenario(scenario, previous=previous, control=control, cache=cache, criteria=criteria)
        if plan.solver is not None:  # a stopped run is not reproducible: the moment of the stop decided it
            stopped = control.stopped()
            plan = replace(plan, solver=replace(plan.solver, stopped=stopped,
                                                reproducible=scenario.params.solver.reproducible and not stopped))
        report = plan.solver
        control.emit("done", objective=report.objective if report else None, bound=report.bound if report else None,
                     gap=report.gap if report else None, solutions=report.solutions if report else 0,
                     message=report.status if report else "")
    return replace(plan, spec=scenario.spec)


def solve_scenario(scenario: Scenario, *, previous: tuple[Stop, ...] = (), control: SolveControl | None = None,
                   cache: MatrixCache | None = None, criteria: StopCriteria | None = None) -> Plan:
    """Buses (season model), mediators (weekly template), or both: mediators first, then the buses
    around them (no commune served twice on a day); a mixed fleet gets no global bound."""
    control = control or idle_control()
    criteria = criteria or StopCriteria.of(scenario.params.solver)
    kinds = {v.kind for v in scenario.vehicles}
    if kinds == {"mediator"}:
        instance = build_instance(scenario, cache)
        plan = replan_mediator(instance, previous, control) if previous else None
        if plan is None:  # no previous plan, or its repair cannot keep every rule: a new rotation
            plan = solve_mediator(instance, control=control, criteria=criteria)
            if previous and plan.stops:
                plan = replace(plan, moved=explain_moves(instance, previous, plan.stops),
                               added=explain_additions(instance, previous, plan.stops))
    elif kinds == {"bus"}:
        instance = build_instance(scenario, cache)
        plan = solve_instance(instance, previous=previous, control=control, criteria=criteria)
    else:
        instance = build_instance(scenario, cache)
        plan = solve_mixed(instance, previous, control, cache, criteria)
    return with_unvisited(instance, plan)


def with_unvisited(instance: Instance, plan: Plan, candidates: set[int] | None = None) -> Plan:
    """The plan with its communes that have need and no stop, each with its reason."""
    if not plan.stops:
        return plan
    settings = instance.params.solver
    if candidates is None and settings.max_candidates:
        candidates = filter_candidates(instance, tuple(r for r in instance.scenario.requests if r.active),
                                       settings.max_candidates)
    return replace(plan, unvisited=explain_unvisited(instance, plan.stops, candidates))
