"""Aggregate model: how many stops each vehicle makes in each commune on each weekday.

Dates are interchangeable for most of the objective: coverage and travel depend only on how often
a commune is visited, and the market bonus only on the weekday (a seasonal market's, on the
weekday in its months: the model counts its best date, ``Instance.weekday_value_q``, an upper
bound). Deciding these counts first is a
small model (communes x weekdays instead of communes x days) that CP-SAT solves to optimality in
seconds. Every constraint below is implied by the full model, so its optimum is an upper bound on
the season's optimum; the season model then only has to find dates for these counts, and when it
does, the plan is proven optimal.

Variables:
- n[v, s, w]   stops of vehicle v in commune s on ISO weekday w (0..its date capacity); w = ANY_WEEKDAY
               (0) for a commune where the weekday makes no difference (see ``add_weekday_capacity``);
- visits[s]    total stops in commune s;
- flow[s, c]   as in the season model (participants from c at the stops of s);
- served[r]    "should" request r counted as served (needs enough visits of its commune);
- night[v, s, t, w, k]  k-th consecutive nights away near s on weekday w, on to t the next day;
- chain[v, s, t, w]     their sum over k (an expression, no variable); a run never returns to
                        the commune it left the day before (``add_no_return``);
- moved[p]     lower bound on the previous plan's stops of (v, s, w) that are not kept.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from planner.core.instance import Instance
from planner.core.reasons import max_spaced
from planner.core.rules import stop_allowed
from planner.cpsat.seats import add_seat_flows, flow_terms, hint_flows
from planner.domain.request import Request
from planner.domain.stop import Stop

ANY_WEEKDAY = 0  # n[v, s, ANY_WEEKDAY]: stops on whichever weekdays, for a commune indifferent to them


@dataclass
class AggregateModel:
    instance: Instance
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    n: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    visits: dict[int, cp_model.IntVar] = field(default_factory=dict)
    visit_upper: dict[int, int] = field(default_factory=dict)
    flow: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    served: dict[str, cp_model.IntVar] = field(default_factory=dict)
    days: dict[tuple[int, int, int], list[dt.date]] = field(default_factory=dict)  # allowed dates of n[v, s, w]
    upper: dict[tuple[int, int, int], int] = field(default_factory=dict)  # upper bound of n[v, s, w]
    capacity: dict[tuple[int, int], int] = field(default_factory=dict)  # (v, weekday) -> its working days
    chain: dict[tuple[int, int, int, int], cp_model.LinearExprT] = field(default_factory=dict)  # nights (v, s, t, w)
    night: dict[tuple[int, int, int, int, int], cp_model.IntVar] = field(default_factory=dict)  # ... at position k

    def capacity_weekdays(self, v: int) -> list[int]:
        return sorted(w for (v2, w) in self.capacity if v2 == v)


def build_aggregate_model(instance: Instance, requests: tuple[Request, ...], candidates: set[int],
                          previous: tuple[Stop, ...] = (), *, pool_weekdays: bool = True) -> AggregateModel:
    """``pool_weekdays=False`` keeps a count per weekday for every commune (the model before
    symmetry breaking: tests and benchmarks compare the two)."""
    am = begin_aggregate_model(instance, requests, candidates, previous, pool_weekdays=pool_weekdays)
    complete_aggregate_model(am, requests, candidates, previous)
    return am


def begin_aggregate_model(instance: Instance, requests: tuple[Request, ...], candidates: set[int],
                          previous: tuple[Stop, ...] = (), *, pool_weekdays: bool = True) -> AggregateModel:
    """The counts, the visits of each commune and the seat flows: what the Lagrangian bound
    (planner/cpsat/relaxation.py) reads, in a third of the time of the whole model on the region.
    ``complete_aggregate_model`` adds the rest."""
    am = AggregateModel(instance)
    create_count_variables(am, candidates, _dated_communes(instance, requests, previous), pool_weekdays)
    add_commune_visits(am)
    add_coverage(am)
    return am


def complete_aggregate_model(am: AggregateModel, requests: tuple[Request, ...], candidates: set[int],
                             previous: tuple[Stop, ...] = ()) -> None:
    add_weekday_capacity(am)
    add_window_packing(am, requests)
    add_requests(am, requests)
    add_quotas(am)
    add_pins(am)
    add_chains(am, candidates)
    add_no_return(am)
    add_objective(am, previous)


def create_count_variables(am: AggregateModel, candidates: set[int], dated: set[int], pool_weekdays: bool = True) -> None:
    """n[v, s, w]: bounded by the allowed dates of that weekday that can be spaced apart.

    Symmetry between equivalent weekdays: when a stop in s is allowed on the same number of
    spaced-out dates every weekday of the vehicle, is worth the same on each (no market day), and
    nothing dates it (no request, pin or previous stop; no nights away, which chain weekdays), the
    weekday of its stops only matters through the weekday capacities. Its per-weekday counts are
    then one count n[v, s, ANY_WEEKDAY]: CP-SAT and SCIP no longer branch on the 4! ways to spread
    the same visits over the weekdays (on the Bourges basin 96 of 97 communes, 97 count variables
    instead of 388). ``weekday_counts`` spreads them back; ``add_weekday_capacity`` keeps the
    model exact.
    """
    instance = am.instance
    gap = instance.params.rules.gap_days
    for v in range(len(instance.scenario.vehicles)):
        days = instance.working_days(v)
        for w, count in Counter(d.isoweekday() for d in days).items():
            am.capacity[v, w] = count
        weekdays = set(am.capacity_weekdays(v))
        pool = pool_weekdays and instance.scenario.vehicles[v].overnight_nights == 0
        for s in sorted(candidates):
            allowed = [d for d in days if stop_allowed(instance, v, d, s)]
            per_weekday = {}
            for w in sorted({d.isoweekday() for d in allowed}):
                on_w = [d for d in allowed if d.isoweekday() == w]
                per_weekday[w] = (min(instance.params.rules.max_visits, max_spaced(on_w, gap)), on_w)
            whole = min(instance.params.rules.max_visits, max_spaced(allowed, gap))
            if (pool and s not in dated and set(per_weekday) == weekdays and not instance.seasonal_markets[s]
                    and all(upper >= whole for upper, _ in per_weekday.values())
                    and len({instance.day_value_q(v, s, on_w[0]) for _, on_w in per_weekday.values()}) == 1):
                per_weekday = {ANY_WEEKDAY: (whole, allowed)}
            for w, (upper, on_w) in per_weekday.items():
                am.n[v, s, w] = am.model.NewIntVar(0, upper, f"n_{v}_{s}_{w}")
                am.upper[v, s, w] = upper
                am.days[v, s, w] = on_w


def _dated_communes(instance: Instance, requests: tuple[Request, ...], previous: tuple[Stop, ...]) -> set[int]:
    """Communes whose stops have a say in their dates: requested, pinned or in the previous plan."""
    index = instance.scenario.territory.index
    insees = {r.insee for r in requests} | {p.insee for p in instance.scenario.pins} | {p.insee for p in previous}
    return {index[insee] for insee in insees if insee in index}


def add_weekday_capacity(am: AggregateModel) -> None:
    """A vehicle makes at most as many stops on weekday w as it has working days w, and in all
    at most its working days.

    With the weekday-indifferent counts n[v, s, ANY_WEEKDAY] this is exact: each is at most the
    spaced-out dates of s on every single weekday, so it fits on any of them, and counts that
    fit the total fit the weekdays left by the other communes (a transport problem whose only
    binding limits are the weekday capacities; ``weekday_counts`` builds the split).
    """
    instance = am.instance
    for v in range(len(instance.scenario.vehicles)):
        for w in am.capacity_weekdays(v):
            terms = [var for (v2, _s, w2), var in am.n.items() if v2 == v and w2 == w]
            if terms:
                am.model.Add(sum(terms) <= am.capacity[v, w])
        every = [var for (v2, _s, _w), var in am.n.items() if v2 == v]
        if any(w == ANY_WEEKDAY for (v2, _s, w) in am.n if v2 == v):
            am.model.Add(sum(every) <= sum(am.capacity[v, w] for w in am.capacity_weekdays(v)))


def weekday_counts(am: AggregateModel, value) -> dict[tuple[int, int, int], int]:
    """The aggregate plan's stops per (v, s, weekday): weekday-indifferent counts spread one stop
    at a time on the weekday with the most room left (a commune's stops on different weekdays
    first), after the counts tied to a weekday."""
    counts = {key: value(var) for key, var in am.n.items() if key[2] != ANY_WEEKDAY}
    room = {(v, w): am.capacity[v, w] - sum(c for (v2, _s, w2), c in counts.items() if (v2, w2) == (v, w))
            for (v, w) in am.capacity}
    for (v, s, _any), var in sorted(am.n.items(), key=lambda item: (-value(item[1]), item[0])):
        if _any != ANY_WEEKDAY:
            continue
        used: set[int] = set()
        for _ in range(value(var)):
            w = max(am.capacity_weekdays(v), key=lambda w: (room[v, w] > 0, w not in used, room[v, w], -w))
            room[v, w] -= 1
            used.add(w)
            counts[v, s, w] = counts.get((v, s, w), 0) + 1
    return counts


def add_commune_visits(am: AggregateModel) -> None:
    """visits[s] = its counts, at most max_visits and at most the spaced-out allowed dates."""
    instance = am.instance
    gap = instance.params.rules.gap_days
    by_commune: dict[int, list] = {}
    for (v, s, w), var in am.n.items():
        by_commune.setdefault(s, []).append(((v, s, w), var))
    for s, items in by_commune.items():
        dates = sorted({d for key, _ in items for d in am.days[key]})
        upper = min(instance.params.rules.max_visits, max_spaced(dates, gap))
        am.visits[s] = am.model.NewIntVar(0, upper, f"visits_{s}")
        am.visit_upper[s] = upper
        am.model.Add(am.visits[s] == sum(var for _, var in items))


def packing_windows(instance: Instance) -> list[tuple[dt.date, dt.date]]:
    """The windows where the j-th of k spaced visits must fall: [first + (j - 1) x gap, last -
    (k - j) x gap] for k = 2 .. max_visits (first and last working day of the season)."""
    gap = instance.params.rules.gap_days
    days = sorted({d for v in range(len(instance.scenario.vehicles)) for d in instance.working_days(v)})
    if gap <= 1 or not days:
        return []
    windows = set()
    for k in range(2, instance.params.rules.max_visits + 1):
        for j in range(1, k + 1):
            a, b = days[0] + dt.timedelta(days=(j - 1) * gap), days[-1] - dt.timedelta(days=(k - j) * gap)
            if a <= b:
                windows.add((a, b))
    return sorted(windows)


def add_window_packing(am: AggregateModel, requests: tuple[Request, ...]) -> None:
    """Stops that must fall in a window of the season fit its stop days: valid cuts the counts
    alone miss.

    A commune with n visits g days apart can hold at most m(W) of them outside a window W (the
    spaced-out allowed dates before and after it), so at least n - m(W) fall inside; a must
    request whose windows lie inside W puts its days there. The sum over communes is at most the
    (vehicle, day) pairs of W. Why: with the participants' value a third visit of a large commune
    is worth as much as a first, and the counts asked for eight communes with three visits each
    in an autumn of eight weeks (21 days apart: their second visits all fall in the same 9 days),
    which no season can date; the dating then lost 138 of the aggregate's points."""
    instance = am.instance
    windows = packing_windows(instance)
    if not windows:
        return
    gap = instance.params.rules.gap_days
    index = instance.scenario.territory.index
    slots = Counter(d for v in range(len(instance.scenario.vehicles)) for d in instance.working_days(v))
    dates: dict[int, set[dt.date]] = {}
    for (_v, s, _w), on_days in am.days.items():
        dates.setdefault(s, set()).update(on_days)
    must = [(index[r.insee], r) for r in requests if r.priority == "must" and r.insee in index]
    for a, b in windows:
        terms, most_inside = [], 0
        for s, visits in am.visits.items():
            outside = max_spaced(sorted(d for d in dates.get(s, ()) if d < a or d > b), gap)
            lower = max((r.days for s2, r in must if s2 == s and all(a <= lo and hi <= b for lo, hi in r.windows)),
                        default=0)
            most = am.visit_upper[s]
            if most <= outside and lower == 0:
                continue
            inside = am.model.NewIntVar(lower, max(lower, most - outside), f"inside_{s}_{a:%Y%m%d}_{b:%Y%m%d}")
            am.model.Add(inside >= visits - outside)
            terms.append(inside)
            most_inside += max(lower, most - outside)
        room = sum(n for d, n in slots.items() if a <= d <= b)
        if terms and most_inside > room:
            am.model.Add(sum(terms) <= room)


