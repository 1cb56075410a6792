"""Candidate filtering for large territories: keep the communes a plan could plausibly use.

The region has 1,756 communes and two buses make ~330 stops a season: most communes will never be
chosen, yet each one multiplies the season model by the number of days. Communes are ranked by the
value of a single stop there (its coverage gain minus the round trip from the nearest base) and
the best ``max_candidates`` kept, plus every commune a request or a pin names. The cost of the
filter is measured in bench/ against a run on every commune.
"""

from __future__ import annotations

import numpy as np

from planner.model.instance import Instance
from planner.request import Request


def filter_candidates(instance: Instance, requests: tuple[Request, ...], max_candidates: int) -> set[int]:
    n = len(instance.communes)
    if max_candidates <= 0 or max_candidates >= n:
        return set(range(n))
    alone = instance.marginal_q(np.zeros(n, dtype=np.int64), np.arange(n)).astype(np.float64)
    vehicles = range(len(instance.scenario.vehicles))
    score = np.full(n, -np.inf)
    for s in range(n):
        costs = [instance.travel_q(instance.stop_travel_km(v, s)) for v in vehicles if instance.reachable(v, s)]
        if costs:
            score[s] = alone[s] - min(costs)
    order = np.argsort(-score, kind="stable")
    keep = {int(s) for s in order[:max_candidates] if np.isfinite(score[s])}
    index = instance.scenario.territory.index
    keep |= {index[r.insee] for r in requests if r.insee in index}
    keep |= {index[p.insee] for p in instance.scenario.pins if p.insee in index}
    return keep
