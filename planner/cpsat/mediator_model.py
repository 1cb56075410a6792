"""The CP-SAT model of a mediator's weekly template: which commune each half-day of the week gets.

A rotating mediator repeats the same week all season (Monday morning in A, Monday afternoon in B,
...). The model chooses that week; planner/search/mediator_solve.py then lays it on the dates.

Variables (created in ``create_*``/``add_*`` functions, documented there):
- x[p]          days of its day type (interchangeable weekdays of a mediator) that use pattern p:
                morning in s1 (or nothing), afternoon in s2 (or nothing); only patterns whose drive
                base -> s1 -> s2 -> base fits ``max_drive_minutes`` and whose communes' mairies are
                open get a variable (a Boolean unless a commune may come twice a week);
- visits[s]     half-days of the week in commune s (0..``rules.mediator_visits_per_week``);
- flow[s, c]    participants of the week from home commune c at the half-days in s (as the season model);
- served[r]     accepted "should" request r is served by the dated stops of the template;
- enforce[...]  a literal per pin and must request when diagnosing an infeasible configuration.

Objective semantics: the value of ONE WEEK in which every template day is open, on the integers of
``Instance``, so that it equals evaluate() of the dated stops of such a week exactly: coverage of
the week's participants (each template half-day offers a mediator's places; the pools are the
week's: a mediator's help is a weekly drop-in, the same seniors may come back), market bonus
on the commune's market weekday (as held on the day type's sample date, its first working date: a
seasonal market counts when that date is in its months, the season's other weeks may differ),
minus the travel of each day (leg by leg, each leg rounded, as the
evaluator charges it), minus the idle half-days (round(idle_day_q x idle days), rounded once for the
week as the evaluator rounds it); plus the bonus of the "should" requests the season's dated stops
serve (a season figure, 0 without requests). The season figures of the dated stops come from
evaluate(), week by week.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner.core.instance import Instance
from planner.cpsat.mediator_patterns import (
    Pattern,
    TemplateWeek,
    commune_hours,
    day_types,
    enumerate_patterns,
    mediator_indices,
    occurrences,
    template_days,
)
from planner.cpsat.seats import add_seat_flows, flow_terms
from planner.domain.request import Request


@dataclass
class MediatorModel(TemplateWeek):
    """The CP-SAT model of the template: the week, its patterns and their variables."""

    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    patterns: list[Pattern] = field(default_factory=list)
    x: list[cp_model.IntVar] = field(default_factory=list)
    most: list[int] = field(default_factory=list)  # upper bound of each x
    visits: dict[int, cp_model.IntVar] = field(default_factory=dict)
    flow: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    served: dict[str, cp_model.IntVar] = field(default_factory=dict)
    enforce: dict[str, cp_model.IntVar] = field(default_factory=dict)
    diagnose: bool = False

    def rule(self, label: str, constraint: cp_model.Constraint) -> None:
        """Make ``constraint`` a named rule: conditional on a literal when diagnosing."""
        if self.diagnose:
            literal = self.enforce.get(label) or self.model.NewBoolVar(label)
            self.enforce[label] = literal
            constraint.OnlyEnforceIf(literal)


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
    """flow[s, c]: the week's participants from c at the half-days in s (planner/cpsat/seats.py)."""
    instance = mm.instance
    places = instance.places_q(mm.mediators[0]) if mm.mediators else 0
    supply = {s: places * var for s, var in mm.visits.items()}
    limit = instance.params.rules.mediator_visits_per_week
    most = {s: places * limit for s in mm.visits}
    mm.flow = add_seat_flows(mm.model, instance, supply, most, mm.visits, places)



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
    terms += flow_terms(instance, mm.flow)
    for pattern, var in zip(mm.patterns, mm.x):
        if pattern.value_q:
            terms.append(pattern.value_q * var)
    for var in mm.served.values():
        terms.append(instance.should_bonus_q * var)
    mm.model.Maximize(sum(terms) - add_idle_cost(mm))
