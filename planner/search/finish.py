"""The end of a bus solve: the best plan polished, scored and reported, or the diagnosis."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from planner.core.control import SolveControl, gap_of
from planner.core.evaluate import evaluate
from planner.core.instance import VALUE_SCALE, Instance
from planner.core.reasons import plan_reason
from planner.cpsat.diagnosis import diagnose
from planner.domain.plan import Plan, SolverReport, Unserved
from planner.domain.stop import Stop
from planner.search.budget import Budget
from planner.search.incumbent import Incumbent, improve, polish_weeks, rebuild_runs
from planner.search.local_search import searchable
from planner.search.replan import explain_additions, explain_moves


@dataclass(frozen=True)
class Run:
    """What every end of a bus solve needs to know of its run."""

    instance: Instance
    servable: tuple
    unserved: list  # the requests' static reasons; the plan's are added
    previous: tuple[Stop, ...]
    candidates: set[int]
    budget: Budget
    started: float  # when the search started (the report's wall time counts from there)
    control: SolveControl


def finish(run: Run, best: Incumbent | None, bound: float | None | Callable[[], float | None], solutions: int) -> Plan:
    """Rebuild runs of nights away, polish overnight weeks (then swap stops again in the time left: new dates open new swaps),
    score the best plan, explain unserved requests and moves, report. ``bound`` may be a callable,
    read once the plan is final (a bound still improving in a thread meanwhile)."""
    instance, control, previous, unserved = run.instance, run.control, run.previous, list(run.unserved)
    settings = instance.params.solver
    if best is not None and instance.has_overnight and not control.stopped():
        end = run.budget.finish_deadline()
        if searchable(instance, previous, run.servable):
            # runs rebuilt first (the weeks' order and the swaps then polish them)
            best = rebuild_runs(instance, best, run.candidates, run.budget.runs_deadline(), control)
        best = polish_weeks(instance, previous, best, settings.sequencing, control, end)
        if searchable(instance, previous, run.servable) and time.perf_counter() < end and not control.stopped():
            best = improve(instance, best, run.candidates, end, control)
            if time.perf_counter() < end and not control.stopped():  # swapped stops open other runs
                best = rebuild_runs(instance, best, run.candidates, end, control)
    if callable(bound):
        bound = bound()
    wall = round(time.perf_counter() - run.started, 3)
    if best is None:
        report = SolverReport("UNKNOWN", None, None, None, wall, settings.seed, settings.workers, solutions)
        unserved += [Unserved(r.request_id, r.insee, r.priority, "no_plan", "aucun plan trouvé dans le temps imparti")
                     for r in run.servable]
        report = replace(report, candidates=len(run.candidates), communes=len(instance.communes))
        return Plan((), tuple(unserved), report, params=instance.params.to_dict())
    evaluation = evaluate(instance, best.stops)
    for request in run.servable:
        if request.request_id not in evaluation.served_requests:
            unserved.append(plan_reason(instance, request, evaluation.stops, previous))
    if bound is None:  # no phase proved anything: say so rather than claim a gap
        report = SolverReport("FEASIBLE", best.objective_q / VALUE_SCALE, None, None, wall, settings.seed,
                              settings.workers, solutions, best.source)
    else:
        bound = max(bound, best.objective_q)  # integer rounding of CP-SAT's bound only
        gap = gap_of(best.objective_q, bound)
        report = SolverReport("OPTIMAL" if gap <= 1e-9 else "FEASIBLE", best.objective_q / VALUE_SCALE,
                              bound / VALUE_SCALE, round(gap, 6), wall, settings.seed, settings.workers, solutions,
                              best.source)
    moved = explain_moves(instance, previous, evaluation.stops)
    added = explain_additions(instance, previous, evaluation.stops) if previous else ()
    metrics = replace(evaluation.metrics, unserved_requests=len(unserved))
    report = replace(report, candidates=len(run.candidates), communes=len(instance.communes))
    return Plan(evaluation.stops, tuple(unserved), report, metrics, instance.params.to_dict(), (), moved, added=added)


def infeasible(run: Run) -> Plan:
    """No plan keeps every rule: the conflicts the diagnosis names, within the run's time limit."""
    instance = run.instance
    settings = instance.params.solver
    conflicts = diagnose(instance, run.servable, run.control, time_limit_s=run.budget.diagnosis_seconds())
    report = SolverReport("INFEASIBLE", None, None, None, round(time.perf_counter() - run.started, 3), settings.seed,
                          settings.workers)
    return Plan((), tuple(run.unserved), report, params=instance.params.to_dict(), conflicts=tuple(conflicts))
