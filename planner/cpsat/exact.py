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
reported as reached is exact. The search runs in a child process (planner/cpsat/native.py) that
the caller may interrupt, and it then hands back the best solution and bound it has, or kill.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from planner.cpsat.native import NativeAnswer, NativeJob, Ready, wait_answer
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
    cpu_s: float = 0.0  # CPU seconds of SCIP's search: what the proof costs on a free core

    def value(self, var: cp_model.IntVar) -> int:
        return self.values[var.Index()]


class MipJob:
    """A MIP search of a maximisation model, started at once in a child process
    (planner/cpsat/native.py: SCIP's root LP does not hear an interrupt, a killed child stops)."""

    def __init__(self, model: cp_model.CpModel, time_limit_s: float, *, seed: int = 0,
                 continuous: frozenset[int] = frozenset()) -> None:
        """``continuous``: indices of variables the MIP may leave fractional because, once the
        others are integer, some optimum has them integer too (the coverage segments: they fill
        in order up to an integer exposure). SCIP then branches on the decisions only; the check
        in integers gives them their integer values."""
        self._model = model.clone()  # the caller may go on changing its model (hints)
        self._continuous = continuous
        relaxation = linear_program(self._model, solver=MIP_SOLVER, integer=True, continuous=continuous)
        self._relaxation = relaxation if relaxation is not None and _simple_domains(self._model) else None
        if self._relaxation is None:
            self._job: NativeJob[MipResult | None] | Ready[None] = Ready(None)
            return
        lp = relaxation.lp
        hint = self._model.Proto().solution_hint
        if len(hint.vars):  # a starting solution (the greedy plan's counts): SCIP prunes with it from the start
            lp.SetHint([relaxation.variables[i] for i in hint.vars], [float(v) for v in hint.values])
        # SCIP catches SIGINT in its child process: ``interrupt`` sends one, and it answers with what it has.
        self._job = NativeJob(lp, MIP_SOLVER, time_limit_s, self._result, values=True, name="mip-proof",
                              parameters=f"limits/absgap = {INTEGRAL_GAP}\nrandomization/randomseedshift = {seed}\n"
                                         "misc/catchctrlc = TRUE\n")

    def _result(self, answer: NativeAnswer | None) -> MipResult | None:
        """SCIP's answer in the CP-SAT model's integers (run by the job's reader thread)."""
        if answer is None or not answer.solved:
            return None
        relaxation = self._relaxation
        bound = _integer_bound(relaxation.scaling * (answer.bound + relaxation.offset))
        decisions = {index: round(value) for index, value in enumerate(answer.values) if index not in self._continuous}
        checked = checked_solution(self._model, decisions)
        if checked is None:  # SCIP's answer breaks a constraint in integers: keep only its bound
            return MipResult(None, bound, (), False, answer.wall_s, answer.nodes, answer.cpu_s)
        objective, values = checked
        if answer.status == pywraplp.Solver.OPTIMAL:  # the tree is closed: no integer beats this solution
            bound = objective
        bound = max(bound, objective)
        return MipResult(objective, bound, values, bound == objective, answer.wall_s, answer.nodes, answer.cpu_s)

    def done(self) -> bool:
        return self._job.done()

    def add_done_callback(self, callback) -> None:
        """``callback(result)`` once the search ends (at once if it has)."""
        self._job.add_done_callback(lambda future: callback(future.result()))

    def interrupt(self) -> None:
        """Ask SCIP to stop; ``result`` then comes back with what it has."""
        self._job.interrupt()

    def stop(self, patience_s: float = 1.0) -> MipResult | None:
        """Interrupt the search and return what it has, or None if it has not answered within
        ``patience_s`` (the request is repeated: one sent before SCIP starts its search is lost);
        an unanswered search is then killed."""
        return wait_answer(self._job, patience_s, INTERRUPT_POLL_S)

    def end(self) -> None:
        """Kill the search now (planner/core/control.py ends a solve's searches so)."""
        self._job.end()

    def join(self, timeout: float | None = None) -> bool:
        return self._job.join(timeout)

    def result(self, timeout: float | None = None) -> MipResult | None:
        return self._job.result(timeout=timeout)


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
