"""Re-planning that never comes back empty: the published plan, repaired with the fewest moves.

A re-plan starts from the published stops and changes only what the change forces, in this order:
1. a stop on a day now closed, forbidden, out of reach or out of the territory leaves its day;
   a visit that now breaks the revisit gap or the visit limit leaves too (the later one);
2. every pin is put on its day (replacing the stop there, and visits of its commune too close);
3. every accepted must request gets its stops inside its windows, each on the window day that
   costs least: a free day first, else the day whose stop brings least (never a pin or another
   must request's stop);
4. every day left free (by 1-3, or idle in the published plan) gets the stop that adds most,
   every rule kept (a displaced commune often comes back this way, on another date).
Each step keeps every rule, so the repaired plan is valid by construction (the caller evaluates it
and drops it otherwise). The days it touched, and the days within the revisit gap of them, are
then re-solved exactly by CP-SAT with the rest of the season frozen (planner/search/exact_replan.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from planner.core.instance import Instance
from planner.core.rules import stop_allowed
from planner.domain.request import Request
from planner.domain.stop import Stop


@dataclass(frozen=True)
class Repair:
    stops: tuple[Stop, ...]
    touched: frozenset[tuple[int, dt.date]]  # (vehicle, day) whose stop changed, or idle ones


class _Plan:
    """Stops by (vehicle, day), with the visits of each commune and the season's exposure."""

    def __init__(self, instance: Instance, candidates: set[int]) -> None:
        self.instance = instance
        self.candidates = sorted(candidates)
        self.at: dict[tuple[int, dt.date], int] = {}
        self.away: set[tuple[int, dt.date]] = set()
        self.exposure = np.zeros(len(instance.communes), dtype=np.int64)
        self.touched: set[tuple[int, dt.date]] = set()
        self.fixed: set[tuple[int, dt.date]] = set()  # pins and must-request stops placed here

    def visits(self, s: int) -> list[dt.date]:
        return sorted(d for (_v, d), t in self.at.items() if t == s)

    def add(self, v: int, day: dt.date, s: int) -> None:
        self.at[v, day] = s
        self.exposure += self.instance.audience_q[s]

    def remove(self, v: int, day: dt.date) -> int:
        s = self.at.pop((v, day))
        self.exposure -= self.instance.audience_q[s]
        self.touched.add((v, day))
        self.away.discard((v, day))
        return s

    def spaced(self, s: int, day: dt.date, ignore: dt.date | None = None) -> bool:
        gap = self.instance.params.rules.gap_days
        return all(abs((day - d).days) >= gap for d in self.visits(s) if d != ignore)

    def room(self, s: int) -> bool:
        return len(self.visits(s)) < self.instance.params.rules.max_visits

    def loss(self, v: int, day: dt.date) -> int:
        """Objective lost by removing the stop of (v, day), idle cost aside."""
        instance = self.instance
        s = self.at[v, day]
        without = self.exposure - instance.audience_q[s]
        coverage = int(instance.coverage_q(self.exposure)) - int(instance.coverage_q(without))
        return coverage + instance.day_value_q(v, s, day)

    def gains(self, v: int, day: dt.date) -> np.ndarray:
        """Objective gained by a stop in each commune on (v, day), -inf where a rule forbids it."""
        instance = self.instance
        gains = np.full(len(instance.communes), -np.inf)
        allowed = [s for s in self.candidates if stop_allowed(instance, v, day, s) and instance.day_trip(v, s)
                   and self.room(s) and self.spaced(s, day)]
        if allowed:
            marginal = instance.marginal_q(self.exposure, np.array(allowed))
            for s, gain in zip(allowed, marginal):
                gains[s] = int(gain) + instance.day_value_q(v, s, day)
        return gains


def repair_plan(instance: Instance, previous: tuple[Stop, ...], requests: tuple[Request, ...],
                candidates: set[int]) -> Repair | None:
    """The previous plan with the fewest stops moved so that every rule holds, or None when a rule
    this repair does not handle (quotas, a pin on a taken day of a must request) still breaks.
    Free days are filled from ``candidates`` only."""
    scenario = instance.scenario
    if any(v.kind != "bus" for v in scenario.vehicles):
        return None
    plan = _Plan(instance, candidates)
    _keep_valid(plan, previous)
    index = scenario.territory.index
    for pin in scenario.pins:
        if not _place_pin(plan, index[pin.insee], pin):
            return None
    for request in requests:
        if (request.active and request.priority == "must" and request.insee in index
                and not _serve(plan, index[request.insee], request)):
            return None
    _fill(plan)
    names = [v.name for v in scenario.vehicles]
    stops = tuple(sorted((Stop(date=d, vehicle=names[v], insee=instance.communes[s].insee,
                               away_after=(v, d) in plan.away) for (v, d), s in plan.at.items()),
                         key=lambda stop: (stop.date, stop.vehicle)))
    return Repair(stops, frozenset(plan.touched))