def add_coverage(am: AggregateModel) -> None:
    """The same participants' flows as the season model, on the counts' places."""
    instance = am.instance
    supply: dict[int, list] = {}
    most: dict[int, int] = {}
    for (v, s, _w), var in am.n.items():
        supply.setdefault(s, []).append(instance.places_q(v) * var)
        most[s] = most.get(s, 0) + instance.places_q(v) * am.upper[v, s, _w]
    places = {instance.places_q(v) for v in range(len(instance.scenario.vehicles))}
    most = {s: min(m, max(places) * instance.params.rules.max_visits) for s, m in most.items()}
    am.flow = add_seat_flows(am.model, instance, {s: sum(terms) for s, terms in supply.items()}, most, am.visits,
                             max(places))


def _window_counts(am: AggregateModel, request: Request):
    s = am.instance.scenario.territory.index[request.insee]
    return [var for (v, s2, w), var in am.n.items() if s2 == s and any(request.in_window(d) for d in am.days[v, s2, w])]


def add_requests(am: AggregateModel, requests: tuple[Request, ...]) -> None:
    """A must request needs its days among weekdays its windows allow; a should one likewise to count."""
    for request in requests:
        counts = _window_counts(am, request)
        if request.priority == "must":
            am.model.Add(sum(counts) >= request.days)
        else:
            served = am.model.NewBoolVar(f"served_{request.request_id}")
            am.served[request.request_id] = served
            am.model.Add(sum(counts) >= request.days * served)


