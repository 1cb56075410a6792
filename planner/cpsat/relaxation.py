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
import time
from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow
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


# The Lagrangian bound of the aggregate model: for models whose LP CLP does not solve in the time
# limit. On the region (two buses, nights away: 143,000 variables, 114,000 constraints) CLP had
# no optimum after 100 CPU seconds, GLOP none after 60 s and PDLP's corrected dual bound was
# useless after 40 s; the same LP without its nights was not solved in 100 s either (the seat
# flows make it hard). Dualising the pools of the home communes (and the count of nights away)
# leaves a problem that a sort and a min-cost flow solve exactly, so each iteration takes a tenth
# of a second and every one gives a valid bound.
LAGRANGE_THETA = 1.0  # Polyak step factor, halved when the bound has not improved for a while
LAGRANGE_PATIENCE = 20  # iterations without a better bound before the step is halved (8: the region 70,211, 20: 68,231)
LAGRANGE_MIN_THETA = 1e-3
# Polyak steps aim at the best plan's objective; before one is known, at this share of the bound
LAGRANGE_BLIND_AIM = 0.9
LAGRANGE_ITERATIONS = 2000  # at most (the region takes about 13 s for its runs reading under load)


@dataclass(frozen=True)
class _Dual:
    """The aggregate model reduced to what its Lagrangian bound reads, as arrays."""

    offset: float  # constant of the objective, plus the "should" bonuses counted as won
    vehicle: np.ndarray  # [pair] vehicle of each (vehicle, commune) pair
    commune: np.ndarray  # [pair] position of its commune in ``stops``
    value: np.ndarray  # [pair] best value of a stop there, travel and idle day included
    upper: np.ndarray  # [pair] most stops of the vehicle there
    night_in: np.ndarray  # [pair] half the best saving of a night arriving at the stop
    night_out: np.ndarray  # [pair] half the best saving of a night leaving it
    days: np.ndarray  # [vehicle] working days
    nights: np.ndarray  # [vehicle] most nights away in the season
    visits: np.ndarray  # [stop commune] most visits
    arc_stop: np.ndarray  # [arc] position of the stop commune, arcs sorted by it
    arc_home: np.ndarray  # [arc] position of the home commune in ``pool``
    arc_cap: np.ndarray  # [arc] most flow units
    arc_draw: np.ndarray  # [arc] most flow units a visit draws (k visits: k times this, at most arc_cap)
    arc_weight: np.ndarray  # [arc] objective integers per flow unit
    pool: np.ndarray  # [home commune] flow units it can send in all
    places: int  # flow units of a stop (the largest vehicle's)


def lagrangian_bound(aggregate, time_limit_s: float, target: float | None = None,
                     should_stop=lambda: False, requests: tuple = ()) -> float | None:
    """``lagrangian_duals`` of the aggregate (begun at least), then their descents."""
    return descend(lagrangian_duals(aggregate, requests), time_limit_s, target, should_stop)


def lagrangian_duals(aggregate, requests: tuple = ()) -> tuple[_Dual, ...]:
    """What the Lagrangian bound reads of an aggregate model begun by ``begin_aggregate_model``
    (its counts, visits and flows), once per reading of the nights (see ``descend``); ``requests``:
    those of the solve, whose "should" bonuses are counted as won. Built in the caller's thread:
    the model may then be completed while the descents run."""
    readings = (False,) if aggregate.instance.params.travel.osrm_url else (True, False)
    if not aggregate.instance.has_overnight:
        readings = (False,)  # without nights the two readings are the same problem
    duals = tuple(_dual_of(aggregate, runs, requests) for runs in readings)
    return () if any(d is None for d in duals) else duals


def descend(duals: tuple[_Dual, ...], time_limit_s: float, target=None, should_stop=lambda: False) -> float | None:
    """The lowest bound of the descents of ``duals``, sharing ``time_limit_s``; ``target``: the
    best plan's objective, or a callable that gives it once known (None before)."""
    """Upper bound of the aggregate model's optimum (objective integers), by subgradient descent
    on the Lagrangian dual of two coupling constraints: the pool of each home commune (what the
    stops of all communes seat from it) and the nights away of each vehicle. With those priced,
    each stop commune seats its best-paying arcs first (its value is concave in its visits) and
    the vehicles' days go to the best visits by a min-cost flow, exactly and in integers.

    The nights' savings are bounded in two ways, each valid alone; the lower bound is kept. Ends:
    every stop is left by one night and reached by one at most, and a night saves at most half
    its best saving at each end (2 ends a night). Runs: in a run of k <= nights + 1 stops, the
    drive (out to the first, between stops, home from the last) is at least 2/k of the round trips
    charged, by the triangle inequality (each stop is at most the drive along the run from either
    end), so the run saves at most (2 - 2 / (nights + 1)) x the drive from base of each of its
    stops; a run of k >= 2 stops has k - 1 nights, so at most 2 stops a night are in runs. The
    triangle inequality holds for the offline distances, not necessarily for a routing server's,
    whose runs the ends alone bound.

    Relaxed besides (each keeps the bound valid): the weekday capacities (only the working days
    count), the windows, quotas, requests and pins (a "should" bonus is counted as won), the
    order of nights in runs, and the previous plan's penalties (at most zero). Stops of every
    vehicle have the places of the largest. ``target`` (the best plan's objective)
    steers the steps; None is returned when no iteration ran."""
    deadline = time.perf_counter() + time_limit_s
    bounds = []
    for i, dual in enumerate(duals):
        share = (deadline - time.perf_counter()) / (len(duals) - i)
        bounds.append(_descent(dual, share, target, should_stop))
    found = [b for b in bounds if b is not None]
    return min(found) if found else None


