"""Post-solve heuristics of the mediator's template: which weekday gets each chosen pattern, the
template's value computed directly, and a greedy template for when the solver finds none in time."""

from __future__ import annotations

import itertools

import numpy as np

from planner.cpsat.mediator_model import MediatorModel, idle_cost_q, idle_denominator
from planner.cpsat.mediator_patterns import Pattern


def assign_days(mm: MediatorModel, chosen: list[Pattern]) -> list[tuple[Pattern, int]]:
    """(pattern, weekday) for each chosen pattern (repeated as many times as it is used): the days
    of a day type are interchangeable for the objective, so each type's patterns go to its weekdays
    in the order that loses the fewest dates to forbidden (commune, date) pairs, then in weekday order."""
    instance = mm.instance
    dated = any(f.date for f in instance.scenario.forbidden)
    placed = []
    for t, day_type in enumerate(mm.types):
        mine = sorted((p for p in chosen if p.t == t), key=lambda p: tuple(-1 if s is None else s for s in p.communes))
        if not dated or len(day_type.weekdays) == 1:
            placed += list(zip(mine, day_type.weekdays))
            continue
        lost = {(i, w): sum(1 for d in mm.days[day_type.v][w] for _slot, s in p.stops()
                            if instance.is_forbidden(d, instance.communes[s].insee))
                for i, p in enumerate(mine) for w in day_type.weekdays}
        best = min(itertools.permutations(day_type.weekdays, len(mine)),
                   key=lambda days: (sum(lost[i, w] for i, w in enumerate(days)), days))
        placed += list(zip(mine, best))
    return placed


def template_value_q(mm: MediatorModel, chosen: list[Pattern], served: int = 0) -> int:
    """The objective of a set of patterns, computed directly (the flows of a solution that is not
    optimal may seat fewer than they could; the exact seating does not depend on them)."""
    instance = mm.instance
    counts: dict[int, int] = {}
    for pattern in chosen:
        for _slot, s in pattern.stops():
            counts[s] = counts.get(s, 0) + 1
    places = instance.places_q(mm.mediators[0]) if mm.mediators else 0
    coverage = instance.counts_value_q(counts, places)
    den = idle_denominator(mm)
    units = sum(den * len(mm.days[v]) for v in mm.mediators)
    units -= sum((den // instance.slots_per_day(p.v)) * len(p.stops()) for p in chosen)
    return coverage + sum(p.value_q for p in chosen) - idle_cost_q(mm, units) + instance.should_bonus_q * served


def greedy_template(mm: MediatorModel) -> list[Pattern]:
    """A quick template, used when the solver finds none in time: fill the days one at a time with the pattern
    that adds the most to the objective given the days already filled; leave a day empty when no
    pattern adds anything."""
    instance = mm.instance
    audience = np.vstack([instance.audience_q, np.zeros((1, len(instance.communes)), dtype=np.int64)])
    none = len(instance.communes)
    limit = instance.params.rules.mediator_visits_per_week
    exposure = np.zeros(len(instance.communes), dtype=np.int64)
    used: dict[int, int] = {}
    chosen: list[Pattern] = []
    by_type: dict[int, list[Pattern]] = {}
    for p in mm.patterns:
        by_type.setdefault(p.t, []).append(p)
    for t, day_type in enumerate(mm.types):
        for _day in day_type.weekdays:
            options = [p for p in by_type.get(t, []) if all(used.get(s, 0) < limit for _k, s in p.stops())]
            if not options:
                break
            first = np.array([none if p.communes[0] is None else p.communes[0] for p in options])
            second = np.array([none if len(p.communes) < 2 or p.communes[1] is None else p.communes[1] for p in options])
            base = int(instance.coverage_q(exposure))
            gains = instance.coverage_q(exposure[None, :] + audience[first] + audience[second]) - base
            refund = [instance.idle_day_q * len(p.stops()) // instance.slots_per_day(p.v) for p in options]
            gains += np.array([p.value_q for p in options]) + np.array(refund)
            best = int(np.argmax(gains))
            if gains[best] <= 0:
                break
            pattern = options[best]
            chosen.append(pattern)
            for _k, s in pattern.stops():
                used[s] = used.get(s, 0) + 1
                exposure += instance.audience_q[s]
    return chosen
