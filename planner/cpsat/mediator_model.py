"""The CP-SAT model of a mediator's weekly template: which commune each half-day of the week gets.

A rotating mediator repeats the same week all season (Monday morning in A, Monday afternoon in B,
...). The model chooses that week; planner/search/mediator_solve.py then lays it on the dates.

Variables (created in ``create_*``/``add_*`` functions, documented there):
- x[p]          days of its day type (interchangeable weekdays of a mediator) that use pattern p:
                morning in s1 (or nothing), afternoon in s2 (or nothing); only patterns whose drive
                base -> s1 -> s2 -> base fits ``max_drive_minutes`` and whose communes' mairies are
                open get a variable (a Boolean unless a commune may come twice a week);
- visits[s]     half-days of the week in commune s (0..``rules.mediator_visits_per_week``);
- cover[c][k]   exposure units of home commune c in its k-th value segment (as the season model);
- served[r]     accepted "should" request r is served by the dated stops of the template;
- enforce[...]  a literal per pin and must request when diagnosing an infeasible configuration.

Objective semantics: the value of ONE WEEK in which every template day is open, on the integers of
``Instance``, so that it equals evaluate() of the dated stops of such a week exactly: coverage of
the week's exposure (each template half-day is one visit for the concave coverage), market bonus
on the commune's market weekday, minus the travel of each day (leg by leg, each leg rounded, as the
evaluator charges it), minus the idle half-days (round(idle_day_q x idle days), rounded once for the
week as the evaluator rounds it); plus the bonus of the "should" requests the season's dated stops
serve (a season figure, 0 without requests). The season figures of the dated stops come from
evaluate(); they are not weeks x this value, because the evaluator's coverage saturates after
``rules.max_visits`` visits of a commune over the season.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from planner.core.instance import Instance
from planner.cpsat.coverage import add_concave_coverage
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
class MediatorModel:
    instance: Instance
    mediators: tuple[int, ...]  # vehicle indices of kind "mediator"
    days: dict[int, dict[int, tuple[dt.date, ...]]]  # v -> weekday -> its working dates
    hours: tuple[OpeningHours, ...]  # per commune (UNKNOWN when the territory has none)
    types: list[DayType] = field(default_factory=list)
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    patterns: list[Pattern] = field(default_factory=list)
    x: list[cp_model.IntVar] = field(default_factory=list)
    most: list[int] = field(default_factory=list)  # upper bound of each x
    visits: dict[int, cp_model.IntVar] = field(default_factory=dict)
    cover: dict[int, list[cp_model.IntVar]] = field(default_factory=dict)
    served: dict[str, cp_model.IntVar] = field(default_factory=dict)
    enforce: dict[str, cp_model.IntVar] = field(default_factory=dict)
    diagnose: bool = False

    def rule(self, label: str, constraint: cp_model.Constraint) -> None:
        """Make ``constraint`` a named rule: conditional on a literal when diagnosing."""
        if self.diagnose:
            literal = self.enforce.get(label) or self.model.NewBoolVar(label)
            self.enforce[label] = literal
            constraint.OnlyEnforceIf(literal)


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


def day_types(mm: MediatorModel) -> list[DayType]:
    """Group each mediator's weekdays by what can tell them apart: per commune and slot, whether it
    may be used; per commune, whether it is market day; per accepted request, how many of its
    dates the weekday offers (up to the ``days`` it asks for, see ``_request_terms``). A weekday
    with a pin is a type of its own, and so is every weekday when several mediators may bring a
    commune more than once a week (the one-mediator-per-commune-and-day rule is then stated per
    weekday). A forbidden (commune, date) does not split types: ``assign_days`` puts such a commune
    on the weekday where it loses the fewest dates."""
    instance = mm.instance
    scenario = instance.scenario
    index = scenario.territory.index
    every = len(mm.mediators) > 1 and instance.params.rules.mediator_visits_per_week > 1
    requests = [(r, index[r.insee]) for r in scenario.requests if r.active and r.insee in index]
    types = []
    for v in mm.mediators:
        name = scenario.vehicles[v].name
        pinned = {p.date.isoweekday() for p in scenario.pins if not p.vehicle or p.vehicle == name}
        groups: dict[tuple, list[int]] = {}
        slots = range(1, instance.slots_per_day(v) + 1)
        for weekday in mm.days[v]:
            if every or weekday in pinned:
                key: tuple = (weekday,)
            else:
                key = (tuple((tuple(slot_allowed(mm, v, weekday, k, s) for k in slots), weekday in instance.market_weekdays[s])
                             for s in range(len(instance.communes))),
                       tuple(min(r.days, occurrences(mm, v, weekday, s, r)) for r, s in requests))
            groups.setdefault(key, []).append(weekday)
        for weekdays in groups.values():
            types.append(DayType(v, tuple(weekdays), mm.days[v][weekdays[0]][0]))
    return types


def slot_allowed(mm: MediatorModel, v: int, weekday: int, slot: int, s: int) -> bool:
    """Commune s can take this half-day of the template: not forbidden all season, its mairie not
    known to be closed then, and on its market weekday if the market-day rule is on."""
    instance = mm.instance
    if instance.is_forbidden(None, instance.communes[s].insee):
        return False
    market_days = instance.market_weekdays[s]
    if instance.params.rules.market_required and market_days and weekday not in market_days:
        return False
    session = instance.scenario.vehicles[v].sessions[slot - 1]
    return available(mm.hours[s], weekday, session) is not False


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


def make_pattern(mm: MediatorModel, t: int, communes: tuple[int | None, ...]) -> Pattern | None:
    """The pattern, or None when its day breaks the driving limit. Travel is charged leg by leg,
    each leg rounded on its own, as the evaluator does."""
    instance = mm.instance
    v = mm.types[t].v
    vehicle = instance.scenario.vehicles[v]
    filled = [s for s in communes if s is not None]
    legs = day_legs(instance, v, filled)
    day_minutes = 0.0
    for _in, _home, leg_minutes in legs:
        day_minutes += leg_minutes
    if day_minutes > vehicle.max_drive_minutes + 1e-6:
        return None
    sample = mm.types[t].sample
    value = sum(instance.market_q(s, sample) for s in filled)
    value -= sum(instance.travel_q(km_in) + instance.travel_q(km_home) for km_in, km_home, _ in legs)
    return Pattern(t, v, communes, day_minutes, sum(a + b for a, b, _ in legs), value)


def enumerate_patterns(mm: MediatorModel, t: int, candidates: list[int]) -> list[Pattern]:
    """Every useful day of day type t.

    Dominated patterns are left out: of (a, b) and (b, a), which visit the same communes the same
    day and so weigh the same in every constraint, only the better-valued feasible order is kept
    (ties: a in the morning); of "a in the morning only" and "a in the afternoon only", the morning.
    """
    v, weekday = mm.types[t].v, mm.types[t].weekdays[0]
    slots = mm.instance.slots_per_day(v)
    allowed = {k: [s for s in candidates if slot_allowed(mm, v, weekday, k, s)] for k in range(1, slots + 1)}
    patterns: list[Pattern] = []
    for s in candidates:
        options = [tuple(s if k == slot else None for k in range(1, slots + 1)) for slot in range(1, slots + 1)
                   if s in allowed[slot]]
        best = _best(mm, t, options)
        if best is not None:
            patterns.append(best)
    if slots == 2:
        morning, afternoon = set(allowed[1]), set(allowed[2])
        for i, a in enumerate(candidates):
            for b in candidates[i + 1:]:
                options = [pair for pair in ((a, b), (b, a)) if pair[0] in morning and pair[1] in afternoon]
                best = _best(mm, t, options)
                if best is not None:
                    patterns.append(best)
    return patterns


def _best(mm: MediatorModel, t: int, options: list[tuple]) -> Pattern | None:
    best = None
    for communes in options:
        pattern = make_pattern(mm, t, communes)
        if pattern is not None and (best is None or pattern.value_q > best.value_q):
            best = pattern
    return best


def build_mediator_model(instance: Instance, requests: tuple[Request, ...] = (), *,
                         diagnose: bool = False) -> MediatorModel:
    """Model of the weekly template of every mediator; ``requests`` are the accepted ones."""
    mediators = mediator_indices(instance)
    days = {v: template_days(instance, v) for v in mediators}
    mm = MediatorModel(instance, mediators, days, commune_hours(instance), diagnose=diagnose)
    mm.types = day_types(mm)
    create_pattern_variables(mm)
    add_one_pattern_per_day(mm)
    add_one_mediator_per_commune_and_day(mm)
    add_weekly_visits(mm)
    add_coverage(mm)
    add_pins(mm)
    add_must_requests(mm, [r for r in requests if r.priority == "must"])
    add_should_requests(mm, [r for r in requests if r.priority == "should"])
    add_objective(mm)
    return mm


def create_pattern_variables(mm: MediatorModel) -> None:
    """x[p] = days of p's day type that use pattern p; candidates are the communes whose round
    trip from the base fits the day's driving limit. A pattern may fill several days of its type
    only when a commune may be visited more than once a week."""
    instance = mm.instance
    limit = instance.params.rules.mediator_visits_per_week
    for t, day_type in enumerate(mm.types):
        v = day_type.v
        candidates = [s for s in range(len(instance.communes)) if instance.day_trip(v, s)]
        most = min(limit, len(day_type.weekdays))
        for pattern in enumerate_patterns(mm, t, candidates):
            mm.patterns.append(pattern)
            names = "_".join("-" if s is None else str(s) for s in pattern.communes)
            name = f"x_{v}_{''.join(map(str, day_type.weekdays))}_{names}"
            mm.x.append(mm.model.NewBoolVar(name) if most == 1 else mm.model.NewIntVar(0, most, name))
            mm.most.append(most)


def add_one_pattern_per_day(mm: MediatorModel) -> None:
    """Each day of a day type is one pattern or nothing (two idle half-days)."""
    groups: dict[int, list[int]] = {}
    for i, p in enumerate(mm.patterns):
        groups.setdefault(p.t, []).append(i)
    for t, positions in groups.items():
        if len(mm.types[t].weekdays) == 1:
            mm.model.AddAtMostOne(mm.x[i] for i in positions)
        else:
            mm.model.Add(sum(mm.x[i] for i in positions) <= len(mm.types[t].weekdays))


def add_one_mediator_per_commune_and_day(mm: MediatorModel) -> None:
    """With several mediators, a commune gets at most one of them on a given weekday (implied by
    the weekly rule when a commune gets one half-day a week; otherwise day types are weekdays)."""
    if len(mm.mediators) < 2 or mm.instance.params.rules.mediator_visits_per_week <= 1:
        return
    groups: dict[tuple[int, int], list[int]] = {}
    for i, p in enumerate(mm.patterns):
        for _slot, s in p.stops():
            groups.setdefault((mm.types[p.t].weekdays[0], s), []).append(i)
    for positions in groups.values():
        if len({mm.patterns[i].v for i in positions}) > 1:
            mm.model.AddAtMostOne(mm.x[i] for i in positions)


def add_weekly_visits(mm: MediatorModel) -> None:
    """visits[s] = half-days of the week in commune s, at most ``rules.mediator_visits_per_week``."""
    limit = mm.instance.params.rules.mediator_visits_per_week
    groups: dict[int, list[int]] = {}
    for i, p in enumerate(mm.patterns):
        for _slot, s in p.stops():
            groups.setdefault(s, []).append(i)
    for s, positions in sorted(groups.items()):
        mm.visits[s] = mm.model.NewIntVar(0, min(limit, sum(mm.most[i] for i in positions)), f"visits_{s}")
        mm.model.Add(mm.visits[s] == sum(mm.x[i] for i in positions))


def add_coverage(mm: MediatorModel) -> None:
    """cover[c][k]: commune c's weekly exposure in its k-th segment (planner/cpsat/coverage.py)."""
    limit = mm.instance.params.rules.mediator_visits_per_week
    mm.cover = add_concave_coverage(mm.model, mm.instance, mm.visits, limit)


