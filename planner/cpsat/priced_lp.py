"""The aggregate model's linear relaxation with its pools priced: the bound of the region's nights.

On the region with two buses and nights away the Lagrangian readings of the nights
(planner/cpsat/relaxation.py) stop 6-7 % above the best plan: they keep of the runs only a slot
per visit and the count of nights, so their relaxed optimum sends the Bourges bus round Orléans in
runs that come back two days later to the commune they left (a 21-day revisit gap forbids it),
arrives twice a day where it stops once, and ignores on which weekday a night falls. The
aggregate model states all of that (``add_chains``, ``add_no_return``), but its LP with the seat
flows (143,000 variables) is beyond CLP in the time limit: the flows make it hard.

With the pools of the home communes priced (``lam``, at least zero), the flows of each stop
commune no longer interact: k visits of a commune seat at most its best-paying arcs first
(``seat_increments``, concave in k), so the flows give way to one variable per further visit
worth its increment. What is left is the aggregate's counts, nights and their rules with that
objective, without the window packing (on the region it moved the LP by nothing and held a
third of its rows): 92,000 variables and 52,000 rows, which GLOP solves in about 3 s on a quiet
core (it releases the GIL), to a nearly integral solution. Its optimum, plus the priced pools,
bounds the aggregate's for any prices; at zero the pools are slack in it on the region (no home
commune seats more than its pool). On the region it is 118,024 where the pairs reading gives
120,598; without ``add_no_return`` 118,105.

The bound is not GLOP's objective but a certificate from its duals (``_certified``): for any row
prices y, c.x >= the sum of y times the row's bound on the side y points to, plus each column's
reduced cost times the bound of its variable on the side that lowers it. It holds whatever the
solver's tolerances, and for a dual that is not optimal.
"""

from __future__ import annotations

import math
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field

import numpy as np
from ortools.linear_solver import linear_solver_pb2
from ortools.linear_solver.python import model_builder_helper

from planner.cpsat.aggregate_model import (
    AggregateModel,
    add_chains,
    add_commune_visits,
    add_no_return,
    add_pins,
    add_quotas,
    add_requests,
    add_weekday_capacity,
    weekday_counts,
)
from planner.cpsat.relaxation import INT64_EDGE, TOLERANCE, _Dual, seat_increments

LP_SOLVER = "glop"
POLL_S = 0.05  # how often a stop request is looked at while GLOP solves
INTERRUPT_ANSWER_S = 1.0  # at most, for GLOP to end once interrupted (it checks between iterations)
ROUNDING = 1e-6  # a value of the LP's solution rounds to the nearest integer, a half down


def priced_model(aggregate: AggregateModel, requests: tuple, dual: _Dual, lam: np.ndarray) -> AggregateModel:
    """The aggregate's counts, nights and rules in a model of their own, its objective the
    increments of the visits at the pools' prices ``lam`` (``dual``: its arcs, any reading), the
    counts' values and the nights' savings; the "should" requests' bonuses as in the aggregate,
    the previous plan's penalties counted as zero (they are at most zero)."""
    instance = aggregate.instance
    am = AggregateModel(instance)
    am.capacity = dict(aggregate.capacity)
    for key, var in aggregate.n.items():  # the same counts, bounds and dates as the aggregate's
        am.n[key] = am.model.NewIntVar(0, aggregate.upper[key], var.Name())
        am.upper[key], am.days[key] = aggregate.upper[key], aggregate.days[key]
    add_commune_visits(am)
    add_weekday_capacity(am)
    add_requests(am, requests)
    add_quotas(am)
    add_pins(am)
    add_chains(am, set())  # (the candidates are the counts')
    add_no_return(am)
    _order, _seated, increments = seat_increments(dual, lam)
    terms = []
    for i, s in enumerate(dual.stops.tolist()):
        further = [am.model.NewIntVar(0, 1, f"visit_{s}_{k + 1}") for k in range(am.visit_upper.get(s, 0))
                   if increments[i, k] > 0]
        if further:
            am.model.Add(sum(further) <= am.visits[s])
            terms += [int(increments[i, k]) * var for k, var in enumerate(further)]
    for (v, s, w), var in am.n.items():
        terms.append((instance.weekday_value_q(v, s, am.days[v, s, w]) + instance.idle_day_q) * var)
    terms += [instance.should_bonus_q * var for var in am.served.values()]
    terms += [instance.chain_pairs[v][s, t] * var for (v, s, t, _w, _k), var in am.night.items()]
    offset = -instance.idle_day_q * sum(len(instance.working_days(v)) for v in range(len(instance.scenario.vehicles)))
    offset += float(lam @ dual.pool)
    am.model.Maximize(sum(terms) + math.ceil(offset))  # rounded up: the bound stays a bound
    return am