def add_quotas(am: AggregateModel) -> None:
    communes = am.instance.communes
    for quota in am.instance.params.rules.quotas:
        members = {s for s, c in enumerate(communes) if (c.epci if quota.kind == "epci" else c.dep) == quota.code}
        terms = [var for (_v, s, _w), var in am.n.items() if s in members]
        if quota.min_days > 0:
            am.model.Add(sum(terms) >= quota.min_days)
        if quota.max_days >= 0:
            am.model.Add(sum(terms) <= quota.max_days)


def add_pins(am: AggregateModel) -> None:
    """Pins of one commune on one weekday need as many stops there."""
    instance = am.instance
    index = instance.scenario.territory.index
    wanted = Counter((p.insee, p.date.isoweekday(), p.vehicle) for p in instance.scenario.pins)
    for (insee, w, vehicle), count in wanted.items():
        s = index[insee]
        terms = [var for (v, s2, w2), var in am.n.items()
                 if s2 == s and w2 == w and (not vehicle or instance.scenario.vehicles[v].name == vehicle)]
        am.model.Add(sum(terms) >= count)


def add_chains(am: AggregateModel, candidates: set[int]) -> None:
    """Nights away, counted per pair of communes, weekday and position in the run (no dates).

    night[v, s, t, w, k] counts k-th consecutive nights away spent near s on weekday w before
    driving on to t (k = 1 for a run's first night, at most overnight_nights): it needs a stop in
    s on weekday w and one in t on the next weekday. At each (s, w): first nights leave from stops
    not reached from a night away, and (k + 1)-th nights from stops reached by a k-th one, so the
    counts split into runs of at most overnight_nights nights. A stop too far for a day trip is
    reached from a night or left for one; a stop reached by a night after which the drive home
    breaks the daily limit is left for another. A night needs both weekdays consecutive working
    days of one week, and the season holds no more nights than its weeks (the week ends at base, a
    night home every overnight_nights + 1).
    """
    instance = am.instance
    for v, pairs in instance.chain_pairs.items():
        nights = instance.scenario.vehicles[v].overnight_nights
        follows, position = _night_weekdays(instance, v, nights)
        after: dict[tuple[int, int, int], list] = {}  # (s, w, k) -> nights leaving s on w at position k
        before: dict[tuple[int, int, int], list] = {}  # (t, w, k) -> nights arriving in t on w at position k
        pushed: dict[tuple[int, int, int], list] = {}  # arriving nights after which t cannot drive home
        for (s, t) in pairs:
            for w, capacity in follows.items():
                if (v, s, w) not in am.n or (v, t, w + 1) not in am.n:
                    continue
                terms = []
                for k in range(1, position[w] + 1):
                    var = am.model.NewIntVar(0, min(capacity, instance.params.rules.max_visits),
                                             f"night_{v}_{s}_{t}_{w}_{k}")
                    am.night[v, s, t, w, k] = var
                    terms.append(var)
                    after.setdefault((s, w, k), []).append(var)
                    before.setdefault((t, w + 1, k), []).append(var)
                    if instance.chain_needs_next(v, s, t):
                        pushed.setdefault((t, w + 1, k), []).append(var)
                am.chain[v, s, t, w] = sum(terms)
        for (v2, s, w), count in am.n.items():
            if v2 != v:
                continue
            arrived = [var for k in range(1, nights + 1) for var in before.get((s, w, k), [])]
            fresh_out = after.get((s, w, 1), [])
            if fresh_out or arrived:
                am.model.Add(sum(fresh_out) + sum(arrived) <= count)
            for k in range(1, nights + 1):
                if after.get((s, w, k + 1)):
                    am.model.Add(sum(after[s, w, k + 1]) <= sum(before.get((s, w, k), [])))
                if pushed.get((s, w, k)):
                    am.model.Add(sum(pushed[s, w, k]) <= sum(after.get((s, w, k + 1), [])))
            if not instance.day_trip(v, s):
                am.model.Add(count <= sum(arrived) + sum(fresh_out))
        for w, capacity in follows.items():
            on_w = [var for (v2, _s, _t, w2, _k), var in am.night.items() if v2 == v and w2 == w]
            if on_w:
                am.model.Add(sum(on_w) <= capacity)
        every = [var for (v2, *_rest), var in am.night.items() if v2 == v]
        if every:
            am.model.Add(sum(every) <= instance.max_nights_away(v))


