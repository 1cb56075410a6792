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
from dataclasses import dataclass, field, replace

import numpy as np
from ortools.graph.python import min_cost_flow
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from planner.core.instance import VALUE_SCALE
from planner.cpsat.native import NativeAnswer, NativeJob, Ready

INT64_EDGE = 2**62  # CP-SAT writes open domain ends as the int64 limits
TOLERANCE = 1e-6  # relative slack added to the LP optimum for CLP's feasibility tolerances


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


def lp_bound_in_background(model: cp_model.CpModel, time_limit_s: float) -> NativeJob[float | None] | Ready[float | None]:
    """``lp_upper_bound`` solved in a child process (planner/cpsat/native.py): CLP cannot be
    interrupted, a child can be killed when the solve no longer waits for the bound. The LP is
    built here and owns no part of the model, which the caller may go on changing (hints)."""
    relaxation = linear_program(model)
    if relaxation is None:
        return Ready(None)
    return NativeJob(relaxation.lp, "CLP", time_limit_s, lambda answer: _lp_bound(relaxation, answer), name="lp-bound")


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
    return _integer_upper(relaxation, lp.Objective().Value())


def _lp_bound(relaxation: _Relaxation, answer: NativeAnswer | None) -> float | None:
    if answer is None or answer.status != pywraplp.Solver.OPTIMAL:
        return None
    return _integer_upper(relaxation, answer.objective)


def _integer_upper(relaxation: _Relaxation, objective: float) -> int:
    value = relaxation.scaling * (objective + relaxation.offset)
    return math.floor(value + TOLERANCE * max(1.0, abs(value)))  # the objective is an integer


# The Lagrangian bound of the aggregate model: for models whose LP CLP does not solve in the time
# limit. On the region (two buses, nights away: 143,000 variables, 114,000 constraints) CLP had
# no optimum after 100 CPU seconds, GLOP none after 60 s and PDLP's corrected dual bound was
# useless after 40 s; the same LP without its nights was not solved in 100 s either (the seat
# flows make it hard). Dualising the pools of the home communes (and the count of nights away)
# leaves a problem that a sort and a min-cost flow solve exactly, so each iteration takes a tenth
# of a second and every one gives a valid bound.
LAGRANGE_THETA = 1.0  # Polyak step factor, halved when the bound has not improved for a while
# iterations without a better bound before the step is halved (the region's pairs reading: 20
# gives 121,134 in 940 steps, 40 120,593 in 1,077, 80 120,587 in 1,667)
LAGRANGE_PATIENCE = 40
LAGRANGE_MIN_THETA = 1e-3
# Polyak steps aim at the best plan's objective; before one is known, at this share of the bound
LAGRANGE_BLIND_AIM = 0.9
# Readings of the nights away, each a valid bound alone (see ``descend``): the lowest is kept
READINGS = ("runs", "pairs")
# of the time, at most, for the priced LP of a model with nights away (planner/cpsat/priced_lp.py), solved
# before the descents: on the region 15 s on a quiet machine, 30 s under load
PRICED_LP_SHARE = 0.8
LAGRANGE_ITERATIONS = 2000  # at most (the region takes about 13 s for its runs reading under load)


