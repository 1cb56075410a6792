"""The best plan so far of a bus solve, and the heuristics that may only ever improve it.

Every phase hands its plan to ``incumbent``: it counts only if it breaks no rule, scored on the
solver's integers with the re-plan's move penalties, so that plans of different phases compare.
"""

from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass

from planner.core.control import SolveControl
from planner.core.evaluate import evaluate, plan_value
from planner.core.instance import VALUE_SCALE, Instance
from planner.core.reasons import static_reason
from planner.cpsat.sequencing import sequence_plan
from planner.domain.stop import Stop
from planner.search.local_search import improve_stops
from planner.search.run_moves import improve_runs


@dataclass(frozen=True)
class Incumbent:
    """Best plan so far and its objective in the solver's integers (with re-plan penalties)."""

    stops: tuple[Stop, ...]
    objective_q: int
    source: str


def better(candidate: Incumbent | None, best: Incumbent | None) -> Incumbent | None:
    """The one that scores higher (``best`` on a tie, and whichever exists)."""
    if candidate is not None and (best is None or candidate.objective_q > best.objective_q):
        return candidate
    return best


def incumbent(instance: Instance, stops: tuple[Stop, ...], previous: tuple[Stop, ...], source: str) -> Incumbent | None:
    """A starting plan counts only if it breaks no rule (the greedy ignores must requests and quotas).
    A must request that no plan can serve (a static reason, reported unserved) is not held against it:
    otherwise every greedy and dated plan was refused and a short solve fell back on CP-SAT's first,
    poor solution."""
    evaluation = evaluate(instance, stops)
    if any(not _excused(instance, v) for v in evaluation.violations):
        return None
    kept = {(s.date, s.vehicle, s.insee) for s in stops}
    moved = sum(1 for p in previous if (p.date, p.vehicle, p.insee) not in kept)
    return Incumbent(stops, evaluation.objective_q - instance.move_penalty_q * moved, source)


def _excused(instance: Instance, violation) -> bool:
    """A must request left unserved because no plan can serve it (it is reported with its reason)."""
    if violation.rule != "must_unserved":
        return False
    request = next((r for r in instance.scenario.requests if r.request_id == violation.request_id), None)
    return request is not None and static_reason(instance, request) is not None


def improve(instance: Instance, plan: Incumbent, candidates: set[int], deadline: float,
            control: SolveControl) -> Incumbent:
    """The plan after the stop-by-stop local search, if that scores better."""
    stops = improve_stops(instance, plan.stops, candidates, deadline, instance.params.solver.seed,
                          stopped=control.stopped)
    improved = incumbent(instance, stops, (), f"{plan.source} + échanges")
    if improved is not None and improved.objective_q > plan.objective_q:
        control.emit("local_search", objective=improved.objective_q / VALUE_SCALE, message=improved.source)
        return improved
    return plan


def rebuild_runs(instance: Instance, plan: Incumbent, candidates: set[int], deadline: float,
                 control: SolveControl) -> Incumbent:
    """The plan after rebuilding runs of nights away (planner/search/run_moves.py), if that scores better."""
    def exact(stops: tuple[Stop, ...]) -> int:
        # the move's estimate (as the greedy's) is exact only while no pool is full: each move is
        # kept only if the plan's value rises (0.2 s a plan on the region)
        value, violations = plan_value(instance, stops)
        return value if not violations else -sys.maxsize

    stops = improve_runs(instance, plan.stops, candidates, deadline, instance.params.solver.seed,
                         stopped=control.stopped, exact=exact)
    if stops == plan.stops:
        return plan
    rebuilt = incumbent(instance, stops, (), f"{plan.source} + tournées")
    if rebuilt is not None and rebuilt.objective_q > plan.objective_q:
        control.emit("local_search", objective=rebuilt.objective_q / VALUE_SCALE, message=rebuilt.source)
        return rebuilt
    return plan


def polish_weeks(instance: Instance, previous: tuple[Stop, ...], best: Incumbent, method: str,
                 control: SolveControl, deadline: float = math.inf) -> Incumbent:
    """Re-sequence each week of the vehicles that may stay away (the weeks left as they are once
    stopped or past ``deadline``); keep it only if it scores better."""
    if method == "none":
        return best
    stops = sequence_plan(instance, best.stops, method,
                          stopped=lambda: control.stopped() or time.perf_counter() > deadline)
    polished = incumbent(instance, stops, previous, f"{best.source} + semaines ({method})")
    if polished is not None and polished.objective_q > best.objective_q:
        control.emit("sequencing", objective=polished.objective_q / VALUE_SCALE, message=polished.source)
        return polished
    return best