def add_no_return(am: AggregateModel) -> None:
    """A run never comes back to the commune it left the day before: two visits two days apart
    break the revisit gap (when it exceeds two days).

    The counts alone allow it: two first nights u -> t and a second night t -> u look like two
    runs, but one of them can only continue as u, t, u. So the (k + 1)-th nights from t back to u
    are at most the k-th nights arriving in t from communes other than u. Without this, dating lost
    about four of the region's 160 nights (0.2 % of the objective) to such runs.
    """
    if am.instance.params.rules.gap_days <= 2:
        return
    arriving: dict[tuple[int, int, int, int], list] = {}  # (v, t, weekday in t, k) -> k-th nights into t
    for (v, _s, t, w, k), var in am.night.items():
        arriving.setdefault((v, t, w + 1, k), []).append(var)
    for (v, t, u, w, k), onward in am.night.items():
        back = am.night.get((v, u, t, w - 1, k - 1))
        if k >= 2 and back is not None:
            am.model.Add(onward + back <= sum(arriving[v, t, w, k - 1]))


def _night_weekdays(instance: Instance, v: int, nights: int) -> tuple[Counter, dict[int, int]]:
    """Weeks in which weekday w and w + 1 are consecutive working days (nights possible after w),
    and the highest position a night after w can hold in a run (weekdays before it in a row)."""
    follows = Counter()
    position: dict[int, int] = {}
    for days in instance.weeks(v).values():
        run = 0
        for a, b in zip(days, days[1:]):
            if (b - a).days == 1:
                run += 1
                follows[a.isoweekday()] += 1
                position[a.isoweekday()] = max(position.get(a.isoweekday(), 0), min(run, nights))
            else:
                run = 0
    return follows, position