@dataclass(frozen=True)
class _Dual:
    """The aggregate model reduced to what its Lagrangian bound reads, as arrays."""

    offset: float  # constant of the objective, plus the "should" bonuses counted as won
    vehicle: np.ndarray  # [pair] vehicle of each (vehicle, commune) pair
    commune: np.ndarray  # [pair] position of its commune in ``stops``
    value: np.ndarray  # [pair] best value of a stop there, travel and idle day included
    # the counts n[v, s, w]: each a flow arc from its vehicle's weekday, so that a weekday holds
    # at most its working days (market days are not all a season's days)
    count_pair: np.ndarray  # [count] its (vehicle, commune) pair
    count_node: np.ndarray  # [count] its weekday node, or -1 for a weekday-indifferent count
    count_value: np.ndarray  # [count] value of a stop on that weekday, travel and idle day included
    count_upper: np.ndarray  # [count] most stops
    weekday_vehicle: np.ndarray  # [weekday node] its vehicle
    weekday_cap: np.ndarray  # [weekday node] its working days
    upper: np.ndarray  # [pair] most stops of the vehicle there
    credit: np.ndarray  # [pair, option] most a stop there saves of its drive, in each way of being in a run
    use: np.ndarray  # [option] nights away that way of being in a run takes (its share of its run's nights)
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
    stops: np.ndarray  # [stop commune] its index in the territory
    # The pairs reading (``_pairs_of``): one row per night the aggregate may count, (vehicle, from,
    # to, position in its run); empty in the other readings.
    night_vehicle: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    night_from: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # [row] its pair
    night_to: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # [row] its pair
    night_k: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # [row] 1 .. positions
    night_saving: np.ndarray = field(default_factory=lambda: np.zeros(0))  # [row] objective integers
    night_upper: np.ndarray = field(default_factory=lambda: np.zeros(0))  # [row] most such nights
    far: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # [pair] no day trip: only in a run
    positions: int = 0  # most nights in a run, over the vehicles


def lagrangian_bound(aggregate, time_limit_s: float, target: float | None = None,
                     should_stop=lambda: False, requests: tuple = ()) -> float | None:
    """``lagrangian_duals`` of the aggregate (begun at least), then their descents."""
    return descend(lagrangian_duals(aggregate, requests), time_limit_s, target, should_stop)


def lagrangian_duals(aggregate, requests: tuple = ()) -> tuple[_Dual, ...]:
    """What the Lagrangian bound reads of an aggregate model begun by ``begin_aggregate_model``
    (its counts, visits and flows), once per reading of the nights (see ``descend``); ``requests``:
    those of the solve, whose "should" bonuses are counted as won. Built in the caller's thread:
    the model may then be completed while the descents run. With nights away the priced LP
    (planner/cpsat/priced_lp.py) comes first: ``descend`` builds and solves it in its thread."""
    readings = READINGS if not aggregate.instance.params.travel.osrm_url else tuple(r for r in READINGS if r != "runs")
    if not aggregate.instance.has_overnight:
        readings = ("ends",)  # without nights the readings are the same problem
    duals = tuple(_dual_of(aggregate, reading, requests) for reading in readings)
    if any(d is None for d in duals):
        return ()
    if not aggregate.instance.has_overnight:
        return duals
    from planner.cpsat.priced_lp import PricedLp  # it reads the readings' arrays: imported here, not above

    return (PricedLp(aggregate, requests, duals[0]),) + duals


def descend(duals: tuple[_Dual, ...], time_limit_s: float, target=None, should_stop=lambda: False) -> float | None:
    """The lowest bound of the descents of ``duals``, sharing ``time_limit_s``; ``target``: the
    best plan's objective, or a callable that gives it once known (None before). A priced LP
    among them is solved first, in ``PRICED_LP_SHARE`` of the time at most; when the pools hold in
    its solution the descents are skipped (none can go lower).

    Upper bound of the aggregate model's optimum (objective integers), by subgradient descent
    on the Lagrangian dual of two coupling constraints: the pool of each home commune (what the
    stops of all communes seat from it) and the nights away of each vehicle. With those priced,
    each stop commune seats its best-paying arcs first (its value is concave in its visits) and
    the vehicles' days go to the best visits by a min-cost flow, exactly and in integers.

    The nights' savings are bounded in ways each valid alone (``READINGS``); the lowest bound is
    kept. Runs: in a run of k <= nights + 1 stops, the drive (out to the first, between stops,
    home from the last) is at least 2/k of the round trips charged, by the triangle inequality
    (each stop is at most the drive along the run from either end), so each of its stops saves at
    most (2 - 2 / k) x its drive from base and takes (k - 1) / k of the run's k - 1 nights; the
    nights of each vehicle are priced (a stop in a run of 3 saves 4/3 of a drive, one in a run of
    2 a whole drive for half a night). The triangle inequality holds for the offline distances,
    not necessarily for a routing server's, which only the pairs bound. Pairs: every night the
    aggregate counts (s to t at position k) with its own saving; the slot of a visit (left by a
    first night or reached by one, at most), the visits too far for a day trip (only in a run)
    and the (k + 1)-th nights (leaving a stop a k-th one reached) are priced, so a night pays only
    where both its ends are visits, the leg between them charged. Ends (the bound before the
    pairs, kept for comparison): a night saves at most half its best saving at each end. The
    counts are flow arcs from their weekday (a weekday holds at most its working days).

    Relaxed besides (each keeps the bound valid): the windows, quotas, requests and pins (a
    "should" bonus is counted as won), the weekdays of nights, runs coming back, and the previous
    plan's penalties (at most zero). Stops of every vehicle have the places of the largest. ``target`` (the best plan's objective)
    steers the steps; None is returned when no iteration ran."""
    deadline = time.perf_counter() + time_limit_s
    bounds = []
    readings = [d for d in duals if isinstance(d, _Dual)]
    for priced in (d for d in duals if not isinstance(d, _Dual)):  # the priced LP (planner/cpsat/priced_lp.py)
        bound, pools_hold = priced.bound(PRICED_LP_SHARE * (deadline - time.perf_counter()), should_stop)
        bounds.append(bound)
        if bound is not None and pools_hold:
            readings = []  # no descent can go below it (see PricedLp.bound)
    for i, dual in enumerate(readings):
        share = (deadline - time.perf_counter()) / (len(readings) - i)
        bounds.append(_descent(dual, share, target, should_stop))
    found = [b for b in bounds if b is not None]
    return min(found) if found else None


