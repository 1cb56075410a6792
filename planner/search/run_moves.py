"""Local search on a dated bus plan: rebuild a whole run of nights away.

The stop-by-stop swaps (planner/search/local_search.py) keep each stop's date, vehicle and nights:
a day trip stays a day trip and a run keeps its shape, so they never open a run to a far commune
the greedy start left out. On the region the relaxed optimum saves about 16,100 points of driving
in its runs where the plan saves 13,300, with 21 of its 168 nights unused.

This move takes two or three consecutive working days of one bus in one week that hold whole
runs, day trips or nothing (no night links them to the days around), takes their stops out, and
puts in the best run of as many days over the vehicle's chain pairs (``greedy._runs``: drivable
legs, home on the last evening, at most as many nights as the vehicle may spend away). The run
keeps every stop rule (``allowed_mask``), spacing and the visit limit; a pinned day is not touched.
The best cut is chosen by its estimated value (coverage, market bonuses, drive and idle days, the
figures of the greedy). A caller may pass ``exact`` (the plan's value, ``plan_value``): a move is
then kept only if it raises it. While the estimate shared a stop's places in proportion to who
would come it overstated the gains about twice on the region and some moves lost; seated as on
its own (``participants.shares_q``) it is exact there while no pool is full, and the check only
guards the seasons where pools fill (region: the rebuilt runs add 425 points to the greedy start,
the same with or without the check, 4.1 s against 5.3 s on a quiet core).
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
from planner.search.greedy import RUN_DAYS, _Runs, _runs
from planner.search.local_search import _gains, _sparse_audience

SHORTLIST = 20  # runs re-scored with their overlap (the fast score adds their stops' gains)
WINDOW_DAYS = 4  # a bus's whole Tuesday-to-Friday week: cut anew into runs and day trips


def improve_runs(instance: Instance, stops: tuple[Stop, ...], candidates: set[int], deadline: float,
                 seed: int = 0, stopped: Callable[[], bool] = lambda: False,
                 exact: Callable[[tuple[Stop, ...]], int] | None = None) -> tuple[Stop, ...]:
    """The plan after rebuilding runs of nights away while one gains, or until ``deadline`` or
    ``stopped()``. ``exact``: the plan's true value, if each rebuilt run must raise it."""
    scenario = instance.scenario
    index = scenario.territory.index
    rules = instance.params.rules
    gap = rules.gap_days
    pool = np.array(sorted(candidates | {index[s.insee] for s in stops}), dtype=np.int64)
    audience = _sparse_audience(instance, pool)
    position = {int(s): i for i, s in enumerate(pool)}
    at: dict[tuple[int, dt.date], tuple[Stop, int]] = {}
    names = [vehicle.name for vehicle in scenario.vehicles]
    for stop in stops:
        at[names.index(stop.vehicle), stop.date] = (stop, index[stop.insee])
    exposure = instance.exposure(dict(Counter(s for _stop, s in at.values())))
    visits: dict[int, list[dt.date]] = defaultdict(list)
    for stop, s in at.values():
        visits[s].append(stop.date)
    pinned = {p.date for p in scenario.pins}
    cache: dict = {}
    markets: dict[dt.date, np.ndarray] = {}
    windows = []
    runs: dict[tuple[int, int], _Runs] = {}
    for v, vehicle in enumerate(scenario.vehicles):
        if vehicle.kind != "bus" or vehicle.overnight_nights == 0:
            continue
        every = _runs(instance, v, pool)
        for k in range(2, RUN_DAYS + 1):  # scored apart: a segment of k days takes runs of k days
            rows = every.length == k
            runs[v, k] = _Runs(every.communes[rows][:, :k], every.travel_q[rows], every.length[rows])
        trips = np.array([i for i, s in enumerate(pool) if instance.day_trip(v, int(s))], dtype=np.int64)
        runs[v, 1] = _Runs(trips[:, None], np.array([2 * instance.base_leg_q(v, int(pool[i])) for i in trips],
                                                    dtype=np.int64).reshape(-1), np.ones(len(trips), dtype=np.int64))
        working = set(instance.working_days(v))
        longest = min(RUN_DAYS, vehicle.overnight_nights + 1)
        for day in sorted(working):
            for k in range(2, WINDOW_DAYS + 1):
                days = [day + dt.timedelta(days=j) for j in range(k)]
                if (all(d in working and d.isocalendar()[:2] == day.isocalendar()[:2] for d in days)
                        and not pinned.intersection(days)):
                    windows.append((v, days, _partitions(k, longest)))
    if not windows:
        return stops
    rng = random.Random(seed)
    current = exact(stops) if exact else 0
    improved = True
    while improved and time.perf_counter() < deadline and not stopped():
        improved = False
        rng.shuffle(windows)
        for v, days, partitions in windows:
            if time.perf_counter() >= deadline or stopped():
                break
            window = _Window(instance, v, days, runs, pool, audience, cache, markets, gap, position)
            kept = (dict(at), exposure.copy(), {s: list(d) for s, d in visits.items()}) if exact else None
            if window.rebuild(at, exposure, visits, partitions):
                if kept is not None:
                    value = exact(_stops(at))
                    if value <= current:  # the estimate misjudged it: back to the days as they were
                        at, exposure, visits = kept[0], kept[1], defaultdict(list, kept[2])
                        continue
                    current = value
                improved = True
    return _stops(at)


def _stops(at: dict) -> tuple[Stop, ...]:
    return tuple(sorted((stop for stop, _s in at.values()), key=lambda s: (s.date, s.vehicle)))


def _partitions(k: int, longest: int) -> list[tuple[int, ...]]:
    """The ways to cut k consecutive days into runs and day trips of at most ``longest`` days."""
    if k == 0:
        return [()]
    return [(first, *rest) for first in range(1, min(k, longest) + 1) for rest in _partitions(k - first, longest)]