def _keep_valid(plan: _Plan, previous: tuple[Stop, ...]) -> None:
    instance = plan.instance
    scenario = instance.scenario
    names = {v.name: i for i, v in enumerate(scenario.vehicles)}
    index = scenario.territory.index
    for stop in sorted(previous, key=lambda s: s.date):
        v = names.get(stop.vehicle, 0 if len(names) == 1 and not stop.vehicle else None)
        s = index.get(stop.insee)
        if v is None:
            continue
        if (s is None or not stop_allowed(instance, v, stop.date, s) or not instance.reachable(v, s)
                or (v, stop.date) in plan.at or not plan.spaced(s, stop.date) or not plan.room(s)):
            if instance.why_closed(scenario.vehicles[v], stop.date) is None:
                plan.touched.add((v, stop.date))
            continue
        plan.add(v, stop.date, s)
        if stop.away_after:
            plan.away.add((v, stop.date))
    # A night away stays only if the next day is still its run's next stop.
    for v, day in list(plan.away):
        if (v, day + dt.timedelta(days=1)) not in plan.at:
            plan.away.discard((v, day))


def _clear_for(plan: _Plan, s: int, day: dt.date) -> bool:
    """Remove the visits of s that a stop on ``day`` would break (spacing, then the visit limit)."""
    gap = plan.instance.params.rules.gap_days
    for (v, d), t in list(plan.at.items()):
        if t == s and d != day and abs((day - d).days) < gap:
            if (v, d) in plan.fixed:
                return False
            plan.remove(v, d)
    while not plan.room(s):
        movable = [(v, d) for (v, d), t in plan.at.items() if t == s and (v, d) not in plan.fixed]
        if not movable:
            return False
        plan.remove(*min(movable, key=lambda key: plan.loss(*key)))
    return True


def _put(plan: _Plan, v: int, day: dt.date, s: int) -> bool:
    if (v, day) in plan.fixed:
        return plan.at.get((v, day)) == s
    if (v, day) in plan.at:
        if plan.at[v, day] == s:
            plan.fixed.add((v, day))
            return True
        plan.remove(v, day)
    if not _clear_for(plan, s, day):
        return False
    plan.add(v, day, s)
    plan.touched.add((v, day))
    plan.fixed.add((v, day))
    return True


def _place_pin(plan: _Plan, s: int, pin) -> bool:
    instance = plan.instance
    vehicles = [v for v, vehicle in enumerate(instance.scenario.vehicles) if not pin.vehicle or vehicle.name == pin.vehicle]
    for v in vehicles:
        if plan.at.get((v, pin.date)) == s:
            plan.fixed.add((v, pin.date))
            return True
    options = [v for v in vehicles if instance.why_closed(instance.scenario.vehicles[v], pin.date) is None]
    return any(_put(plan, v, pin.date, s) for v in options[:1])


def _serve(plan: _Plan, s: int, request: Request) -> bool:
    instance = plan.instance
    vehicles = range(len(instance.scenario.vehicles))
    for (v, d), t in plan.at.items():
        if t == s and request.in_window(d):
            plan.fixed.add((v, d))
    while sum(1 for (_v, d), t in plan.at.items() if t == s and request.in_window(d)) < request.days:
        options = []
        for v in vehicles:
            for day in instance.working_days(v):
                if not request.in_window(day) or (v, day) in plan.fixed or not stop_allowed(instance, v, day, s):
                    continue
                if not instance.day_trip(v, s):
                    continue
                # Cost: the stop displaced there, plus the visits of s the new one pushes out.
                cost = plan.loss(v, day) if (v, day) in plan.at else 0
                clash = [d for d in plan.visits(s) if abs((day - d).days) < instance.params.rules.gap_days]
                options.append((len(clash) + ((v, day) in plan.at), cost, day, v))
        for _moves, _cost, day, v in sorted(options):
            if _put(plan, v, day, s):
                break
        else:
            return False
    return True


def _fill(plan: _Plan) -> None:
    """Free working days get the stop that adds most (the idle cost makes any stop worth it)."""
    instance = plan.instance
    for v in range(len(instance.scenario.vehicles)):
        for day in instance.working_days(v):
            if (v, day) in plan.at:
                continue
            gains = plan.gains(v, day)
            s = int(np.argmax(gains))
            if np.isfinite(gains[s]) and gains[s] + instance.idle_day_q > 0:
                plan.add(v, day, s)
            plan.touched.add((v, day))