def occurrences(mm: MediatorModel, v: int, weekday: int, s: int, request: Request | None = None) -> int:
    """Dated stops a template half-day of s on (v, weekday) makes: its working dates, minus the
    dates s is forbidden, inside the request's windows when one is given."""
    insee = mm.instance.communes[s].insee
    return sum(1 for d in mm.days[v][weekday]
               if not mm.instance.is_forbidden(d, insee) and (request is None or request.in_window(d)))


def add_pins(mm: MediatorModel) -> None:
    """A pinned (date, commune) is in the template: that weekday (a day type of its own) visits the
    commune (by the named mediator, if any), and the date is a working, not forbidden, day of it."""
    instance = mm.instance
    index = instance.scenario.territory.index
    for pin in instance.scenario.pins:
        s = index.get(pin.insee, -1)
        options = [mm.x[i] for i, p in enumerate(mm.patterns)
                   if s in p.communes and mm.types[p.t].weekdays == (pin.date.isoweekday(),)
                   and pin.date in mm.days[p.v][pin.date.isoweekday()] and not instance.is_forbidden(pin.date, pin.insee)
                   and (not pin.vehicle or instance.scenario.vehicles[p.v].name == pin.vehicle)]
        mm.rule(pin.label(), mm.model.Add(sum(options) >= 1))