@dataclass
class _Window:
    """Two to four consecutive working days of one bus in one week, their stops rebuilt."""

    instance: Instance
    v: int
    days: list[dt.date]
    runs: dict
    pool: np.ndarray
    audience: object
    cache: dict
    markets: dict
    gap: int
    position: dict[int, int]

    def rebuild(self, at: dict, exposure: np.ndarray, visits: dict, partitions: list[tuple[int, ...]]) -> bool:
        """Replace the days' stops by the best cut into runs if it gains (``at``, ``exposure`` and
        ``visits`` updated in place)."""
        instance, v, days = self.instance, self.v, self.days
        one = dt.timedelta(days=1)
        before = at.get((v, days[0] - one))
        last = at.get((v, days[-1]))
        if (before is not None and before[0].away_after) or (last is not None and last[0].away_after):
            return False  # a night links these days to others: not a whole set of runs
        old = [at.get((v, d)) for d in days]
        held = [o for o in old if o is not None]
        without = exposure.copy()
        for _stop, s in held:
            without -= instance.audience_q[s]
        base_cover = int(instance.coverage_q(without))
        old_value = int(instance.coverage_q(exposure)) - base_cover - instance.idle_day_q * (len(days) - len(held))
        old_value += sum(instance.market_q(s, stop.date) for stop, s in held) - _drive(instance, v, old)
        for stop, s in held:
            visits[s].remove(stop.date)
        best, best_value = None, old_value
        for partition in partitions:
            placed = self._fill(partition, without, visits)
            if placed is not None and placed[1] - base_cover > best_value:
                best, best_value = placed[0], placed[1] - base_cover
        if best is None:
            for stop, s in held:
                visits[s].append(stop.date)
            return False
        vehicle = instance.scenario.vehicles[v].name
        for stop, s in held:
            del at[v, stop.date]
            exposure -= instance.audience_q[s]
        for d, s, away in best:
            at[v, d] = (Stop(date=d, vehicle=vehicle, insee=instance.communes[s].insee, away_after=away), s)
            visits[s].append(d)
            exposure += instance.audience_q[s]
        return True

    def _fill(self, partition: tuple[int, ...], without: np.ndarray, visits: dict):
        """Segment after segment, the best run of its length given those before: its stops and the
        value of the days (coverage with them, markets, minus drive and idle days), or None."""
        instance = self.instance
        exposure = without.copy()
        added: list[tuple[dt.date, int, bool]] = []
        total = 0
        first = 0
        try:
            for length in partition:
                days = self.days[first:first + length]
                first += length
                run = self._best(days, exposure, visits)
                if run is None:
                    if length > 1:
                        return None
                    total -= instance.idle_day_q
                    continue
                communes, travel = run
                total -= travel
                for j, (s, d) in enumerate(zip(communes, days)):
                    added.append((d, s, j < length - 1))
                    visits[s].append(d)
                    exposure += instance.audience_q[s]
                    total += instance.market_q(s, d)
            return added, total + int(instance.coverage_q(exposure))
        finally:
            for d, s, _away in added:
                visits[s].remove(d)

    def _best(self, days: list[dt.date], exposure: np.ndarray, visits: dict) -> tuple[list[int], int] | None:
        """The run over ``days`` adding most (coverage with overlap, markets, minus drive), if any
        beats leaving the days idle."""
        instance, pool = self.instance, self.pool
        rules = instance.params.rules
        runs = self.runs[self.v, len(days)]
        if not len(runs.travel_q):
            return None
        usable = np.ones(len(runs.travel_q), dtype=bool)
        score = -runs.travel_q.astype(np.float64)
        gains = _gains(instance, self.audience, exposure, len(pool))
        for j, d in enumerate(days):
            ok = allowed_mask(instance, self.v, d, pool, self.cache)
            for x, seen in visits.items():
                i = self.position.get(x)
                if i is not None and seen and ok[i]:
                    ok[i] = len(seen) < rules.max_visits and all(abs((d - o).days) >= self.gap for o in seen)
            if d not in self.markets:
                self.markets[d] = np.array([instance.market_q(int(x), d) for x in pool], dtype=np.int64)
            column = runs.communes[:, j]
            usable &= ok[column]
            score += gains[column] + self.markets[d][column]
        score = np.where(usable, score, -np.inf)
        base = int(instance.coverage_q(exposure))
        best, best_value = None, -instance.idle_day_q * len(days)
        top = np.argpartition(-score, SHORTLIST)[:SHORTLIST] if len(score) > SHORTLIST else np.arange(len(score))
        for r in top[np.argsort(-score[top], kind="stable")]:
            if not np.isfinite(score[r]) or score[r] <= best_value:
                break  # the fast score adds each stop's own gain: it never falls short of the exact one
            communes = [int(pool[i]) for i in runs.communes[r]]
            after = exposure.copy()
            for s in communes:
                after += instance.audience_q[s]
            value = (int(instance.coverage_q(after)) - base - int(runs.travel_q[r])
                     + sum(instance.market_q(s, d) for s, d in zip(communes, days)))
            if value > best_value:
                best, best_value = (communes, int(runs.travel_q[r])), value
        return best


def _drive(instance: Instance, v: int, stops: list) -> int:
    """Drive charged to the days' stops: each run (or day trip) from base, leg by leg, and home."""
    total, previous = 0, None
    for item in stops:
        if item is None:
            previous = None
            continue
        stop, s = item
        total += instance.base_leg_q(v, s) if previous is None else instance.leg_q(previous, s)
        if stop.away_after:
            previous = s
        else:
            total += instance.base_leg_q(v, s)
            previous = None
    return total

