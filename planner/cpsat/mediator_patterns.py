"""The days a mediator's weekly template can hold: day types and patterns (the enumeration).

A day of the template is a pattern: the commune of its morning and of its afternoon (or nothing),
kept only when its drive fits the day's limit and the communes may take those half-days. Weekdays
that no rule tells apart form one day type, whose days are interchangeable. The CP-SAT model
(planner/cpsat/mediator_model.py) chooses among these patterns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from planner.core.instance import Instance
from planner.core.rules import forbidden_violation, market_violation
from planner.domain.host_hours import UNKNOWN, OpeningHours, available
from planner.domain.request import Request

MAX_SLOTS = 2  # half-days a mediator's day can hold (patterns are pairs; three would be cubic)


@dataclass(frozen=True)
class DayType:
    """Weekdays of one mediator that no rule tells apart: same mairies open in each slot, same
    market days, as many requested dates, no pin (see ``day_types``). Their days are
    interchangeable in the template, so the model picks patterns per type, not per weekday: this
    removes the symmetric copies of every template, which otherwise stall the proof of optimality."""

    v: int
    weekdays: tuple[int, ...]
    sample: dt.date  # a working date of the first weekday, for the market bonus


@dataclass(frozen=True)
class Pattern:
    """One possible day of the template: commune index per slot (None = empty half-day)."""

    t: int  # its DayType
    v: int
    communes: tuple[int | None, ...]  # slot 1 first
    minutes: float  # driving of the day, base -> stops -> base
    km: float
    value_q: int  # market bonuses - travel

    def stops(self) -> tuple[tuple[int, int], ...]:
        """(slot, commune) of each filled half-day, slot numbered from 1."""
        return tuple((k + 1, s) for k, s in enumerate(self.communes) if s is not None)


@dataclass
class TemplateWeek:
    """The week a template fills: its mediators, their working dates by weekday, the mairies'
    hours and the day types (the model, planner/cpsat/mediator_model.py, is one)."""

    instance: Instance
    mediators: tuple[int, ...]  # vehicle indices of kind "mediator"
    days: dict[int, dict[int, tuple[dt.date, ...]]]  # v -> weekday -> its working dates
    hours: tuple[OpeningHours, ...]  # per commune (UNKNOWN when the territory has none)
    types: list[DayType] = field(default_factory=list)


def mediator_indices(instance: Instance) -> tuple[int, ...]:
    return tuple(v for v, vehicle in enumerate(instance.scenario.vehicles) if vehicle.kind == "mediator")


def template_days(instance: Instance, v: int) -> dict[int, tuple[dt.date, ...]]:
    """Weekday -> working dates of vehicle v, for the weekdays that have at least one."""
    days: dict[int, list[dt.date]] = {}
    for day in instance.working_days(v):
        days.setdefault(day.isoweekday(), []).append(day)
    return {w: tuple(d) for w, d in sorted(days.items())}


def commune_hours(instance: Instance) -> tuple[OpeningHours, ...]:
    """Opening hours of each commune's mairie; the first row of a commune counts."""
    found: dict[str, OpeningHours] = {}
    for row in instance.scenario.territory.host_hours:
        found.setdefault(row.insee, row.opening)
    return tuple(found.get(c.insee, UNKNOWN) for c in instance.communes)


def day_types(week: TemplateWeek) -> list[DayType]:
    """Group each mediator's weekdays by what can tell them apart: per commune and slot, whether it
    may be used; per commune, whether it is market day; per accepted request, how many of its
    dates the weekday offers (up to the ``days`` it asks for, see mediator_model ``_request_terms``). A weekday
    with a pin is a type of its own, and so is every weekday when several mediators may bring a
    commune more than once a week (the one-mediator-per-commune-and-day rule is then stated per
    weekday). A forbidden (commune, date) does not split types: mediator_template ``assign_days`` puts such a commune
    on the weekday where it loses the fewest dates."""
    instance = week.instance
    scenario = instance.scenario
    index = scenario.territory.index
    every = len(week.mediators) > 1 and instance.params.rules.mediator_visits_per_week > 1
    requests = [(r, index[r.insee]) for r in scenario.requests if r.active and r.insee in index]
    types = []
    for v in week.mediators:
        name = scenario.vehicles[v].name
        pinned = {p.date.isoweekday() for p in scenario.pins if not p.vehicle or p.vehicle == name}
        groups: dict[tuple, list[int]] = {}
        slots = range(1, instance.slots_per_day(v) + 1)
        for weekday in week.days[v]:
            if every or weekday in pinned:
                key: tuple = (weekday,)
            else:
                key = (tuple((tuple(slot_allowed(week, v, weekday, k, s) for k in slots), weekday in instance.market_weekdays[s])
                             for s in range(len(instance.communes))),
                       tuple(min(r.days, occurrences(week, v, weekday, s, r)) for r, s in requests))
            groups.setdefault(key, []).append(weekday)
        for weekdays in groups.values():
            types.append(DayType(v, tuple(weekdays), week.days[v][weekdays[0]][0]))
    return types