@dataclass(frozen=True)
class PricedLp:
    """The priced LP of a begun aggregate model, as a reading of the Lagrangian bound's
    (``relaxation.descend`` solves it before the descents): built and solved in the bound's thread."""

    aggregate: AggregateModel  # begun (counts, visits, flows): read, never changed
    requests: tuple
    dual: _Dual  # a reading of the same aggregate: its arcs and pools
    # the LP's solution rounded, as counts per (vehicle, commune, weekday) and nights (vehicle,
    # from, to, weekday, position), once solved (None when it is not): on the region, dated by
    # planner/search/dating.py, a better start than the greedy plan's
    solution: Future = field(default_factory=Future, compare=False)

    def solution_by(self, deadline: float, stopped=lambda: False) -> tuple[dict, dict] | None:
        """The rounded solution when it is ready, waiting until ``deadline`` at the latest."""
        while not stopped():
            try:
                return self.solution.result(timeout=max(0.0, min(POLL_S, deadline - time.perf_counter())))
            except FutureTimeout:
                if time.perf_counter() >= deadline:
                    return None
        return None

    def bound(self, time_limit_s: float, should_stop=lambda: False,
              lam: np.ndarray | None = None) -> tuple[float | None, bool]:
        """Upper bound of the aggregate's optimum (objective integers) at the pools' prices
        ``lam`` (zero when None), or None when GLOP gives no answer in time; and whether the
        pools hold in the LP's solution (then no prices of the pools give a lower bound of this
        form, nor do the descents, which relax more)."""
        try:
            return self._bound(time_limit_s, should_stop, lam)
        finally:
            if not self.solution.done():
                self.solution.set_result(None)

    def _bound(self, time_limit_s: float, should_stop, lam: np.ndarray | None) -> tuple[float | None, bool]:
        deadline = time.perf_counter() + time_limit_s
        dual = self.dual
        lam = np.zeros(len(dual.pool)) if lam is None else lam
        am = priced_model(self.aggregate, self.requests, dual, lam)
        lp = _Lp(am.model.Proto())
        visits = np.array([am.visits[s].Index() if s in am.visits else -1 for s in dual.stops.tolist()])
        left = deadline - time.perf_counter()
        solved = _solve(lp, left, should_stop) if left > 0 and not should_stop() else None
        if solved is None:
            return None, False
        duals, values = solved
        if not self.solution.done():
            def value(var) -> int:
                return int(math.floor(values[var.Index()] + 0.5 - ROUNDING))
            self.solution.set_result((weekday_counts(am, value), {key: value(var) for key, var in am.night.items()
                                                                   if value(var) > 0}))
        del am
        per_stop = np.where(visits >= 0, values[np.maximum(visits, 0)], 0.0)
        order, seated, _increments = seat_increments(dual, np.zeros(len(dual.pool)))
        into = np.bincount(dual.arc_home[order], weights=seated(per_stop[dual.arc_stop[order]]), minlength=len(dual.pool))
        return _certified(lp, duals), bool(np.all(into <= dual.pool * (1 + 1e-9) + 1e-6)) and not np.any(lam)


