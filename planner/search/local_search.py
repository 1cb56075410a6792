"""Local search on a dated bus plan: give a stop to a better commune, one stop at a time.

The greedy and the aggregate model's search settle early on which communes to use; on the whole
region CP-SAT's own neighbourhoods then improve the plan slowly. Swapping the commune of a single
stop, with its estimated change in participants (Instance.marginal_q), market bonus and drive, is
cheap to evaluate for every candidate at once (each commune's audience reaches only its ~30
neighbours), so thousands of such moves are tried in a second or two.

A move keeps the stop's date, vehicle and nights away: a day trip stays a day trip, a stop in an
overnight run is replaced only by a commune that chains with its neighbours in the run
(``Instance.chain_pairs``, so the plan stays inside the model whose bound was proven) and leaves
every day of the run within the driving limit. It honours closed days, forbidden stops, spacing
and the visit limit. Pinned stops are not moved; plans with requests, quotas or a previous plan to
stay close to are not searched (their constraints live in the models).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from planner.core.instance import Instance
from planner.core.rules import allowed_mask
from planner.domain.stop import Stop


@dataclass
class _Audience:
    """Sparse audience of the candidate communes: entry e adds weight[e] to home commune home[e]
    for candidate owner[e]."""

    home: np.ndarray
    weight: np.ndarray
    owner: np.ndarray


def _sparse_audience(instance: Instance, candidates: np.ndarray) -> _Audience:
    rows = instance.audience_q[candidates]
    owner, home = np.nonzero(rows)
    return _Audience(home, rows[owner, home], owner)


def _gains(instance: Instance, audience: _Audience, exposure: np.ndarray, count: int) -> np.ndarray:
    """Estimated value one more stop adds in each candidate, given ``exposure`` (sparse; the same
    figure as Instance.marginal_q)."""
    before = exposure[audience.home]
    after = before + audience.weight
    width = instance.width_q[audience.home]
    delta = instance.seating.weight_q[audience.home] * (np.minimum(after, width) - np.minimum(before, width))
    return np.bincount(audience.owner, weights=delta, minlength=count).astype(np.int64)


def searchable(instance: Instance, previous: tuple[Stop, ...], requests: tuple) -> bool:
    """Only plans whose rules are all date-local can be searched stop by stop."""
    scenario = instance.scenario
    return not (previous or requests or instance.params.rules.quotas
                or any(v.kind != "bus" for v in scenario.vehicles))


def improve_stops(instance: Instance, stops: tuple[Stop, ...], candidates: set[int], deadline: float,
                  seed: int = 0, stopped: Callable[[], bool] = lambda: False) -> tuple[Stop, ...]:
    """The plan after swapping communes stop by stop while a swap gains, or until ``deadline`` or ``stopped()``."""
    index = instance.scenario.territory.index
    pool = np.array(sorted(candidates | {index[s.insee] for s in stops}), dtype=np.int64)
    position = {int(s): i for i, s in enumerate(pool)}
    audience = _sparse_audience(instance, pool)
    rules = instance.params.rules
    gap = rules.gap_days
    plan = sorted(stops, key=lambda s: (s.vehicle, s.date))
    communes = [index[s.insee] for s in plan]
    exposure = instance.exposure(dict(Counter(communes)))
    visits: dict[int, list[dt.date]] = defaultdict(list)
    for stop, s in zip(plan, communes):
        visits[s].append(stop.date)
    pinned = {(p.date, p.insee) for p in instance.scenario.pins}
    before, after = _run_links(plan)
    masks = _Masks(instance, pool)
    order = [i for i, stop in enumerate(plan) if (stop.date, stop.insee) not in pinned]
    rng = random.Random(seed)
    improved = True
    while improved and time.perf_counter() < deadline and not stopped():
        improved = False
        rng.shuffle(order)
        for i in order:
            if time.perf_counter() >= deadline or stopped():
                break
            stop, s = plan[i], communes[i]
            v = instance.vehicle_index(stop.vehicle)
            p = communes[before[i]] if before[i] is not None else None
            q = communes[after[i]] if after[i] is not None else None
            q_last = after[i] is not None and after[after[i]] is None
            exposure -= instance.audience_q[s]
            gains = _gains(instance, audience, exposure, len(pool))
            travel = masks.travel(v, p, q)
            score = gains + masks.market(stop.date) - travel
            current = score[position[s]]
            ok = masks.allowed(v, stop.date) & masks.shape(v, p, q, q_last)
            for x, seen in visits.items():  # only the communes visited so far can be refused for it
                j = position.get(x)
                if j is not None and ok[j] and seen:
                    ok[j] = len(seen) < rules.max_visits and all(abs((stop.date - o).days) >= gap for o in seen)
            score = np.where(ok, score, np.iinfo(np.int64).min)
            best = int(np.argmax(score))
            if score[best] > current and int(pool[best]) != s:
                t = int(pool[best])
                visits[s].remove(stop.date)
                visits[t].append(stop.date)
                communes[i] = t
                plan[i] = Stop(date=stop.date, vehicle=stop.vehicle, insee=instance.communes[t].insee,
                               away_after=stop.away_after)
                exposure += instance.audience_q[t]
                improved = True
            else:
                exposure += instance.audience_q[s]
    return tuple(sorted(plan, key=lambda s: (s.date, s.vehicle)))


def _run_links(plan: list[Stop]) -> tuple[list[int | None], list[int | None]]:
    """For each stop, the stop of the night before it (same vehicle, previous day, away after it)
    and the stop of the day after a night away from it."""
    before: list[int | None] = [None] * len(plan)
    after: list[int | None] = [None] * len(plan)
    at = {(s.vehicle, s.date): i for i, s in enumerate(plan)}
    for i, stop in enumerate(plan):
        if stop.away_after:
            j = at.get((stop.vehicle, stop.date + dt.timedelta(days=1)))
            if j is not None:
                after[i], before[j] = j, i
    return before, after


class _Masks:
    """Per-candidate arrays the moves need, computed once per key."""

    def __init__(self, instance: Instance, pool: np.ndarray) -> None:
        self.instance = instance
        self.pool = pool
        self.cache: dict = {}
        self.weekly: dict = {}  # allowed_mask's cache

    def _get(self, key, make):
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]

    def allowed(self, v: int, day: dt.date) -> np.ndarray:
        return self._get(("allowed", v, day), lambda: allowed_mask(self.instance, v, day, self.pool, self.weekly))

    def market(self, day: dt.date) -> np.ndarray:
        return self._get(("market", day.isoweekday()), lambda: np.array(
            [self.instance.market_q(int(x), day) for x in self.pool], dtype=np.int64))

    def travel(self, v: int, p: int | None, q: int | None) -> np.ndarray:
        """Drive charged to a stop in each candidate: from base or from p, to base or on to q."""
        instance = self.instance
        arrive = self._get(("base", v), lambda: np.array([instance.base_leg_q(v, int(x)) for x in self.pool]))
        leave = arrive
        if p is not None:
            arrive = self._get(("leg_from", p), lambda: np.array([instance.leg_q(p, int(x)) for x in self.pool]))
        if q is not None:
            leave = self._get(("leg_to", q), lambda: np.array([instance.leg_q(int(x), q) for x in self.pool]))
        return arrive + leave

    def shape(self, v: int, p: int | None, q: int | None, q_last: bool) -> np.ndarray:
        """Candidates that keep the stop's day (and the next one's) within the rules of its run."""
        instance = self.instance

        def make() -> np.ndarray:
            pairs = instance.chain_pairs.get(v, {})
            ok = []
            for x in map(int, self.pool):
                if p is None and q is None:
                    ok.append(instance.day_trip(v, x))
                    continue
                good = True
                if p is None:
                    good = instance.reachable(v, x)
                else:
                    good = (p, x) in pairs and (q is not None or not instance.chain_needs_next(v, p, x))
                if good and q is not None:
                    good = (x, q) in pairs and not (q_last and instance.chain_needs_next(v, x, q))
                ok.append(good)
            return np.array(ok, dtype=bool)

        return self._get(("shape", v, p, q, q_last), make)
