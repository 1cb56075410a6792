"""The participants' flow as CP-SAT variables, shared by the season, aggregate and mediator models.

f[s, c] (flow units, planner/core/participants.py) for every arc of the seating whose stop commune
may get a stop; the places of the stops in s bound the flow out of s, the pool of c the flow into
c, the arc capacity each f. The objective term of f[s, c] is w(c) in objective integers, the
evaluator's min-cost flow's own cost: for fixed stops the models' best flows and the evaluator's
are the same transportation problem, so their values agree to the unit.
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from planner.core.instance import Instance


def add_seat_flows(model: cp_model.CpModel, instance: Instance, supply: dict[int, cp_model.LinearExprT],
                   most: dict[int, int], visits: dict[int, cp_model.LinearExprT] | None = None,
                   per_visit: int = 0) -> dict[tuple[int, int], cp_model.IntVar]:
    """f[s, c] for the stop communes of ``supply`` (their places, an expression in flow units, at
    most ``most[s]``). Returns the flows; ``flow_terms`` gives their objective.

    With ``visits`` (the number of stops in s, each of ``per_visit`` places), the rounding cuts of
    ``add_visit_cuts`` tighten the linear relaxation, which the proofs (SCIP on the aggregate, the
    LP bound) rest on."""
    seating = instance.seating
    flows: dict[tuple[int, int], cp_model.IntVar] = {}
    into: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
    for s in sorted(supply):
        homes = np.flatnonzero(seating.cap_q[s])
        if not len(homes) or most[s] <= 0:
            continue
        row = []
        for c in homes.tolist():
            upper = int(min(seating.cap_q[s, c], most[s]))
            var = model.NewIntVar(0, upper, f"f_{s}_{c}")
            flows[s, c] = var
            row.append(var)
            into.setdefault(c, []).append((upper, var))
        model.Add(sum(row) <= supply[s])
    for c, items in into.items():
        if sum(upper for upper, _ in items) > seating.pool_q[c]:
            model.Add(sum(var for _, var in items) <= int(seating.pool_q[c]))
    if visits and per_visit > 0:
        add_visit_cuts(model, instance, flows, visits, per_visit)
    return flows


def add_visit_cuts(model: cp_model.CpModel, instance: Instance, flows: dict[tuple[int, int], cp_model.IntVar],
                   visits: dict[int, cp_model.LinearExprT], per_visit: int) -> None:
    """Valid cuts for integer visits: what s can seat is at most min(p x n, D) for n visits of p
    places and D the most it could ever draw (its arcs' capacities, for an arc its own), and the
    convex hull of that over integer n is f <= r x n + (p - r) x q with q = floor(D / p) and
    r = D - p x q. A relaxation without them opens a tenth of a visit to seat a tenth of 24 places
    from a village of 5 (a whole visit is needed for any of them): on the Bourges season its
    bound was 7 % above the optimum and SCIP took 35 s to prove it.

    Example: a village that can draw 6 participants (60 units), p = 240: q = 0, r = 60, so
    f <= 60 x n, where the places alone allowed f <= 240 x n (n = 0.25 seated all 60)."""
    seating = instance.seating
    rows: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
    for (s, c), var in flows.items():
        rows.setdefault(s, []).append((c, var))
    for s, items in rows.items():
        if s not in visits:
            continue
        n = visits[s]
        draw = int(sum(int(seating.cap_q[s, c]) for c, _ in items))
        q, r = divmod(draw, per_visit)
        if r:
            model.Add(sum(var for _, var in items) <= r * n + (per_visit - r) * q)
        for c, var in items:
            q, r = divmod(int(seating.cap_q[s, c]), per_visit)
            if r and q == 0:  # an arc smaller than a visit's places: it needs a whole visit
                model.Add(var <= r * n)


def flow_terms(instance: Instance, flows: dict[tuple[int, int], cp_model.IntVar]) -> list:
    weight_q = instance.seating.weight_q
    return [int(weight_q[c]) * var for (_s, c), var in flows.items()]


def hint_flows(model: cp_model.CpModel, instance: Instance, flows: dict[tuple[int, int], cp_model.IntVar],
               supply_q: np.ndarray) -> None:
    """Hint the flows with the exact seating of ``supply_q`` (the hinted plan's places)."""
    seated = instance.seated(supply_q)
    for (s, c), var in flows.items():
        model.AddHint(var, int(seated.flows[s, c]))