def _descent(dual: _Dual, time_limit_s: float, target, should_stop) -> float | None:
    """Projected subgradient descent with Polyak steps on every price at once (``_inner``'s
    constraints are all written as a slack that must stay >= 0, each priced >= 0)."""
    deadline = time.perf_counter() + time_limit_s
    prices = np.zeros(_price_count(dual))
    best = math.inf
    theta, stale = LAGRANGE_THETA, 0
    for _ in range(LAGRANGE_ITERATIONS):
        if time.perf_counter() >= deadline or should_stop() or theta <= LAGRANGE_MIN_THETA:
            break
        bound, slack = _inner(dual, prices)
        if bound < best - 1e-9:
            best, stale = bound, 0
        else:
            stale += 1
            if stale >= LAGRANGE_PATIENCE:
                theta, stale = theta / 2, 0
        # the projected subgradient: a price at zero whose constraint is slack cannot go lower, and
        # counting it in the norm only shortens the steps of the prices that can move (on the
        # region the pools of nearly every home commune are slack: the nights' price barely moved)
        slack = np.where((prices <= 0) & (slack > 0), 0.0, slack)
        norm = float(slack @ slack)
        if norm == 0:  # the relaxed optimum keeps the dualised constraints (slack ones at price zero): exact
            break
        known = target() if callable(target) else target
        # (the idle days' cost sets the scale when the bound is near zero: no stop may be worth a day)
        scale = max(abs(best), abs(dual.offset), VALUE_SCALE)
        aim = known if known is not None and known < best else best - (1 - LAGRANGE_BLIND_AIM) * scale
        step = theta * max(bound - aim, 1e-9 * abs(bound)) / norm
        prices = np.maximum(0.0, prices - step * slack)
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


