"""Re-planning a mediator's published season (``plan --mode mediator --from``): fewest moves.

The published season is the weekly rotation laid on its dates. After a change (a mairie closed
for a month, a new host asking for dates, a week moved by a pin) the re-plan works on those dated
half-days, not on the rotation: changing a rotation slot would move every date of that slot, and
the hosts have published them. The rules are those of the bus re-plan (planner/search/repair.py):
1. a half-day now closed, forbidden, outside the mairie's hours or the market-day rule, or that
   breaks the weekly visit limit, the same-day rule or the day's driving limit, leaves;
2. every pin gets its date (a free half-day of that date, else the one that brings least);
3. every accepted must request gets its half-days inside its windows, a free one first, else the
   one that brings least (never a pin or another must request's); a visit of the same commune
   that week leaves if the weekly limit requires it;
4. each free half-day (freed by 1-3, or idle in the published plan) gets the commune that adds
   most that week, every rule kept.
The objective is the evaluator's (the season's, each week's coverage on its own) minus the move
penalty of each published stop that moved; no bound is claimed.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace

import numpy as np

from planner.core.control import SolveControl
from planner.core.evaluate import evaluate
from planner.core.instance import VALUE_SCALE, Instance
from planner.cpsat.mediator_model import MediatorModel, build_mediator_model
from planner.cpsat.mediator_patterns import day_legs, slot_allowed
from planner.domain.formatting import plural
from planner.domain.plan import Plan, SolverReport, Unserved
from planner.domain.request import Request
from planner.domain.stop import Stop
from planner.search.mediator_solve import pin_conflict, static_reason
from planner.search.replan import explain_additions, explain_moves

SOURCE = "plan précédent réparé (médiateur, dates publiées gardées)"

Key = tuple[int, dt.date, int]  # vehicle, date, slot


class _Days:
    """The dated half-days of the mediators, with the rules that bind them."""

    def __init__(self, instance: Instance, mm: MediatorModel) -> None:
        self.instance = instance
        self.mm = mm
        self.at: dict[Key, int] = {}
        self.fixed: set[Key] = set()
        self.touched: set[Key] = set()

    def week(self, day: dt.date) -> tuple[int, int]:
        return day.isocalendar()[:2]

    def allowed(self, key: Key, s: int) -> bool:
        """Every rule for commune s on this half-day, given the other stops."""
        instance = self.instance
        v, day, slot = key
        vehicle = instance.scenario.vehicles[v]
        if instance.why_closed(vehicle, day) is not None or slot > instance.slots_per_day(v):
            return False
        if instance.is_forbidden(day, instance.communes[s].insee) or not instance.day_trip(v, s):
            return False
        if not slot_allowed(self.mm, v, day.isoweekday(), slot, s):
            return False
        others = [(k, t) for k, t in self.at.items() if k != key]
        if any(k[1] == day and t == s for k, t in others):
            return False  # twice the same day
        weekly = sum(1 for k, t in others if t == s and self.week(k[1]) == self.week(day))
        if weekly >= instance.params.rules.mediator_visits_per_week:
            return False
        return self.day_minutes(v, day, {slot: s}) <= vehicle.max_drive_minutes + 1e-6

    def day_communes(self, v: int, day: dt.date, change: dict[int, int | None] | None = None) -> list[int]:
        slots = {k[2]: t for k, t in self.at.items() if k[0] == v and k[1] == day}
        slots.update(change or {})
        return [slots[k] for k in sorted(slots) if slots[k] is not None]

    def day_minutes(self, v: int, day: dt.date, change: dict[int, int | None]) -> float:
        return sum(m for _a, _b, m in day_legs(self.instance, v, self.day_communes(v, day, change)))

    def day_travel_q(self, v: int, day: dt.date, change: dict[int, int | None] | None = None) -> int:
        instance = self.instance
        legs = day_legs(instance, v, self.day_communes(v, day, change))
        return sum(instance.travel_q(km_in) + instance.travel_q(km_home) for km_in, km_home, _ in legs)

    def exposure(self, day: dt.date, without: Key | None = None) -> np.ndarray:
        counts: dict[int, int] = {}
        for k, t in self.at.items():
            if k != without and self.week(k[1]) == self.week(day):
                counts[t] = counts.get(t, 0) + 1
        return self.instance.exposure(counts)

    def value(self, key: Key, s: int | None) -> int:
        """Objective of the week with commune s (or nothing) on this half-day, against without."""
        instance = self.instance
        v, day, slot = key
        base = self.exposure(day, without=key)
        if s is None:
            return -self.day_travel_q(v, day, {slot: None})
        coverage = int(instance.coverage_q(base + instance.audience_q[s])) - int(instance.coverage_q(base))
        return coverage + instance.market_q(s, day) - self.day_travel_q(v, day, {slot: s})

    def loss(self, key: Key) -> int:
        return self.value(key, self.at[key]) - self.value(key, None)

    def remove(self, key: Key) -> None:
        del self.at[key]
        self.touched.add(key)

    def put(self, key: Key, s: int) -> bool:
        if key in self.fixed:
            return self.at.get(key) == s
        previous = self.at.pop(key, None)
        # The other visits of s that week may have to leave (weekly limit, same day), unless fixed.
        clash = {k: t for k, t in self.at.items() if t == s and self.week(k[1]) == self.week(key[1])
                 and k not in self.fixed}
        for k in clash:
            del self.at[k]
        if not self.allowed(key, s):
            self.at.update(clash)
            if previous is not None:
                self.at[key] = previous
            return False
        self.touched.update(clash)
        self.at[key] = s
        self.fixed.add(key)
        if previous != s:
            self.touched.add(key)
        return True


def replan_mediator(instance: Instance, previous: tuple[Stop, ...],
                    control: SolveControl | None = None) -> Plan | None:
    """The re-planned season, or None when the repair cannot keep every rule (the caller then
    plans the rotation afresh and reports the moves)."""
    settings = instance.params.solver
    started = time.perf_counter()
    mm = build_mediator_model(instance)
    scenario = instance.scenario
    unserved = [u for u in (static_reason(mm, r) for r in scenario.requests) if u is not None]
    excluded = {u.request_id for u in unserved}
    servable = tuple(r for r in scenario.requests if r.active and r.request_id not in excluded)
    if any(pin_conflict(mm, pin) is not None for pin in scenario.pins):
        return None
    days = _Days(instance, mm)
    _keep_valid(days, previous)
    index = scenario.territory.index
    for pin in scenario.pins:
        if not _place(days, index[pin.insee], [pin.date], pin.vehicle):
            return None
    for request in servable:
        if request.priority == "must" and not _serve(days, index[request.insee], request):
            return None
    _fill(days)
    names = [v.name for v in scenario.vehicles]
    stops = tuple(sorted((Stop(date=d, vehicle=names[v], insee=instance.communes[s].insee, slot=slot)
                          for (v, d, slot), s in days.at.items()), key=lambda x: (x.date, x.vehicle, x.slot)))
    evaluation = evaluate(instance, stops)
    if evaluation.violations:
        return None
    kept = {(s.date, s.vehicle, s.insee) for s in stops}
    moved_count = sum(1 for p in previous if (p.date, p.vehicle, p.insee) not in kept)
    objective_q = evaluation.objective_q - instance.move_penalty_q * moved_count
    for request in servable:
        if request.request_id not in evaluation.served_requests:
            unserved.append(Unserved(request.request_id, request.insee, request.priority, "lower_value",
                                     "les demi-journées de ses périodes rapportent davantage ailleurs"))
    wall = round(time.perf_counter() - started, 3)
    if control is not None:
        control.emit("repair", objective=objective_q / VALUE_SCALE,
                     message="re-planification du médiateur : "
                             f"{plural(len(days.touched), 'demi-journée revue', 'demi-journées revues')}")
    report = SolverReport("FEASIBLE", objective_q / VALUE_SCALE, None, None, wall, settings.seed, settings.workers,
                          source=SOURCE)
    metrics = replace(evaluation.metrics, unserved_requests=len(unserved))
    return Plan(evaluation.stops, tuple(unserved), report, metrics, instance.params.to_dict(), (),
                explain_moves(instance, previous, evaluation.stops),
                added=explain_additions(instance, previous, evaluation.stops))


def _keep_valid(days: _Days, previous: tuple[Stop, ...]) -> None:
    instance = days.instance
    names = {v.name: i for i, v in enumerate(instance.scenario.vehicles)}
    index = instance.scenario.territory.index
    for stop in sorted(previous, key=lambda s: (s.date, s.slot)):
        v = names.get(stop.vehicle, 0 if len(names) == 1 and not stop.vehicle else None)
        s = index.get(stop.insee)
        if v is None:
            continue
        key = (v, stop.date, stop.slot or 1)
        if s is None or key in days.at or not days.allowed(key, s):
            if instance.why_closed(instance.scenario.vehicles[v], stop.date) is None:
                days.touched.add(key)
            continue
        days.at[key] = s


def _place(days: _Days, s: int, dates: list[dt.date], vehicle: str = "") -> bool:
    """One half-day for s on one of ``dates``: already there, a free one, else the cheapest to give up."""
    instance = days.instance
    keys = [(v, d, slot) for v, veh in enumerate(instance.scenario.vehicles) if not vehicle or veh.name == vehicle
            for d in dates if d in set(instance.working_days(v)) for slot in range(1, instance.slots_per_day(v) + 1)]
    for key in keys:
        if days.at.get(key) == s:
            days.fixed.add(key)
            return True
    options = sorted((key in days.at, days.loss(key) if key in days.at else 0, key) for key in keys
                      if key not in days.fixed)
    return any(days.put(key, s) for _taken, _loss, key in options)


def _serve(days: _Days, s: int, request: Request) -> bool:
    instance = days.instance
    for key, t in days.at.items():
        if t == s and request.in_window(key[1]):
            days.fixed.add(key)
    window = sorted({d for v in range(len(instance.scenario.vehicles)) for d in instance.working_days(v)
                     if request.in_window(d)})
    while sum(1 for key, t in days.at.items() if t == s and request.in_window(key[1])) < request.days:
        taken = {key[1] for key, t in days.at.items() if t == s}
        if not _place(days, s, [d for d in window if d not in taken]):
            return False
    return True


def _fill(days: _Days) -> None:
    """Each free half-day (freed by the repair, or idle in the published plan) gets the commune that
    adds most that week, if any is allowed and worth more than the idle half-day."""
    instance = days.instance
    free = [(v, d, slot) for v in range(len(instance.scenario.vehicles)) for d in instance.working_days(v)
            for slot in range(1, instance.slots_per_day(v) + 1) if (v, d, slot) not in days.at]
    for key in free:
        v = key[0]
        idle = instance.idle_day_q / instance.slots_per_day(v)
        best, best_gain = None, 0.0
        empty = days.value(key, None)
        for s in range(len(instance.communes)):
            if days.allowed(key, s):
                gain = days.value(key, s) - empty + idle
                if gain > best_gain:
                    best, best_gain = s, gain
        if best is not None:
            days.at[key] = best