def add_objective(am: AggregateModel, previous: tuple[Stop, ...]) -> None:
    """The season objective with dates replaced by weekdays, nights away by pair counts, and moved
    stops by a lower bound."""
    instance = am.instance
    terms = []
    offset = 0
    terms += flow_terms(instance, am.flow)
    for (v, s, w), var in am.n.items():
        coefficient = instance.weekday_value_q(v, s, am.days[v, s, w]) + instance.idle_day_q
        terms.append(coefficient * var)
    terms += [instance.should_bonus_q * var for var in am.served.values()]
    terms += [instance.chain_pairs[v][s, t] * var for (v, s, t, _w, _k), var in am.night.items()]
    offset -= instance.idle_day_q * sum(len(instance.working_days(v)) for v in range(len(instance.scenario.vehicles)))
    index = instance.scenario.territory.index
    before = Counter((instance.vehicle_index(p.vehicle), index.get(p.insee, -1), p.date.isoweekday()) for p in previous)
    for key, count in before.items():
        offset -= instance.move_penalty_q * count
        if key in am.n:
            kept = am.model.NewIntVar(0, count, f"kept_{key[0]}_{key[1]}_{key[2]}")
            am.model.Add(kept <= am.n[key])
            terms.append(instance.move_penalty_q * kept)
    am.model.Maximize(sum(terms) + offset)