def _descent(dual: _Dual, time_limit_s: float, target, should_stop) -> float | None:
    deadline = time.perf_counter() + time_limit_s
    lam = np.zeros(len(dual.pool))
    mu = np.zeros(len(dual.days))
    best = math.inf
    theta, stale = LAGRANGE_THETA, 0
    for _ in range(LAGRANGE_ITERATIONS):
        if time.perf_counter() >= deadline or should_stop() or theta <= LAGRANGE_MIN_THETA:
            break
        value, into, credits = _inner(dual, lam, mu)
        bound = value + float(lam @ dual.pool) + float(mu @ (2 * dual.nights)) + dual.offset
        if bound < best - 1e-9:
            best, stale = bound, 0
        else:
            stale += 1
            if stale >= LAGRANGE_PATIENCE:
                theta, stale = theta / 2, 0
        g_pool, g_nights = dual.pool - into, 2 * dual.nights - credits
        norm = float(g_pool @ g_pool) + float(g_nights @ g_nights)
        if norm == 0:  # the relaxed optimum keeps the dualised constraints with equality: exact
            break
        known = target() if callable(target) else target
        aim = known if known is not None and known < best else LAGRANGE_BLIND_AIM * best
        step = theta * max(bound - aim, 1e-9 * abs(bound)) / norm
        lam = np.maximum(0.0, lam - step * g_pool)
        mu = np.maximum(0.0, mu - step * g_nights)
    return None if best == math.inf else math.floor(best + TOLERANCE * max(1.0, abs(best)))


def lagrangian_bound_in_background(duals: tuple[_Dual, ...], time_limit_s: float, target=None,
                                   should_stop=lambda: False) -> Future[float | None]:
    """``descend`` in a thread, on arrays only (NumPy and the min-cost flows do most of the work)."""
    future: Future[float | None] = Future()

    def run() -> None:
        try:
            future.set_result(descend(duals, time_limit_s, target, should_stop))
        except Exception as exc:  # handed to whoever reads the bound, as an executor would
            future.set_exception(exc)

    threading.Thread(target=run, name="lagrangian-bound", daemon=True).start()
    return future


def _dual_of(am, runs: bool, requests: tuple) -> _Dual | None:
    instance = am.instance
    vehicles = len(instance.scenario.vehicles)
    if not am.n or not am.flow:
        return None
    proto = am.model.Proto()
    idle = instance.idle_day_q
    value: dict[tuple[int, int], float] = {}
    upper: dict[tuple[int, int], int] = {}
    for (v, s, w), _var in am.n.items():
        stop = instance.weekday_value_q(v, s, am.days[v, s, w]) + idle
        value[v, s] = max(value.get((v, s), -math.inf), stop)
        upper[v, s] = upper.get((v, s), 0) + am.upper[v, s, w]
    night_in: dict[tuple[int, int], float] = {}
    night_out: dict[tuple[int, int], float] = {}
    # every pair a night may join (the model's nights are among them, on chained weekdays)
    for v, s, t, saving in ((v, s, t, saving) for v, pairs in instance.chain_pairs.items()
                              for (s, t), saving in pairs.items()):
        if saving > 0 and (v, s) in value and (v, t) in value:
            night_out[v, s] = max(night_out.get((v, s), 0.0), saving / 2)
            night_in[v, t] = max(night_in.get((v, t), 0.0), saving / 2)
    if runs:  # a stop in a run saves at most (2 - 2 / (nights + 1)) x its drive from base, a unit a leg for rounding
        chained = set(night_in) | set(night_out)
        night_in = {}
        night_out = {(v, s): (2 - 2 / (instance.scenario.vehicles[v].overnight_nights + 1)) * instance.base_leg_q(v, s)
                     + instance.scenario.vehicles[v].overnight_nights + 1 for v, s in chained}
    stops = sorted({s for _v, s in value})
    position = {s: i for i, s in enumerate(stops)}
    pairs = list(value)
    max_visits = instance.params.rules.max_visits
    homes = sorted({c for _s, c in am.flow})
    home_position = {c: i for i, c in enumerate(homes)}
    arcs = sorted(am.flow, key=lambda key: (position.get(key[0], -1), key[1]))
    arcs = [key for key in arcs if key[0] in position]
    seating = instance.seating
    offset = -idle * sum(len(instance.working_days(v)) for v in range(vehicles))
    offset += instance.should_bonus_q * sum(1 for r in requests if r.priority != "must")
    return _Dual(
        offset=float(offset),
        vehicle=np.array([v for v, _s in pairs], dtype=np.int64),
        commune=np.array([position[s] for _v, s in pairs], dtype=np.int64),
        value=np.array([value[p] for p in pairs], dtype=np.float64),
        upper=np.array([min(upper[v, s], max_visits, am.visit_upper.get(s, max_visits)) for v, s in pairs],
                       dtype=np.int64),
        night_in=np.array([night_in.get(p, 0.0) for p in pairs], dtype=np.float64),
        night_out=np.array([night_out.get(p, 0.0) for p in pairs], dtype=np.float64),
        days=np.array([len(instance.working_days(v)) for v in range(vehicles)], dtype=np.int64),
        nights=np.array([instance.max_nights_away(v) if any(key[0] == v for key in night_out) else 0
                         for v in range(vehicles)], dtype=np.float64),
        visits=np.array([am.visit_upper.get(s, max_visits) for s in stops], dtype=np.int64),
        arc_stop=np.array([position[s] for s, _c in arcs], dtype=np.int64),
        arc_home=np.array([home_position[c] for _s, c in arcs], dtype=np.int64),
        arc_cap=np.array([list(proto.variables[am.flow[key].Index()].domain)[-1] for key in arcs], dtype=np.float64),
        arc_draw=np.array([seating.cap_q[s, c] for s, c in arcs], dtype=np.float64),
        arc_weight=np.array([seating.weight_q[c] for _s, c in arcs], dtype=np.float64),
        pool=np.array([seating.pool_q[c] for c in homes], dtype=np.float64),
        places=max(instance.places_q(v) for v in range(vehicles)),
    )