def _request_terms(mm: MediatorModel, request: Request) -> list:
    """Dated stops in the request's windows, as a sum over patterns. Each pattern's count is capped
    at ``days``: the same integer solutions (one such pattern suffices), a tighter LP relaxation,
    and weekdays that differ only beyond ``days`` stay one day type."""
    s = mm.instance.scenario.territory.index.get(request.insee, -1)
    terms = []
    for i, p in enumerate(mm.patterns):
        if s in p.communes:
            count = occurrences(mm, p.v, mm.types[p.t].weekdays[0], s, request)  # the same on its type's weekdays
            if count:
                terms.append(min(count, request.days) * mm.x[i])
    return terms


def add_must_requests(mm: MediatorModel, requests: list[Request]) -> None:
    """An accepted must request gets ``days`` dated stops inside its windows."""
    for request in requests:
        mm.rule(f"demande {request.request_id}", mm.model.Add(sum(_request_terms(mm, request)) >= request.days))


def add_should_requests(mm: MediatorModel, requests: list[Request]) -> None:
    """served[r] = 1 only when the template's dated stops give r its ``days`` stops in its windows."""
    for request in requests:
        served = mm.model.NewBoolVar(f"served_{request.request_id}")
        mm.served[request.request_id] = served
        mm.model.Add(sum(_request_terms(mm, request)) >= request.days * served)