class _Lp:
    """A minimisation LP as arrays: min c.x + offset, row_low <= A x <= row_high, low <= x <= high;
    the maximum it bounds is ``sign`` x (its minimum + offset)."""

    def __init__(self, proto) -> None:
        variables = proto.variables
        self.low = np.array([v.domain[0] for v in variables], dtype=np.float64)
        self.high = np.array([v.domain[len(v.domain) - 1] for v in variables], dtype=np.float64)
        sizes, columns, coefficients, row_low, row_high = [], [], [], [], []
        for constraint in proto.constraints:
            linear = constraint.linear
            if len(constraint.enforcement_literal) or not len(linear.vars):
                raise ValueError("the priced model is linear")
            domain = linear.domain
            sizes.append(len(linear.vars))
            columns.extend(linear.vars)
            coefficients.extend(linear.coeffs)
            row_low.append(domain[0])
            row_high.append(domain[len(domain) - 1])
        self.rows = np.repeat(np.arange(len(sizes)), sizes)
        self.columns = np.array(columns, dtype=np.int64)
        self.coefficients = np.array(coefficients, dtype=np.float64)
        self.row_low = np.array(row_low, dtype=np.float64)
        self.row_high = np.array(row_high, dtype=np.float64)
        self.row_low[self.row_low <= -INT64_EDGE] = -np.inf
        self.row_high[self.row_high >= INT64_EDGE] = np.inf
        self.cost = np.zeros(len(variables))
        np.add.at(self.cost, np.array(proto.objective.vars, dtype=np.int64), np.array(proto.objective.coeffs, dtype=np.float64))
        scaling = proto.objective.scaling_factor or 1.0
        if scaling > 0:
            raise ValueError("the priced model maximises")
        self.sign, self.offset = scaling, proto.objective.offset


def _solve(lp: _Lp, time_limit_s: float, should_stop) -> tuple[np.ndarray, np.ndarray] | None:
    """The row duals and the solution of the LP by GLOP, or None (not solved in time, or stopped:
    the solve runs in a thread of its own, GLOP releasing the GIL, and is interrupted then)."""
    model = linear_solver_pb2.MPModelProto(maximize=False)
    for low, high, cost in zip(lp.low.tolist(), lp.high.tolist(), lp.cost.tolist()):
        model.variable.add(lower_bound=low, upper_bound=high, objective_coefficient=cost)
    starts = np.searchsorted(lp.rows, np.arange(len(lp.row_low) + 1)).tolist()
    columns, coefficients = lp.columns.tolist(), lp.coefficients.tolist()
    for i, (low, high) in enumerate(zip(lp.row_low.tolist(), lp.row_high.tolist())):
        a, b = starts[i], starts[i + 1]
        model.constraint.add(lower_bound=low, upper_bound=high, var_index=columns[a:b], coefficient=coefficients[a:b])
    request = linear_solver_pb2.MPModelRequest(
        model=model, solver_type=linear_solver_pb2.MPModelRequest.GLOP_LINEAR_PROGRAMMING,
        solver_time_limit_seconds=max(0.1, time_limit_s)).SerializeToString()
    del model
    solver = model_builder_helper.ModelSolverHelper(LP_SOLVER)
    answer: Future[bytes] = Future()

    def run() -> None:
        try:
            answer.set_result(solver.solve_serialized_request(request))
        except Exception as exc:  # handed to the bound's thread
            answer.set_exception(exc)

    worker = threading.Thread(target=run, name="priced-lp", daemon=True)
    worker.start()
    while True:
        try:
            response = answer.result(timeout=POLL_S)
            break
        except FutureTimeout:
            if should_stop():
                solver.interrupt_solve()
                worker.join(timeout=INTERRUPT_ANSWER_S)  # GLOP answers between iterations: no search left behind
                return None
    solution = linear_solver_pb2.MPSolutionResponse.FromString(response)
    if solution.status != linear_solver_pb2.MPSOLVER_OPTIMAL or len(solution.dual_value) != len(lp.row_low):
        return None
    return np.array(solution.dual_value, dtype=np.float64), np.array(solution.variable_value, dtype=np.float64)


def _certified(lp: _Lp, y: np.ndarray) -> float | None:
    """The bound the row prices ``y`` certify (see the module docstring), in the maximum's integers."""
    y = np.where((y > 0) & ~np.isfinite(lp.row_low), 0.0, y)  # a price may only point to a finite side
    y = np.where((y < 0) & ~np.isfinite(lp.row_high), 0.0, y)
    rows = np.where(y > 0, y * np.where(np.isfinite(lp.row_low), lp.row_low, 0.0),
                    y * np.where(np.isfinite(lp.row_high), lp.row_high, 0.0))
    reduced = lp.cost - np.bincount(lp.columns, weights=lp.coefficients * y[lp.rows], minlength=len(lp.cost))
    columns = np.where(reduced > 0, reduced * lp.low, reduced * lp.high)
    lowest = float(rows.sum()) + float(columns.sum())
    value = lp.sign * (lowest + lp.offset)
    return math.floor(value + TOLERANCE * max(1.0, abs(value)))