def _dual_of(am, reading: str, requests: tuple) -> _Dual | None:
    instance = am.instance
    vehicles = len(instance.scenario.vehicles)
    if not am.n or not am.flow:
        return None
    proto = am.model.Proto()
    idle = instance.idle_day_q
    value: dict[tuple[int, int], float] = {}
    upper: dict[tuple[int, int], int] = {}
    count_value: dict[tuple[int, int, int], float] = {}
    for (v, s, w), _var in am.n.items():
        stop = instance.weekday_value_q(v, s, am.days[v, s, w]) + idle
        count_value[v, s, w] = stop
        value[v, s] = max(value.get((v, s), -math.inf), stop)
        upper[v, s] = upper.get((v, s), 0) + am.upper[v, s, w]
    weekday_nodes = sorted(am.capacity)
    weekday_node = {key: i for i, key in enumerate(weekday_nodes)}
    chained: set[tuple[int, int]] = set()
    half_in: dict[tuple[int, int], float] = {}
    half_out: dict[tuple[int, int], float] = {}
    # every pair a night may join (the model's nights are among them, on chained weekdays)
    for v, s, t, saving in ((v, s, t, saving) for v, pairs in instance.chain_pairs.items()
                              for (s, t), saving in pairs.items()):
        if saving > 0 and (v, s) in value and (v, t) in value:
            half_out[v, s] = max(half_out.get((v, s), 0.0), saving / 2)
            half_in[v, t] = max(half_in.get((v, t), 0.0), saving / 2)
            chained |= {(v, s), (v, t)}
    credit: dict[tuple[int, int], list[float]] = {}
    if reading == "runs":
        # a stop in a run of k stops saves at most (2 - 2 / k) x its drive from base (a unit a leg
        # for rounding), and takes (k - 1) / k of a night: the run's k - 1 nights shared by its stops
        most = max((vehicle.overnight_nights for vehicle in instance.scenario.vehicles), default=0)
        use = [0.0] + [(k - 1) / k for k in range(2, most + 2)]
        for v, s in chained:
            nights = instance.scenario.vehicles[v].overnight_nights
            credit[v, s] = [0.0] + [(2 - 2 / k) * instance.base_leg_q(v, s) + k if k <= nights + 1 else 0.0
                                    for k in range(2, most + 2)]
    elif reading == "ends":
        # a night saves at most half its best saving at each of its two ends: a stop reached by
        # one, left by one, or both, takes half a night an end
        use = [0.0, 0.5, 0.5, 1.0]
        for v, s in chained:
            come, leave = half_in.get((v, s), 0.0), half_out.get((v, s), 0.0)
            credit[v, s] = [0.0, come, leave, come + leave]
    else:
        use = [0.0]  # the pairs reading counts its nights apart (``_pairs_of``)
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
    pair_index = {p: i for i, p in enumerate(pairs)}
    counts = list(count_value)
    dual = _Dual(
        offset=float(offset),
        vehicle=np.array([v for v, _s in pairs], dtype=np.int64),
        commune=np.array([position[s] for _v, s in pairs], dtype=np.int64),
        value=np.array([value[p] for p in pairs], dtype=np.float64),
        count_pair=np.array([pair_index[v, s] for v, s, _w in counts], dtype=np.int64),
        count_node=np.array([weekday_node.get((v, w), -1) for v, _s, w in counts], dtype=np.int64),
        count_value=np.array([count_value[key] for key in counts], dtype=np.float64),
        count_upper=np.array([am.upper[key] for key in counts], dtype=np.int64),
        weekday_vehicle=np.array([v for v, _w in weekday_nodes], dtype=np.int64),
        weekday_cap=np.array([am.capacity[key] for key in weekday_nodes], dtype=np.int64),
        upper=np.array([min(upper[v, s], max_visits, am.visit_upper.get(s, max_visits)) for v, s in pairs],
                       dtype=np.int64),
        credit=np.array([credit.get(p, [0.0] * len(use)) for p in pairs], dtype=np.float64).reshape(len(pairs), len(use)),
        use=np.array(use, dtype=np.float64),
        days=np.array([len(instance.working_days(v)) for v in range(vehicles)], dtype=np.int64),
        nights=np.array([instance.max_nights_away(v) if any(key[0] == v for key in chained) else 0
                         for v in range(vehicles)], dtype=np.float64),
        visits=np.array([am.visit_upper.get(s, max_visits) for s in stops], dtype=np.int64),
        arc_stop=np.array([position[s] for s, _c in arcs], dtype=np.int64),
        arc_home=np.array([home_position[c] for _s, c in arcs], dtype=np.int64),
        arc_cap=np.array([list(proto.variables[am.flow[key].Index()].domain)[-1] for key in arcs], dtype=np.float64),
        arc_draw=np.array([seating.cap_q[s, c] for s, c in arcs], dtype=np.float64),
        arc_weight=np.array([seating.weight_q[c] for _s, c in arcs], dtype=np.float64),
        pool=np.array([seating.pool_q[c] for c in homes], dtype=np.float64),
        places=max(instance.places_q(v) for v in range(vehicles)),
        stops=np.array(stops, dtype=np.int64),
    )
    return _pairs_of(dual, instance, pairs) if reading == "pairs" else dual