def idle_denominator(mm: MediatorModel) -> int:
    """Idle days are counted in 1/den day: halves when a mediator has two half-days a day."""
    return 2 if any(mm.instance.slots_per_day(v) == 2 for v in mm.mediators) else 1


def idle_units_expression(mm: MediatorModel):
    """Empty half-days of the week in 1/den day (an affine expression of the pattern variables)."""
    den = idle_denominator(mm)
    total = den * sum(len(mm.days[v]) for v in mm.mediators)  # every half-day of every template day, empty at first
    filled = sum((den // mm.instance.slots_per_day(p.v)) * len(p.stops()) * var for p, var in zip(mm.patterns, mm.x))
    return total - filled


def idle_cost_q(mm: MediatorModel, units: int) -> int:
    """The evaluator's charge for ``units`` empty 1/den days: round(idle_day_q x idle days), where
    idle days is a sum of halves (exact in floating point) rounded once, as in evaluate()."""
    return round(mm.instance.idle_day_q * (units / idle_denominator(mm)))


def add_idle_cost(mm: MediatorModel) -> cp_model.LinearExpr | int:
    """The idle charge of the week as an objective term to subtract.

    Linear when idle_day_q / den is an integer; otherwise the evaluator's rounding (half-points go
    to the even integer) is reproduced exactly: den x cost = idle_day_q x units + r, with the small
    correction r read from a table by an element constraint.
    """
    instance = mm.instance
    den = idle_denominator(mm)
    idle_q = instance.idle_day_q
    expression = idle_units_expression(mm)
    if idle_q % den == 0:
        return (idle_q // den) * expression
    most = den * sum(len(mm.days[v]) for v in mm.mediators)
    units = mm.model.NewIntVar(0, most, "idle_units")
    mm.model.Add(units == expression)
    table = [den * idle_cost_q(mm, h) - idle_q * h for h in range(most + 1)]
    correction = mm.model.NewIntVar(min(table), max(table), "idle_rounding")
    mm.model.AddElement(units, table, correction)
    cost = mm.model.NewIntVar(0, idle_cost_q(mm, most), "idle_cost")
    mm.model.Add(den * cost == idle_q * units + correction)
    return cost


def add_objective(mm: MediatorModel) -> None:
    """Maximise the value of one week (see the module docstring) plus the should bonuses."""
    instance = mm.instance
    terms = []
    for c, segments in mm.cover.items():
        for k, var in enumerate(segments):
            terms.append(int(instance.slope_q[c, k]) * var)
    for pattern, var in zip(mm.patterns, mm.x):
        if pattern.value_q:
            terms.append(pattern.value_q * var)
    for var in mm.served.values():
        terms.append(instance.should_bonus_q * var)
    mm.model.Maximize(sum(terms) - add_idle_cost(mm))


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
    """The objective of a set of patterns, computed directly (the cover variables of a solution
    that is not optimal may sit below the exposure; this does not depend on them)."""
    instance = mm.instance
    counts: dict[int, int] = {}
    for pattern in chosen:
        for _slot, s in pattern.stops():
            counts[s] = counts.get(s, 0) + 1
    coverage = int(instance.coverage_q(instance.exposure(counts)))
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

