"""The participants' flow as CP-SAT variables, shared by the season, aggregate and mediator models.

f[s, c] (flow units, planner/core/participants.py) for every arc of the seating whose stop commune
may get a stop; the places of the stops in s bound the flow out of s, the visits to s times the
per-visit capacity each f, the pool of c the flow into c. The objective term of f[s, c] is w(c) in
objective integers, the evaluator's min-cost flow's own cost: for fixed stops the models' best
flows and the evaluator's are the same transportation problem, so their values agree to the unit.
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from planner.core.instance import Instance


def add_seat_flows(model: cp_model.CpModel, instance: Instance, supply: dict[int, cp_model.LinearExprT],
                   most: dict[int, int], visits: dict[int, cp_model.IntVar],
                   per_visit: int = 0) -> dict[tuple[int, int], cp_model.IntVar]:
    """f[s, c] for the stop communes of ``supply`` (their places, an expression in flow units, at
    most ``most[s]``), ``visits[s]`` the number of stops in s, each of at most ``per_visit``
    places (0: no row cut). Returns the flows; ``flow_terms`` gives their objective.

    The per-visit capacity f[s, c] <= cap[s, c] x visits[s] is linear in the visits, so the
    linear relaxation, which the proofs (SCIP on the aggregate, the LP bound) rest on, credits a
    fraction of a visit with that fraction of what a visit draws. Where a pool or the places cut
    what n visits seat short of linear, ``add_hull_cuts`` gives the relaxation the convex hull."""
    seating = instance.seating
    flows: dict[tuple[int, int], cp_model.IntVar] = {}
    into: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
    for s in sorted(supply):
        homes = np.flatnonzero(seating.cap_q[s])
        n_most = _upper(model, visits[s])
        if not len(homes) or most[s] <= 0 or n_most <= 0:
            continue
        row = []
        draws = [0] * (n_most + 1)  # what k visits may draw from all homes
        for c in homes.tolist():
            cap, pool = int(seating.cap_q[s, c]), int(seating.pool_q[c])
            upper = min(cap * n_most, pool, most[s])
            var = model.NewIntVar(0, upper, f"f_{s}_{c}")
            flows[s, c] = var
            row.append(var)
            into.setdefault(c, []).append((upper, var))
            model.Add(var <= cap * visits[s])
            arc = [min(cap * k, pool, most[s]) for k in range(n_most + 1)]
            add_hull_cuts(model, var, visits[s], arc)
            draws = [d + a for d, a in zip(draws, arc)]
        model.Add(sum(row) <= supply[s])
        if per_visit > 0:
            add_hull_cuts(model, sum(row), visits[s], [min(d, per_visit * k, most[s]) for k, d in enumerate(draws)])
    for c, items in into.items():
        if sum(upper for upper, _ in items) > seating.pool_q[c]:
            model.Add(sum(var for _, var in items) <= int(seating.pool_q[c]))
    return flows


def add_hull_cuts(model: cp_model.CpModel, flow: cp_model.LinearExprT, n: cp_model.IntVar, most: list[int]) -> None:
    """``most[k]``: the most ``flow`` can be with k visits, concave in k (a minimum of linear
    terms: k x places, k x per-visit draw, a pool). Over integer n its convex hull is the chords
    f <= most[k] + (most[k + 1] - most[k]) x (n - k); a chord whose slope is that of the first
    (f <= most[1] x n, implied by the linear bounds) adds nothing. Example: 100 places a visit and
    a pool of 150 (most = [0, 100, 150]): f <= 50 n + 50, where f <= 100 n alone let 1.5 visits
    seat the whole pool (in tenths: the Bourges season's LP bound sat 7 % above the optimum)."""
    first = most[1] - most[0] if len(most) > 1 else 0
    for k in range(len(most) - 1):
        slope = most[k + 1] - most[k]
        if slope != first:
            model.Add(flow <= slope * n + (most[k] - slope * k))


def _upper(model: cp_model.CpModel, var: cp_model.IntVar) -> int:
    """A variable's upper bound, read from the model (``var.Proto()`` of OR-Tools 9.15 dangles)."""
    domain = list(model.Proto().variables[var.Index()].domain)
    return int(domain[-1]) if domain else 0


def flow_terms(instance: Instance, flows: dict[tuple[int, int], cp_model.IntVar]) -> list:
    weight_q = instance.seating.weight_q
    return [int(weight_q[c]) * var for (_s, c), var in flows.items()]


def hint_flows(model: cp_model.CpModel, instance: Instance, flows: dict[tuple[int, int], cp_model.IntVar],
               supply_q: np.ndarray, visits: np.ndarray) -> None:
    """Hint the flows with the exact seating of ``supply_q`` (the hinted plan's places, ``visits``
    its stops per commune)."""
    seated = instance.seated(supply_q, visits)
    for (s, c), var in flows.items():
        model.AddHint(var, int(seated.flows[s, c]))
