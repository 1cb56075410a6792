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
                   most: dict[int, int]) -> dict[tuple[int, int], cp_model.IntVar]:
    """f[s, c] for the stop communes of ``supply`` (their places, an expression in flow units, at
    most ``most[s]``). Returns the flows; ``flow_terms`` gives their objective."""
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
    return flows


def flow_terms(instance: Instance, flows: dict[tuple[int, int], cp_model.IntVar]) -> list:
    weight_q = instance.seating.weight_q
    return [int(weight_q[c]) * var for (_s, c), var in flows.items()]


def hint_flows(model: cp_model.CpModel, instance: Instance, flows: dict[tuple[int, int], cp_model.IntVar],
               supply_q: np.ndarray) -> None:
    """Hint the flows with the exact seating of ``supply_q`` (the hinted plan's places)."""
    seated = instance.seated(supply_q)
    for (s, c), var in flows.items():
        model.AddHint(var, int(seated.flows[s, c]))