def slot_allowed(week: TemplateWeek, v: int, weekday: int, slot: int, s: int) -> bool:
    """Commune s can take this half-day of the template: not forbidden all season, its mairie not
    known to be closed then, and on its market weekday if the market-day rule is on."""
    instance = week.instance
    if forbidden_violation(instance, None, s) or market_violation(instance, weekday, s):
        return False
    session = instance.scenario.vehicles[v].sessions[slot - 1]
    return available(week.hours[s], weekday, session) is not False


def day_legs(instance: Instance, v: int, communes: list[int]) -> list[tuple[float, float, float]]:
    """(km in, km home, minutes) of each stop of a day, as planner/core/routes.py reckons them: the leg
    that reaches the stop, the drive home after the last one (0 for the others), and the minutes
    of both (same float operations, same order, so that the driving limit agrees to the bit)."""
    km, minutes = instance.need.travel.km, instance.need.travel.minutes
    legs = []
    here = None
    for n, s in enumerate(communes):
        if here is None:
            leg_km, leg_min = float(instance.base_km[v, s]), float(instance.base_minutes[v, s])
        else:
            leg_km, leg_min = float(km[here, s]), float(minutes[here, s])
        home_km = home_min = 0.0
        if n == len(communes) - 1:
            home_km, home_min = float(instance.base_km[v, s]), float(instance.base_minutes[v, s])
        legs.append((leg_km, home_km, leg_min + home_min))
        here = s
    return legs


def make_pattern(week: TemplateWeek, t: int, communes: tuple[int | None, ...]) -> Pattern | None:
    """The pattern, or None when its day breaks the driving limit. Travel is charged leg by leg,
    each leg rounded on its own, as the evaluator does."""
    instance = week.instance
    v = week.types[t].v
    vehicle = instance.scenario.vehicles[v]
    filled = [s for s in communes if s is not None]
    legs = day_legs(instance, v, filled)
    day_minutes = 0.0
    for _in, _home, leg_minutes in legs:
        day_minutes += leg_minutes
    if day_minutes > vehicle.max_drive_minutes + 1e-6:
        return None
    sample = week.types[t].sample
    value = sum(instance.market_q(s, sample) for s in filled)
    value -= sum(instance.travel_q(km_in) + instance.travel_q(km_home) for km_in, km_home, _ in legs)
    return Pattern(t, v, communes, day_minutes, sum(a + b for a, b, _ in legs), value)


def enumerate_patterns(week: TemplateWeek, t: int, candidates: list[int]) -> list[Pattern]:
    """Every useful day of day type t.

    Dominated patterns are left out: of (a, b) and (b, a), which visit the same communes the same
    day and so weigh the same in every constraint, only the better-valued feasible order is kept
    (ties: a in the morning); of "a in the morning only" and "a in the afternoon only", the morning.
    """
    v, weekday = week.types[t].v, week.types[t].weekdays[0]
    slots = week.instance.slots_per_day(v)
    allowed = {k: [s for s in candidates if slot_allowed(week, v, weekday, k, s)] for k in range(1, slots + 1)}
    patterns: list[Pattern] = []
    for s in candidates:
        options = [tuple(s if k == slot else None for k in range(1, slots + 1)) for slot in range(1, slots + 1)
                   if s in allowed[slot]]
        best = _best(week, t, options)
        if best is not None:
            patterns.append(best)
    if slots == 2:
        morning, afternoon = set(allowed[1]), set(allowed[2])
        for i, a in enumerate(candidates):
            for b in candidates[i + 1:]:
                options = [pair for pair in ((a, b), (b, a)) if pair[0] in morning and pair[1] in afternoon]
                best = _best(week, t, options)
                if best is not None:
                    patterns.append(best)
    return patterns


def _best(week: TemplateWeek, t: int, options: list[tuple]) -> Pattern | None:
    best = None
    for communes in options:
        pattern = make_pattern(week, t, communes)
        if pattern is not None and (best is None or pattern.value_q > best.value_q):
            best = pattern
    return best



def occurrences(week: TemplateWeek, v: int, weekday: int, s: int, request: Request | None = None) -> int:
    """Dated stops a template half-day of s on (v, weekday) makes: its working dates, minus the
    dates s is forbidden, inside the request's windows when one is given."""
    insee = week.instance.communes[s].insee
    return sum(1 for d in week.days[v][weekday]
               if not week.instance.is_forbidden(d, insee) and (request is None or request.in_window(d)))

