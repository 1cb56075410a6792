"""Candidate filtering for large territories: keep the communes a plan could plausibly use.

The region has 1,756 communes and two buses make ~330 stops a season: most communes will never be
chosen, yet each one multiplies the season model by the number of days. Communes are ranked by the
value of a single stop there (its coverage gain minus the round trip from the nearest base): the
best ``max_candidates`` communes within a day trip are kept, as many again that only an overnight
run reaches, and every commune a request or a pin names. Far communes are where the need is: with
only a fifth as many of them, the region's 120 s plans lost 8 % against a 600 s run on every
commune (117,055 against 127,124); with as many, the greedy start alone is within 1 % of the
greedy on every commune. The cost of the filter is measured in bench/ (region-long).

Whatever the filter, a commune no vehicle can reach under its rules (its daily drive limit, and
nights away when it may stay away) is never a candidate: no stop there keeps the rules, yet as a
candidate it would count towards the size that decides the method (``LARGE_MODEL``) and cost
every per-candidate loop. The plan report states how many are left (``reachable_candidates``).
"""

from __future__ import annotations

import numpy as np

from planner.core.instance import VALUE_SCALE, Instance
from planner.core.rules import named_communes, seats_someone
from planner.domain.request import Request


def reachable(instance: Instance) -> np.ndarray:
    """True for the communes at least one vehicle reaches under its rules (``Instance.reachable``)."""
    vehicles = range(len(instance.scenario.vehicles))
    return np.array([any(instance.reachable(v, s) for v in vehicles) for s in range(len(instance.communes))],
                    dtype=bool)


def reachable_candidates(instance: Instance, requests: tuple[Request, ...]) -> set[int]:
    """Every commune where a stop would seat someone or that a request or a pin names, if a vehicle
    can reach it: the default candidates. (A request or pin in an unreachable commune is reported
    before the search, by its static reason or a pin conflict.)"""
    useful = set(np.flatnonzero(seats_someone(instance)).tolist()) | named_communes(instance, requests)
    reach = reachable(instance)
    return {s for s in useful if reach[s]}


def filter_candidates(instance: Instance, requests: tuple[Request, ...], max_candidates: int) -> set[int]:
    n = len(instance.communes)
    useful = seats_someone(instance) & reachable(instance)
    if max_candidates <= 0 or max_candidates >= int(useful.sum()):
        return reachable_candidates(instance, requests)
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
    reach = reachable(instance)
    return set(near) | set(far) | {s for s in named_communes(instance, requests) if reach[s]}
