"""Branch and cut on a linear CP-SAT model with SCIP: the proof CP-SAT does not reach.

On the Bourges season CP-SAT's bound on the aggregate model stays at 6,689-6,691 points after
8-60 s with 2 workers (its cuts barely move the LP's 6,698), while the best plans score about
6,662. SCIP, shipped with OR-Tools, solves the same model as a mixed-integer program: its root
cuts bring the bound to about 6,673 and its tree search proves the optimum (6,661.613) in a few
seconds on one core (bench ``proof-bourges``). The aggregate's optimum bounds the season's, so a
season dated to that value is proven optimal.

The MIP has the CP-SAT model's variables, bounds, constraints and integer objective, nothing
else. SCIP works in floating point: its proof holds up to its feasibility tolerance (1e-6), and
its solution is checked here in integers against the CP-SAT model before it is used, so a value
reported as reached is exact. The search runs in a thread (SCIP releases the GIL) that the caller
may interrupt; it then hands back the best solution and bound it has.
"""

from __future__ import annotations

import math
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from planner.cpsat.relaxation import TOLERANCE, linear_program

MIP_SOLVER = "SCIP"
INTERRUPT_POLL_S = 0.05
CHECK_S = 5.0  # for CP-SAT to complete and check SCIP's solution (milliseconds on the Bourges basin)
INTEGRAL_GAP = 0.999  # the objective is an integer: a gap below 1 is a proof


@dataclass(frozen=True)
class MipResult:
    """The MIP search's answer in the CP-SAT model's integers."""

    objective: int | None  # of the best solution (checked in integers), None when none was found
    bound: int | None  # proven upper bound, None when the search proved nothing
    values: tuple[int, ...]  # the best solution, by CP-SAT variable index (empty when none)
    optimal: bool  # bound == objective: the search finished its proof
    wall_s: float
    nodes: int = 0  # of SCIP's branch-and-bound tree: its work, whatever the machine's load
    cpu_s: float = 0.0  # CPU seconds of SCIP's thread: what the proof costs on a free core

    def value(self, var: cp_model.IntVar) -> int:
        return self.values[var.Index()]


class MipJob:
    """A MIP search of a maximisation model, started at once in a thread."""

    def __init__(self, model: cp_model.CpModel, time_limit_s: float, *, seed: int = 0,
                 continuous: frozenset[int] = frozenset()) -> None:
        """``continuous``: indices of variables the MIP may leave fractional because, once the
        others are integer, some optimum has them integer too (the coverage segments: they fill
        in order up to an integer exposure). SCIP then branches on the decisions only; the check
        in integers gives them their integer values."""
        self._future: Future[MipResult | None] = Future()
        self._model = model.clone()  # the caller may go on changing its model (hints)
        self._continuous = continuous
        relaxation = linear_program(self._model, solver=MIP_SOLVER, integer=True, continuous=continuous)
        if relaxation is None or not _simple_domains(self._model):
            self._relaxation = None
            self._future.set_result(None)
            return
        self._relaxation = relaxation
        lp = relaxation.lp
        lp.SetTimeLimit(max(1, int(1000 * time_limit_s)))
        hint = self._model.Proto().solution_hint
        if len(hint.vars):  # a starting solution (the greedy plan's counts): SCIP prunes with it from the start
            lp.SetHint([relaxation.variables[i] for i in hint.vars], [float(v) for v in hint.values])
        # SCIP would catch Ctrl-C for itself (and print to stdout): the command line's handler must
        # get it, and stops every search through planner.core.control and ``stop``.
        lp.SetSolverSpecificParametersAsString(
            f"limits/absgap = {INTEGRAL_GAP}\nrandomization/randomseedshift = {seed}\nmisc/catchctrlc = FALSE\n")
        # A daemon thread: a solve stopped early (Ctrl-C) must not wait for SCIP at exit.
        threading.Thread(target=self._run, name="mip-proof", daemon=True).start()

    def _run(self) -> None:
        try:
            self._future.set_result(self._search())
        except Exception as exc:  # handed to whoever reads the result, as an executor would
            self._future.set_exception(exc)

    def _search(self) -> MipResult | None:
        relaxation = self._relaxation
        lp = relaxation.lp
        parameters = pywraplp.MPSolverParameters()
        parameters.SetDoubleParam(parameters.RELATIVE_MIP_GAP, 0.0)
        started, cpu = time.perf_counter(), time.thread_time()
        status = lp.Solve(parameters)
        wall, cpu = round(time.perf_counter() - started, 3), round(time.thread_time() - cpu, 3)
        if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            return None
        bound = _integer_bound(relaxation.scaling * (lp.Objective().BestBound() + relaxation.offset))
        decisions = {index: round(var.solution_value()) for index, var in enumerate(relaxation.variables)
                     if index not in self._continuous}
        checked = checked_solution(self._model, decisions)
        if checked is None:  # SCIP's answer breaks a constraint in integers: keep only its bound
            return MipResult(None, bound, (), False, wall, lp.nodes(), cpu)
        objective, values = checked
        if status == pywraplp.Solver.OPTIMAL:  # the tree is closed: no integer beats this solution
            bound = objective
        bound = max(bound, objective)
        return MipResult(objective, bound, values, bound == objective, wall, lp.nodes(), cpu)

    def done(self) -> bool:
        return self._future.done()

    def add_done_callback(self, callback) -> None:
        """``callback(result)`` once the search ends (at once if it has)."""
        self._future.add_done_callback(lambda future: callback(future.result()))

    def interrupt(self) -> None:
        """Ask SCIP to stop; ``result`` then comes back with what it has."""
        if self._relaxation is not None and not self._future.done():
            self._relaxation.lp.InterruptSolve()

    def stop(self, patience_s: float = 1.0) -> MipResult | None:
        """Interrupt the search and return what it has, or None if it has not answered within
        ``patience_s`` (the request is repeated: one sent before SCIP starts its search is lost;
        an unanswered search ends by its own time limit, in its thread)."""
        end = time.perf_counter() + patience_s
        while True:
            self.interrupt()
            try:
                return self._future.result(timeout=INTERRUPT_POLL_S)
            except TimeoutError:
                if time.perf_counter() >= end:
                    return None

    def result(self, timeout: float | None = None) -> MipResult | None:
        return self._future.result(timeout=timeout)


def _simple_domains(model: cp_model.CpModel) -> bool:
    """Every variable's domain is one interval (the MIP cannot state holes)."""
    return all(len(var.domain) == 2 for var in model.Proto().variables)


def _integer_bound(value: float) -> int:
    """An open search's float dual bound as an integer bound: the objective is an integer, so
    round down after SCIP's tolerance."""
    return math.floor(value + TOLERANCE * max(1.0, abs(value)))


def checked_solution(model: cp_model.CpModel, decisions: dict[int, int]) -> tuple[int, tuple[int, ...]] | None:
    """The best completion of ``decisions`` (values by variable index) in the model's integers,
    with its objective, or None when they break a constraint: CP-SAT with those variables fixed
    (what is left, the coverage segments, presolve alone settles)."""
    fixed = model.clone()
    fixed.ClearHints()
    for index, value in decisions.items():
        fixed.Add(fixed.GetIntVarFromProtoIndex(index) == value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = CHECK_S
    solver.parameters.catch_sigint_signal = False
    if solver.Solve(fixed) != cp_model.OPTIMAL:
        return None
    values = tuple(solver.Value(fixed.GetIntVarFromProtoIndex(i)) for i in range(len(fixed.Proto().variables)))
    return round(solver.ObjectiveValue()), values