def hint_from_stops(am: AggregateModel, stops: tuple[Stop, ...]) -> None:
    """Hint every variable from a plan (the greedy one): CP-SAT then starts from its value."""
    instance = am.instance
    index = instance.scenario.territory.index
    counts = Counter((instance.vehicle_index(st.vehicle), index[st.insee], st.date.isoweekday()) for st in stops)
    for (v, s, _w), count in list(counts.items()):
        if (v, s, ANY_WEEKDAY) in am.n:
            counts[v, s, ANY_WEEKDAY] += count
    visits = Counter()
    for key, var in am.n.items():
        value = min(counts.get(key, 0), am.upper[key])
        am.model.AddHint(var, value)
        visits[key[1]] += value
    for s, var in am.visits.items():
        am.model.AddHint(var, visits[s])
    nights = _night_counts(instance, stops)
    for key, var in am.night.items():
        am.model.AddHint(var, nights.get(key, 0))
    supply = np.zeros(len(instance.communes), dtype=np.int64)
    hinted = np.zeros(len(instance.communes), dtype=np.int64)
    for v, s, w in am.n:
        count = min(counts.get((v, s, w), 0), am.upper[v, s, w])
        supply[s] += instance.places_q(v) * count
        hinted[s] += count
    hint_flows(am.model, instance, am.flow, supply, hinted)


def _night_counts(instance: Instance, stops: tuple[Stop, ...]) -> Counter:
    """Nights away of a plan counted as the aggregate does: (v, s, t, weekday, position in the run)."""
    index = instance.scenario.territory.index
    counts = Counter()
    by_vehicle: dict[int, list[Stop]] = {}
    for stop in stops:
        by_vehicle.setdefault(instance.vehicle_index(stop.vehicle), []).append(stop)
    for v, own in by_vehicle.items():
        own.sort(key=lambda st: st.date)
        position = 0
        for a, b in zip(own, own[1:]):
            if a.away_after and (b.date - a.date).days == 1:
                position += 1
                counts[v, index[a.insee], index[b.insee], a.date.isoweekday(), position] += 1
            else:
                position = 0
    return counts


def continuous_indices(am: AggregateModel) -> frozenset[int]:
    """Variables a MIP may relax (``planner.cpsat.exact``): the participants' flows. For integer
    counts the places are integers and the flows a transportation problem (totally unimodular):
    some optimum has them integer."""
    return frozenset(var.Index() for var in am.flow.values())
