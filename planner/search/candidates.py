"""Candidate filtering for large territories: keep the communes a plan could plausibly use.

The region has 1,756 communes and two buses make ~330 stops a season: most communes will never be
chosen, yet each one multiplies the season model by the number of days. Communes are ranked by the
value of a single stop there (its coverage gain minus the round trip from the nearest base): the
best ``max_candidates`` communes within a day trip are kept, as many again that only an overnight
run reaches, and every commune a request or a pin names. Far communes are where the need is: with
only a fifth as many of them, the region's 120 s plans lost 8 % against a 600 s run on every
commune (117,055 against 127,124); with as many, the greedy start alone is within 1 % of the
greedy on every commune. The cost of the filter is measured in bench/ (region-long).
"""

from __future__ import annotations

import numpy as np

from planner.core.instance import VALUE_SCALE, Instance
from planner.core.rules import named_communes, seats_someone
from planner.domain.request import Request


def filter_candidates(instance: Instance, requests: tuple[Request, ...], max_candidates: int) -> set[int]:
    n = len(instance.communes)
    useful = seats_someone(instance)
    if max_candidates <= 0 or max_candidates >= int(useful.sum()):
        return set(np.flatnonzero(useful).tolist()) | named_communes(instance, requests)
    alone = instance.values * VALUE_SCALE
    vehicles = range(len(instance.scenario.vehicles))
    score = np.full(n, -np.inf)
    for s in range(n):
        costs = [instance.travel_q(instance.stop_travel_km(v, s)) for v in vehicles if instance.reachable(v, s)]
        if costs and useful[s]:
            score[s] = alone[s] - min(costs)
    # Day-trip communes and communes only an overnight run reaches are ranked apart (the round
    # trip in the score overstates a far commune's cost when a run shares it), N of each.
    day_trip = np.array([any(instance.day_trip(v, s) for v in vehicles) for s in range(n)])
    order = np.argsort(-score, kind="stable")
    near = [int(s) for s in order if day_trip[s] and np.isfinite(score[s])][:max_candidates]
    far = [int(s) for s in order if not day_trip[s] and np.isfinite(score[s])][:max_candidates]
    return set(near) | set(far) | named_communes(instance, requests)
