"""The aggregate race: CP-SAT, SCIP and the LP relaxation on the aggregate model at once.

The aggregate model (counts per commune and weekday) bounds the season's optimum. CP-SAT finds
good counts but its bound stalls above the optimum; SCIP's branch and cut (planner/cpsat/exact.py)
proves it on models of the basin's size; on large models the LP relaxation
(planner/cpsat/relaxation.py), solved in a child process, bounds better than CP-SAT. The better solution
and the lowest bound are kept.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.core.control import POLL_S, SolveControl
from planner.cpsat.aggregate_model import AggregateModel
from planner.cpsat.exact import MipJob, MipResult
from planner.cpsat.relaxation import lagrangian_bound_in_background
from planner.cpsat.solver import cp_solver
from planner.domain.params import SolverParams
from planner.search.budget import LAGRANGE_ANSWER_S, MIP_PATIENCE_S


@dataclass(frozen=True)
class AggregateAnswer:
    """The aggregate phase's best counts (``value`` of each model variable), their objective and
    the best proven bound, from CP-SAT, SCIP or both; ``status`` names who proved what."""

    objective: int | None
    bound: float | None
    value: Callable[[cp_model.IntVar], int] | None
    status: str
    infeasible: bool = False


def race_aggregate(aggregate: AggregateModel, mip_job: MipJob | None, settings: SolverParams, time_limit_s: float,
                   control: SolveControl, gap: float = 0.0) -> AggregateAnswer:
    """CP-SAT on the aggregate model, beside SCIP when a MIP search runs: CP-SAT stops as soon as
    SCIP has proven the optimum (or its own gap is within ``gap``), SCIP is interrupted when
    CP-SAT's time is up (it then gives its best solution and bound); the better solution and the
    lower bound are kept."""
    workers = settings.workers if mip_job is None else max(1, settings.workers - 1)
    solver = cp_solver(time_limit_s, workers=workers, seed=settings.seed, reproducible=settings.reproducible)
    if gap > 0:
        solver.parameters.relative_gap_limit = gap
    status = cp_model.UNKNOWN
    if mip_job is None or not _proven(mip_job):
        if mip_job is not None:
            mip_job.add_done_callback(lambda result: result is not None and result.optimal and solver.stop_search())
        with control.running(solver):
            status = solver.Solve(aggregate.model)
    mip = interrupted(mip_job, control)
    answers: list[tuple[int, Callable, str]] = []
    bounds: list[float] = []
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        answers.append((round(solver.ObjectiveValue()), solver.Value, solver.StatusName(status)))
        bounds.append(solver.BestObjectiveBound())
    if mip is not None and mip.bound is not None:
        bounds.append(mip.bound)
        if mip.objective is not None:
            answers.append((mip.objective, mip.value, f"{'OPTIMAL' if mip.optimal else 'FEASIBLE'} (SCIP)"))
    if not answers:
        return AggregateAnswer(None, min(bounds, default=None), None, solver.StatusName(status),
                               infeasible=status == cp_model.INFEASIBLE)
    objective, value, name = max(answers, key=lambda answer: answer[0])
    bound = min(bounds)
    if bound <= objective:
        name = name.replace("FEASIBLE", "OPTIMAL")
    return AggregateAnswer(objective, bound, value, name)


def _proven(job: MipJob) -> bool:
    if not job.done():
        return False
    result = job.result()
    return result is not None and result.optimal


def interrupted(job: MipJob | None, control: SolveControl) -> MipResult | None:
    """The MIP search's answer now: interrupted if it still runs (SCIP answers between its LP
    solves), killed if it has not answered within its patience (shorter when the caller asked to stop)."""
    if job is None:
        return None
    return job.stop(MIP_PATIENCE_S[control.stopped()])


def lp_ready(job: Future[float | None] | None, deadline: float, control: SolveControl) -> float | None:
    """The LP bound if it is solved by the deadline: a slow LP must not hold the plan back, nor a stop."""
    if job is None:
        return None
    while not control.stopped():
        try:
            return job.result(timeout=max(0.0, min(POLL_S, deadline - time.perf_counter())))
        except TimeoutError:
            if time.perf_counter() >= deadline:
                return None
    return None


@dataclass(frozen=True)
class BoundJob:
    """The Lagrangian bound's descents in their thread, until they converge, the solve is stopped
    or the pipeline asks for the bound (``now``): they go on improving it while the plan is
    searched, and never hold the plan back."""

    future: Future
    asked: threading.Event

    @classmethod
    def start(cls, duals, time_limit_s: float, target, control: SolveControl) -> BoundJob:
        asked = threading.Event()
        future = lagrangian_bound_in_background(duals, time_limit_s, target,
                                                lambda: control.stopped() or asked.is_set())
        return control.adopt(cls(future, asked))

    def end(self) -> None:
        self.asked.set()

    def join(self, timeout: float | None = None) -> bool:
        """Until its descents have stopped (the bound is handed over as their thread ends)."""
        try:
            self.future.exception(timeout=timeout)
        except FutureTimeout:
            return False
        return True

    def so_far(self) -> float | None:
        """The bound if the descents have ended, else None (they go on)."""
        return self.future.result() if self.future.done() else None

    def by(self, deadline: float) -> float | None:
        """The bound when the descents end, at ``deadline`` at the latest (then as ``now``)."""
        try:
            return self.future.result(timeout=max(0.0, deadline - time.perf_counter()))
        except FutureTimeout:
            return self.now()

    def now(self) -> float | None:
        """The best bound so far: the descents stop at their next step (a few hundredths of a second)."""
        self.asked.set()
        try:
            return self.future.result(timeout=LAGRANGE_ANSWER_S)
        except FutureTimeout:
            return None
