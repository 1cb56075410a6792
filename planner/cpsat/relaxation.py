"""Linear relaxation of a CP-SAT model: a second, often tighter, upper bound for large models.

On the whole region CP-SAT spends its time on the search and its bound stays 1-2 % above the
aggregate model's linear relaxation (measured in bench/, benchmark f). The relaxation of a model
made of linear constraints only is an LP with the same variables and bounds; OR-Tools ships CLP,
which solves the aggregate model's in about 12 s. Its optimum bounds the model's: every integer
solution is a solution of the LP.
"""

from __future__ import annotations

import math
import threading
from concurrent.futures import Future
from dataclasses import dataclass

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

INT64_EDGE = 2**62  # CP-SAT writes open domain ends as the int64 limits
TOLERANCE = 1e-6  # relative slack added to the LP optimum for CLP's feasibility tolerances
CPU_PER_WALL_S = 3  # CLP's time limit counts the process's CPU time: the LP shares it with CP-SAT's two workers


@dataclass(frozen=True)
class _Relaxation:
    """The LP of a maximisation model, built and not yet solved."""

    lp: pywraplp.Solver
    scaling: float
    offset: float
    variables: tuple[pywraplp.Variable, ...]  # in the order of the CP-SAT model's variables


def lp_upper_bound(model: cp_model.CpModel, time_limit_s: float) -> float | None:
    """Upper bound of a maximisation model from its LP relaxation, or None when the model is not
    purely linear or the LP is not solved to optimality in time."""
    relaxation = linear_program(model)
    return None if relaxation is None else _solve(relaxation, time_limit_s)


def lp_bound_in_background(model: cp_model.CpModel, time_limit_s: float) -> Future[float | None]:
    """``lp_upper_bound`` solved in a thread: CLP releases the GIL while it solves, so on the region
    the LP runs beside the greedy start and the CP-SAT search instead of before them. The LP is
    built here (Python code, which would hold the GIL) and owns no part of the model, which the
    caller may go on changing (hints)."""
    relaxation = linear_program(model)
    if relaxation is None:
        done: Future[float | None] = Future()
        done.set_result(None)
        return done
    future: Future[float | None] = Future()

    def run() -> None:
        try:
            future.set_result(_solve(relaxation, CPU_PER_WALL_S * time_limit_s))
        except Exception as exc:  # handed to whoever reads the bound, as an executor would
            future.set_exception(exc)

    # A daemon thread: a solve stopped early (Ctrl-C) must not wait for the LP at exit.
    threading.Thread(target=run, name="lp-bound", daemon=True).start()
    return future


def linear_program(model: cp_model.CpModel, *, solver: str = "CLP", integer: bool = False,
                   continuous: frozenset[int] = frozenset()) -> _Relaxation | None:
    """The model as a linear program for ``solver`` (its variables kept integer when ``integer``,
    except those whose index is in ``continuous``), or None when it is not purely linear or not a
    maximisation."""
    proto = model.Proto()
    if not proto.has_objective():
        return None
    scaling = proto.objective.scaling_factor or 1.0
    if scaling > 0:  # the model minimises: the LP would give a lower bound, not what is asked here
        return None
    lp = pywraplp.Solver.CreateSolver(solver)
    if lp is None:
        return None
    variables = []
    for index, var in enumerate(proto.variables):
        domain = list(var.domain)
        make = lp.IntVar if integer and index not in continuous else lp.NumVar
        variables.append(make(float(domain[0]), float(domain[-1]), ""))
    for constraint in proto.constraints:
        if not constraint.has_linear() or len(constraint.enforcement_literal):
            return None
        domain = list(constraint.linear.domain)
        low = -lp.infinity() if domain[0] <= -INT64_EDGE else float(domain[0])
        high = lp.infinity() if domain[-1] >= INT64_EDGE else float(domain[-1])
        row = lp.Constraint(low, high)
        for index, coefficient in zip(constraint.linear.vars, constraint.linear.coeffs):
            row.SetCoefficient(variables[index], float(coefficient))
    objective = lp.Objective()
    for index, coefficient in zip(proto.objective.vars, proto.objective.coeffs):
        objective.SetCoefficient(variables[index], float(coefficient))
    objective.SetMinimization()  # CP-SAT stores a maximisation as minimising the negated objective
    return _Relaxation(lp, scaling, proto.objective.offset, tuple(variables))


def _solve(relaxation: _Relaxation, time_limit_s: float) -> float | None:
    lp = relaxation.lp
    lp.SetTimeLimit(max(1, int(1000 * time_limit_s)))
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    value = relaxation.scaling * (lp.Objective().Value() + relaxation.offset)
    return math.floor(value + TOLERANCE * max(1.0, abs(value)))  # the objective is an integer
