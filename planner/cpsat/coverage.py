"""The concave coverage objective as CP-SAT constraints, shared by the season and aggregate models."""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.core.instance import AUDIENCE_SCALE, Instance


def add_concave_coverage(model: cp_model.CpModel, instance: Instance, counts: dict[int, cp_model.LinearExprT],
                         most_per_commune: int) -> dict[int, list[cp_model.IntVar]]:
    """cover[c][k] in [0, AUDIENCE_SCALE]: the part of commune c's exposure in its k-th segment.

    Exposure E[c] = sum over stop communes s of audience_q[s, c] x counts[s]. The segments may not
    hold more than E[c]; as their objective slopes (Instance.slope_q) decrease with k, the solver
    fills them in order, which makes the value of c a concave function of its exposure.
    ``most_per_commune`` (the largest count possible) only trims segments that can never fill.
    """
    audience = instance.audience_q
    stop_communes = sorted(counts)
    cover: dict[int, list[cp_model.IntVar]] = {}
    for c in range(len(instance.communes)):
        if not instance.slope_q[c].any():
            continue
        terms = [(int(audience[s, c]), counts[s]) for s in stop_communes if audience[s, c] > 0]
        if not terms:
            continue
        most = sum(weight for weight, _ in terms) * most_per_commune
        levels = min(instance.segments, -(-most // AUDIENCE_SCALE))
        cover[c] = [model.NewIntVar(0, AUDIENCE_SCALE, f"cover_{c}_{k + 1}") for k in range(levels)]
        model.Add(sum(cover[c]) <= sum(weight * count for weight, count in terms))
    return cover
