"""Greedy baseline: day after day, take the best stop still allowed.

This is what a careful planner does by hand with a ranked list of communes. The benchmarks
compare the CP-SAT plans against it; it honours closures, driving limits, spacing, maximum visits,
forbidden stops and pins, but it does not look ahead (must requests and quotas are not planned)
and a vehicle allowed to stay away still comes home every evening.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np

from planner.model.instance import Instance
from planner.model.season_model import default_candidates, stop_allowed
from planner.stop import Stop


def greedy_stops(instance: Instance, candidates: set[int] | None = None) -> tuple[Stop, ...]:
    scenario = instance.scenario
    rules = instance.params.rules
    gap = max(1, rules.min_gap_days)
    index = scenario.territory.index
    pool = candidates if candidates is not None else default_candidates(instance, ())
    candidates = np.array(sorted(pool), dtype=np.int64)
    exposure = np.zeros(len(instance.communes), dtype=np.int64)
    gain = instance.marginal_q(exposure, candidates) if len(candidates) else np.zeros(0, dtype=np.int64)
    # Stops whose audience overlaps a chosen stop's are the only ones whose gain changes.
    overlaps = (instance.audience_q[candidates] > 0).astype(np.int32)
    visits: dict[int, list[dt.date]] = defaultdict(list)
    pinned = {p.date: index[p.insee] for p in scenario.pins if p.insee in index}
    stops = []
    for day in instance.all_days:
        for v, vehicle in enumerate(scenario.vehicles):
            if day not in instance.working_days(v):
                continue
            best = pinned.get(day)
            if best is None:
                best_value = -instance.idle_day_q  # a stop is worth making when it beats an idle day
                for i in np.argsort(-gain, kind="stable"):
                    s = int(candidates[i])
                    if gain[i] + instance.max_day_value_q <= best_value:
                        break  # gains are sorted and no day value beats what is already found
                    if len(visits[s]) >= rules.max_visits or not stop_allowed(instance, v, day, s):
                        continue
                    if not instance.day_trip(v, s):
                        continue  # the greedy makes day trips only; overnight tours are the models' job
                    if any(abs((day - other).days) < gap for other in visits[s]):
                        continue
                    value = int(gain[i]) + instance.day_value_q(v, s, day)
                    if value > best_value:
                        best, best_value = s, value
            if best is None:
                continue
            visits[best].append(day)
            stops.append(Stop(date=day, vehicle=vehicle.name, insee=instance.communes[best].insee))
            exposure += instance.audience_q[best]
            if len(candidates):
                touched = np.flatnonzero(overlaps @ (instance.audience_q[best] > 0).astype(np.int32))
                gain[touched] = instance.marginal_q(exposure, candidates[touched])
    return tuple(stops)