def _pairs_of(dual: _Dual, instance, pairs: list[tuple[int, int]]) -> _Dual:
    """The pairs reading: every night the aggregate may count, from s to t at position k of its
    run, with its own saving; a visit is left by a first night or reached by one at most (its
    slot), one too far for a day trip is, and a (k + 1)-th night leaves a stop reached by a k-th
    one (``add_chains``, summed over the weekdays). These are priced, so a night pays only where
    both its ends are visits of the relaxed plan, the legs between them charged."""
    position = {p: i for i, p in enumerate(pairs)}
    rows = []
    for v, chained in instance.chain_pairs.items():
        for (s, t), saving in chained.items():
            if saving > 0 and (v, s) in position and (v, t) in position:
                a, b = position[v, s], position[v, t]
                upper = min(dual.upper[a], dual.upper[b])
                rows += [(v, a, b, k, saving, upper) for k in range(1, instance.scenario.vehicles[v].overnight_nights + 1)]
    if not rows:
        return dual
    v, a, b, k, saving, upper = (np.array(column) for column in zip(*rows))
    far = np.array([(v2, s) in position and not instance.day_trip(v2, s) and v2 in instance.chain_pairs
                    for v2, s in pairs], dtype=bool)
    return replace(dual, night_vehicle=v.astype(np.int64), night_from=a.astype(np.int64), night_to=b.astype(np.int64),
                   night_k=k.astype(np.int64), night_saving=saving.astype(np.float64),
                   night_upper=upper.astype(np.float64), far=far, positions=int(k.max()))


def _price_count(dual: _Dual) -> int:
    """Prices: the pools, the vehicles' nights, and in the pairs reading per pair its slot, its
    being in a run (stops too far for a day trip) and its onward nights per position."""
    pairs = len(dual.vehicle) if len(dual.night_k) else 0
    return len(dual.pool) + len(dual.days) + pairs * (2 + max(0, dual.positions - 1))


def seat_increments(dual: _Dual, lam: np.ndarray):
    """What each further visit of a stop commune seats at the pools' prices ``lam``: the arcs in
    the order they fill (by stop commune, best-paying first), ``seated(k)`` (per arc in that order,
    what k visits, a number or one per arc, seat from it) and the increments [stop, k - 1] in
    objective integers, rounded up (the bound stays a bound)."""
    stops = len(dual.visits)
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
    return order, seated, np.ceil(np.diff(gains, axis=1) - 1e-9)