def _inner(dual: _Dual, lam: np.ndarray, mu: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """The relaxed problem at prices ``lam`` (pools) and ``mu`` (nights): its optimum, the flow
    it sends from each home commune and the night ends each vehicle uses."""
    stops = len(dual.visits)
    vehicles = len(dual.days)
    profit = dual.arc_weight - lam[dual.arc_home]
    order = np.lexsort((-profit, dual.arc_stop))
    stop_of, paid = dual.arc_stop[order], profit[order]
    cap = np.where(paid > 0, dual.arc_cap[order], 0.0)
    draw = dual.arc_draw[order]
    first = np.searchsorted(stop_of, np.arange(stops))  # arcs are grouped by stop commune

    def seated(k) -> np.ndarray:
        """Per arc, what k visits (a number, or one per arc) seat from it: the best-paying arcs
        first, each at most k visits' draw, all at most k visits' places."""
        arc_cap = np.minimum(cap, draw * k)
        cumulative = np.cumsum(arc_cap)
        start = (cumulative - arc_cap)[np.minimum(first, len(arc_cap) - 1)]
        before = cumulative - arc_cap - np.where(first < len(cumulative), start, 0.0)[stop_of]
        return np.clip(k * dual.places - before, 0.0, arc_cap)

    most = int(dual.visits.max(initial=0))
    gains = np.zeros((stops, most + 1))
    for k in range(1, most + 1):  # concave in k: the caps and places grow linearly, the pools do not
        gains[:, k] = np.bincount(stop_of, weights=paid * seated(k), minlength=stops)
    increments = np.ceil(np.diff(gains, axis=1) - 1e-9)  # rounded up: the bound stays a bound
    prices = mu[dual.vehicle]
    uses_in, uses_out = dual.night_in > prices, dual.night_out > prices
    stop_value = np.ceil(dual.value + np.maximum(0.0, dual.night_in - prices) + np.maximum(0.0, dual.night_out - prices)
                         - 1e-9)
    # nodes: 0 source, 1 sink, 2 .. 2 + V vehicles, then stop communes
    levels = np.arange(most)
    keep = levels[None, :] < dual.visits[:, None]
    level_stop, level_k = np.nonzero(keep)
    tails = np.concatenate([np.zeros(vehicles + 1, dtype=np.int64), 2 + dual.vehicle, 2 + vehicles + level_stop])
    heads = np.concatenate([2 + np.arange(vehicles), [1], 2 + vehicles + dual.commune,
                            np.ones(len(level_stop), dtype=np.int64)])
    capacities = np.concatenate([dual.days, [int(dual.days.sum())], dual.upper, np.ones(len(level_stop), dtype=np.int64)])
    costs = np.concatenate([np.zeros(vehicles + 1), -stop_value, -increments[level_stop, level_k]]).astype(np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    flow.set_node_supply(0, int(dual.days.sum()))
    flow.set_node_supply(1, -int(dual.days.sum()))
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("min-cost flow of the Lagrangian bound not solved")
    visits = flow.flows(np.arange(vehicles + 1, vehicles + 1 + len(dual.vehicle)))
    per_stop = np.bincount(dual.commune, weights=visits, minlength=stops)
    into = np.bincount(dual.arc_home[order], weights=seated(per_stop[stop_of]), minlength=len(dual.pool))
    credits = np.bincount(dual.vehicle, weights=visits * (uses_in.astype(float) + uses_out), minlength=vehicles)
    return float(-flow.optimal_cost()), into, credits
