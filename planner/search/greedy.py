"""Greedy baseline: day after day, take the best stop (or overnight run) still allowed.

This is what a careful planner does by hand with a ranked list of communes. The benchmarks
compare the CP-SAT plans against it, and the solver starts from it. It honours closures, driving
limits, spacing, maximum visits, forbidden stops and pins, and gives each accepted must request of
a one-vehicle season its first allowed days in its windows, as a planner would before the rest;
it does not look ahead otherwise (quotas are not planned). Without the musts its plan broke a rule
and could not start the solve: on an autumn with a must request the aggregate alone then found no
plan in 3 s on a loaded machine.

A bus allowed to stay away also weighs runs of two or three consecutive days in one week (base,
a night near the first stop, on to a near commune of ``Instance.chain_pairs``...) against the day
trip: it takes a run when its value per day beats the best day trip. Without runs the greedy never
reaches communes too far for a day trip, and the solver, started from it, takes long to find them.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from planner.core.instance import Instance
from planner.core.rules import allowed_mask, stop_allowed
from planner.cpsat.season_model import default_candidates
from planner.domain.stop import Stop

RUN_DAYS = 3  # longest run the greedy tries (two nights away): 6 x 6 runs per first commune
RUN_SHORTLIST = 20  # runs re-scored exactly (the fast score ignores overlap between their stops)


@dataclass
class _Runs:
    """Every run a vehicle may drive (only runs whose last day can drive home): communes in order
    (-1 pads short runs), travel cost and length."""

    communes: np.ndarray  # [run, RUN_DAYS] candidate positions, -1 beyond the run's length
    travel_q: np.ndarray  # [run]
    length: np.ndarray  # [run]


@dataclass
class _State:
    instance: Instance
    candidates: np.ndarray
    exposure: np.ndarray
    gain: np.ndarray  # marginal coverage of one more stop in each candidate
    overlaps: np.ndarray
    visits: dict[int, list[dt.date]] = field(default_factory=lambda: defaultdict(list))
    reserved: dict[int, list[dt.date]] = field(default_factory=dict)  # pinned (and must) days to come
    busy: set[tuple[int, dt.date]] = field(default_factory=set)
    stops: list[Stop] = field(default_factory=list)
    allowed: dict[tuple[int, dt.date], np.ndarray] = field(default_factory=dict)
    weekly: dict = field(default_factory=dict)  # allowed_mask's cache
    markets: dict[dt.date, np.ndarray] = field(default_factory=dict)
    legs: dict[int, np.ndarray] = field(default_factory=dict)
    touching: dict[int, np.ndarray] = field(default_factory=dict)  # candidates whose audience meets a commune's

    def rules_allow(self, v: int, day: dt.date) -> np.ndarray:
        """Candidates a stop of vehicle v on ``day`` may visit by the rules (``allowed_mask``)."""
        if (v, day) not in self.allowed:
            self.allowed[v, day] = allowed_mask(self.instance, v, day, self.candidates, self.weekly)
        return self.allowed[v, day]

    @cached_property
    def position(self) -> dict[int, int]:
        return {int(s): i for i, s in enumerate(self.candidates)}

    def day_values(self, v: int, day: dt.date) -> np.ndarray:
        """``Instance.day_value_q`` of each candidate: market bonus minus the round trip."""
        if v not in self.legs:
            self.legs[v] = np.array([2 * self.instance.base_leg_q(v, int(s)) for s in self.candidates], dtype=np.int64)
        return self.market(day) - self.legs[v]

    def ok(self, v: int, day: dt.date, gap: int) -> np.ndarray:
        """Candidates that vehicle v may visit on ``day`` given the visits made so far."""
        mask = self.rules_allow(v, day).copy()
        most = self.instance.params.rules.max_visits
        for s, seen in self.visits.items():  # only the communes visited so far can be refused for it
            i = self.position.get(s)
            if i is not None and mask[i]:
                mask[i] = len(seen) < most and all(abs((day - o).days) >= gap for o in seen)
        for s, days in self.reserved.items():  # nor a visit too near a pinned day, or one too many
            i = self.position.get(s)
            if i is not None and mask[i]:
                later = [o for o in days if o > day]
                mask[i] = (len(self.visits.get(s, ())) + len(later) < most
                           and all(abs((day - o).days) >= gap for o in later))
        return mask

    def market(self, day: dt.date) -> np.ndarray:
        if day not in self.markets:
            self.markets[day] = np.array([self.instance.market_q(int(s), day) for s in self.candidates], dtype=np.int64)
        return self.markets[day]

    def add(self, v: int, day: dt.date, s: int, away_after: bool = False) -> None:
        instance = self.instance
        self.visits[s].append(day)
        self.busy.add((v, day))
        self.stops.append(Stop(date=day, vehicle=instance.scenario.vehicles[v].name, insee=instance.communes[s].insee,
                               away_after=away_after))
        self.exposure += instance.audience_q[s]
        if len(self.candidates):
            if s not in self.touching:  # once per commune: a season revisits few (region: 94 of 656 stops)
                self.touching[s] = np.flatnonzero(self.overlaps @ (instance.audience_q[s] > 0).astype(np.int32))
            touched = self.touching[s]
            self.gain[touched] = instance.marginal_q(self.exposure, self.candidates[touched])


def greedy_stops(instance: Instance, candidates: set[int] | None = None, *, prefer_runs: bool = False,
                 deadline: float = math.inf) -> tuple[Stop, ...]:
    """``prefer_runs``: take the best run whenever one fits, instead of only when it beats the day
    trip per day (nights away save the drive out and back, which a day-by-day choice undervalues).
    Past ``deadline`` (a ``time.perf_counter()`` reading) the days left stay empty."""
    scenario = instance.scenario
    gap = instance.params.rules.gap_days
    index = scenario.territory.index
    pool = candidates if candidates is not None else default_candidates(instance, ())
    chosen = np.array(sorted(pool), dtype=np.int64)
    exposure = np.zeros(len(instance.communes), dtype=np.int64)
    gain = instance.marginal_q(exposure, chosen) if len(chosen) else np.zeros(0, dtype=np.int64)
    # Stops whose audience overlaps a chosen stop's are the only ones whose gain changes.
    overlaps = (instance.audience_q[chosen] > 0).astype(np.int32)
    state = _State(instance, chosen, exposure, gain, overlaps)
    pinned = {p.date: index[p.insee] for p in scenario.pins if p.insee in index}
    if len(scenario.vehicles) == 1:
        pinned |= _must_days(instance, pinned)
    for day, s in sorted(pinned.items()):
        state.reserved.setdefault(s, []).append(day)
    runs = {v: _runs(instance, v, chosen) for v, vehicle in enumerate(scenario.vehicles)
            if vehicle.overnight_nights > 0 and vehicle.kind == "bus"}
    working = [set(instance.working_days(v)) for v in range(len(scenario.vehicles))]  # computed on each call
    for day in instance.all_days:
        if time.perf_counter() > deadline:
            break
        for v in range(len(scenario.vehicles)):
            if day not in working[v] or (v, day) in state.busy:
                continue
            best = pinned.get(day)
            if best is not None:
                state.add(v, day, best)
                continue
            best, best_value = _best_day_trip(state, v, day, gap)
            run = _best_run(state, v, day, gap, runs[v], pinned) if v in runs else None
            if run is not None and run[1] > -instance.idle_day_q and (prefer_runs or run[1] > best_value):
                for k, s in enumerate(run[0]):
                    state.add(v, day + dt.timedelta(days=k), s, away_after=k < len(run[0]) - 1)
            elif best is not None:
                state.add(v, day, best)
    return tuple(sorted(state.stops, key=lambda s: (s.date, s.vehicle)))


def _must_days(instance: Instance, pinned: dict[dt.date, int]) -> dict[dt.date, int]:
    """Days for the must requests of a one-vehicle season: in each request's windows, its first
    allowed working days spaced by the revisit gap, clear of the pins and of each other."""
    index = instance.scenario.territory.index
    gap = instance.params.rules.gap_days
    taken = dict(pinned)
    found: dict[dt.date, int] = {}
    for request in instance.scenario.requests:
        if not (request.active and request.priority == "must" and request.insee in index):
            continue
        s = index[request.insee]
        dates = [d for d, c in taken.items() if c == s]
        chosen = []
        for day in instance.working_days(0):
            if len(chosen) >= request.days:
                break
            if (request.in_window(day) and day not in taken and stop_allowed(instance, 0, day, s)
                    and all(abs((day - d).days) >= gap for d in dates + chosen)):
                chosen.append(day)
        if len(chosen) == request.days and len(dates) + len(chosen) <= instance.params.rules.max_visits:
            for day in chosen:
                taken[day] = found[day] = s
    return found


def _best_day_trip(state: _State, v: int, day: dt.date, gap: int) -> tuple[int | None, float]:
    """The day trip adding most value on ``day``, if one beats an idle day."""
    instance = state.instance
    rules = instance.params.rules
    best, best_value = None, -instance.idle_day_q  # a stop is worth making when it beats an idle day
    allowed, day_values = state.rules_allow(v, day), state.day_values(v, day)
    for i in np.argsort(-state.gain, kind="stable"):
        s = int(state.candidates[i])
        if state.gain[i] + instance.max_day_value_q <= best_value:
            break  # gains are sorted and no day value beats what is already found
        seen = state.visits.get(s, ())
        if len(seen) >= rules.max_visits or not allowed[i]:
            continue
        if not instance.day_trip(v, s):
            continue  # too far to come home the same evening: only a run reaches it
        if any(abs((day - other).days) < gap for other in seen):
            continue
        later = [o for o in state.reserved.get(s, ()) if o > day]  # pinned days to come
        if len(seen) + len(later) >= rules.max_visits or any((o - day).days < gap for o in later):
            continue
        value = int(state.gain[i]) + int(day_values[i])
        if value > best_value:
            best, best_value = s, value
    return best, best_value


def _runs(instance: Instance, v: int, candidates: np.ndarray) -> _Runs:
    """Runs of two or three days over the vehicle's chain pairs, with their drivable end."""
    position = {int(s): i for i, s in enumerate(candidates)}
    pairs = instance.chain_pairs.get(v, {})
    nights = instance.scenario.vehicles[v].overnight_nights
    after: dict[int, list[int]] = defaultdict(list)
    for s, t in pairs:
        if s in position and t in position:
            after[s].append(t)
    rows, costs, lengths = [], [], []
    for s, targets in after.items():
        for t in targets:
            if not instance.chain_needs_next(v, s, t):
                rows.append((position[s], position[t], -1))
                costs.append(instance.base_leg_q(v, s) + instance.leg_q(s, t) + instance.base_leg_q(v, t))
                lengths.append(2)
            if nights < 2 or RUN_DAYS < 3:
                continue
            for u in after.get(t, []):
                if u != s and not instance.chain_needs_next(v, t, u):
                    rows.append((position[s], position[t], position[u]))
                    costs.append(instance.base_leg_q(v, s) + instance.leg_q(s, t) + instance.leg_q(t, u)
                                 + instance.base_leg_q(v, u))
                    lengths.append(3)
    return _Runs(np.array(rows, dtype=np.int64).reshape(-1, RUN_DAYS), np.array(costs, dtype=np.int64),
                 np.array(lengths, dtype=np.int64))