def _inner(dual: _Dual, prices: np.ndarray) -> tuple[float, np.ndarray]:
    """The relaxed problem at ``prices`` (see ``_price_count``): its optimum plus the priced
    constants (the Lagrangian bound), and the slack of each dualised constraint."""
    homes, stops, vehicles, pairs = len(dual.pool), len(dual.visits), len(dual.days), len(dual.vehicle)
    lam, mu = prices[:homes], prices[homes:homes + vehicles]
    order, seated, increments = seat_increments(dual, lam)
    stop_of = dual.arc_stop[order]
    most = int(dual.visits.max(initial=0))
    priced = dual.credit - mu[dual.vehicle][:, None] * dual.use[None, :]  # option 0: no night, 0
    chosen = np.argmax(priced, axis=1)
    per_visit = dual.value + priced[np.arange(pairs), chosen]
    paired = len(dual.night_k) > 0
    if paired:
        slot = prices[homes + vehicles:homes + vehicles + pairs]
        in_run = prices[homes + vehicles + pairs:homes + vehicles + 2 * pairs]
        onward = prices[homes + vehicles + 2 * pairs:].reshape(max(0, dual.positions - 1), pairs)
        per_visit = per_visit + slot - in_run
        x, night_value = _nights(dual, slot, in_run, onward)
    # a count's value on its weekday, plus what a visit of its pair earns of the nights
    stop_value = np.ceil(dual.count_value + (per_visit - dual.value)[dual.count_pair] - 1e-9)
    # nodes: 0 source, 1 sink, 2 .. 2 + V vehicles, their weekdays, then stop communes
    weekdays = len(dual.weekday_cap)
    levels = np.arange(most)
    keep = levels[None, :] < dual.visits[:, None]
    level_stop, level_k = np.nonzero(keep)
    communes = 2 + vehicles + weekdays
    count_tail = np.where(dual.count_node >= 0, 2 + vehicles + dual.count_node, 2 + dual.vehicle[dual.count_pair])
    tails = np.concatenate([np.zeros(vehicles + 1, dtype=np.int64), 2 + dual.weekday_vehicle, count_tail,
                            communes + level_stop])
    heads = np.concatenate([2 + np.arange(vehicles), [1], 2 + vehicles + np.arange(weekdays),
                            communes + dual.commune[dual.count_pair], np.ones(len(level_stop), dtype=np.int64)])
    capacities = np.concatenate([dual.days, [int(dual.days.sum())], dual.weekday_cap, dual.count_upper,
                                 np.ones(len(level_stop), dtype=np.int64)])
    costs = np.concatenate([np.zeros(vehicles + 1 + weekdays), -stop_value, -increments[level_stop, level_k]]
                           ).astype(np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    flow.set_node_supply(0, int(dual.days.sum()))
    flow.set_node_supply(1, -int(dual.days.sum()))
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("min-cost flow of the Lagrangian bound not solved")
    first_count = vehicles + 1 + weekdays
    count_flows = flow.flows(np.arange(first_count, first_count + len(dual.count_pair))).astype(np.float64)
    visits = np.bincount(dual.count_pair, weights=count_flows, minlength=pairs)
    per_stop = np.bincount(dual.commune, weights=visits, minlength=stops)
    into = np.bincount(dual.arc_home[order], weights=seated(per_stop[stop_of]), minlength=len(dual.pool))
    used = np.bincount(dual.vehicle, weights=visits * dual.use[chosen], minlength=vehicles)
    bound = float(-flow.optimal_cost()) + float(lam @ dual.pool) + float(mu @ dual.nights) + dual.offset
    slacks = [dual.pool - into, dual.nights - used]
    if paired:
        bound += night_value
        first_out = np.bincount(dual.night_from, weights=np.where(dual.night_k == 1, x, 0.0), minlength=pairs)
        arriving = np.bincount(dual.night_to, weights=x, minlength=pairs)
        slacks += [visits - first_out - arriving, np.where(dual.far, first_out + arriving - visits, 0.0)]
        for k in range(1, dual.positions):  # the (k + 1)-th nights leave stops reached by a k-th one
            slacks.append(np.bincount(dual.night_to, weights=np.where(dual.night_k == k, x, 0.0), minlength=pairs)
                          - np.bincount(dual.night_from, weights=np.where(dual.night_k == k + 1, x, 0.0),
                                        minlength=pairs))
    return bound, np.concatenate(slacks)


def _nights(dual: _Dual, slot: np.ndarray, in_run: np.ndarray, onward: np.ndarray) -> tuple[np.ndarray, float]:
    """The pairs reading's nights at their prices: each vehicle's best-paying nights, as many as it
    may spend away (a fraction of the last: the bound of a linear relaxation)."""
    k, frm, to = dual.night_k, dual.night_from, dual.night_to
    pay = dual.night_saving - (slot[to] - in_run[to])  # an arrival takes the slot of its stop
    pay = pay - np.where(k == 1, slot[frm] - in_run[frm], 0.0)  # a first night takes its start's
    if dual.positions > 1:
        later = k < dual.positions
        pay = pay + np.where(later, onward[np.minimum(k, dual.positions - 1) - 1, to], 0.0)
        pay = pay - np.where(k >= 2, onward[np.maximum(k, 2) - 2, frm], 0.0)
    x = np.zeros(len(k))
    for v in range(len(dual.days)):
        rows = np.flatnonzero((dual.night_vehicle == v) & (pay > 0))
        rows = rows[np.argsort(-pay[rows], kind="stable")]
        cumulative = np.cumsum(dual.night_upper[rows])
        x[rows] = np.clip(dual.nights[v] - (cumulative - dual.night_upper[rows]), 0.0, dual.night_upper[rows])
    return x, float(pay @ x)