def _best_run(state: _State, v: int, day: dt.date, gap: int, runs: _Runs, pinned: dict) -> tuple[list[int], float] | None:
    """The run starting on ``day`` with the best value per day, or None."""
    instance = state.instance
    if not len(runs.travel_q):
        return None
    week = day.isocalendar()[:2]
    working = set(instance.working_days(v))
    days = []
    for k in range(RUN_DAYS):
        d = day + dt.timedelta(days=k)
        if d not in working or d.isocalendar()[:2] != week or (v, d) in state.busy or (k and d in pinned):
            break
        days.append(d)
    if len(days) < 2:
        return None
    score = -runs.travel_q.astype(np.float64)
    usable = runs.length <= len(days)
    for k, d in enumerate(days):
        ok = state.ok(v, d, gap)
        market = state.market(d)
        column = runs.communes[:, k]
        present = column >= 0
        usable &= ~present | ok[np.where(present, column, 0)]
        score += np.where(present, state.gain[np.where(present, column, 0)] + market[np.where(present, column, 0)], 0)
    score = np.where(usable, score / runs.length, -np.inf)
    best = None
    for r in np.argsort(-score, kind="stable")[:RUN_SHORTLIST]:
        if not np.isfinite(score[r]):
            break
        communes = [int(state.candidates[i]) for i in runs.communes[r] if i >= 0]
        value = _exact_value(instance, state.exposure, communes, days) - int(runs.travel_q[r])
        if best is None or value / len(communes) > best[1]:
            best = (communes, value / len(communes))
    return best


def _exact_value(instance: Instance, exposure: np.ndarray, communes: list[int], days: list[dt.date]) -> int:
    """Coverage the run's stops add together (with their overlap) plus their market bonuses."""
    after = exposure.copy()
    for s in communes:
        after += instance.audience_q[s]
    gained = int(instance.coverage_q(after)) - int(instance.coverage_q(exposure))
    return gained + sum(instance.market_q(s, d) for s, d in zip(communes, days))
