"""Constructive dates for the aggregate plan: the fast way from counts to a season.

The aggregate model decides how many stops each vehicle makes in each commune on each weekday,
and which nights away link a stop to the next day's. Nights away chain stops into "units" (a run
of consecutive days); every remaining stop is a unit of one day. Units are placed, longest first,
in the week that keeps their communes' visits furthest apart, subject to the rules a date must keep
(working day, allowed stop, revisit gap, one stop a vehicle a day, one vehicle a commune a day).
A unit that fits in no week on its weekdays goes to any days in a row (weekdays only change
market bonuses; the region's plans kept about two more nights a plan this way); a run that still
fits nowhere is broken into its day trips, and a unit that fits nowhere at all is left out, so the
result may fall short of the aggregate's value; the solver then scores it like any plan and keeps
the best it has.

On the whole region the season model has hundreds of thousands of variables and CP-SAT cannot
even place the aggregate's counts in the time limit; this placement takes well under a second.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import numpy as np

from planner.core.instance import Instance
from planner.core.rules import stop_allowed
from planner.domain.stop import Stop


def place_units(instance: Instance, counts: dict[tuple[int, int, int], int],
                nights: dict[tuple[int, int, int, int, int], int], *, fill_idle: bool = True) -> tuple[Stop, ...]:
    """Dated stops realising ``counts`` (v, s, weekday) and ``nights`` (v, s, t, weekday, position
    in the run) as far as the rules allow; days left empty get the best day trip (``fill_idle``)."""
    scenario = instance.scenario
    gap = instance.params.rules.gap_days
    visits: dict[int, list[dt.date]] = defaultdict(list)
    busy: set[tuple[int, dt.date]] = set()
    stops: list[Stop] = []
    for v, vehicle in enumerate(scenario.vehicles):
        units = [u for u in _units(instance, v, counts, nights) if _drivable(instance, v, u)]
        weeks = instance.weeks(v)
        by_weekday = [{d.isoweekday(): d for d in days} for days in weeks.values()]
        units.sort(key=lambda unit: (-len(unit), -float(instance.values[unit[0][0]])))
        queue = [(unit, False) for unit in units]
        while queue:
            unit, anywhere = queue.pop(0)
            best = None
            options = (_any_days(weeks, len(unit)) if anywhere
                       else [[week.get(w) for _s, w in unit] for week in by_weekday])
            for dates in options:
                if not _fits(instance, v, unit, dates, visits, busy, gap):
                    continue
                spread = min((abs((d - other).days) for (s, _w), d in zip(unit, dates) for other in visits[s]),
                             default=10_000)
                if best is None or spread > best[0]:
                    best = (spread, dates)
            if best is None:
                if not anywhere:  # no week has its weekdays free: any days in a row will do
                    queue.append((unit, True))
                elif len(unit) > 1:  # nor other days: its day trips one by one
                    queue += [([node], False) for node in unit if instance.day_trip(v, node[0])]
                continue
            for k, ((s, _w), day) in enumerate(zip(unit, best[1])):
                visits[s].append(day)
                busy.add((v, day))
                stops.append(Stop(date=day, vehicle=vehicle.name, insee=instance.communes[s].insee,
                                  away_after=k < len(unit) - 1))
    if fill_idle:
        stops += _fill_idle_days(instance, stops, visits, busy, gap)
    return tuple(sorted(stops, key=lambda s: (s.date, s.vehicle)))


def place_in_rounds(instance: Instance, counts: dict[tuple[int, int, int], int], pooled: dict[tuple[int, int], int]
                    ) -> tuple[Stop, ...] | None:
    """Dates for weekday-indifferent counts (``pooled``: (v, s) -> stops on any weekday) that pack
    a full season, where ``place_units`` (best spread first) may strand the last stops.

    The weekday-bound ``counts`` are placed first; then, per vehicle, the pooled stops go in
    rounds onto its free days in date order: round r holds every commune with at least r stops,
    communes with most stops first in every round. A commune's r-th and (r + 1)-th stops are
    then a whole round apart (as many working days as communes in round r), which keeps the
    revisit gap when rounds are long enough. None when a stop would break a rule (the caller keeps
    the other placement)."""
    gap = instance.params.rules.gap_days
    stops = list(place_units(instance, counts, {}, fill_idle=False))
    if sum(counts.values()) != len(stops):
        return None
    index = instance.scenario.territory.index
    visits: dict[int, list[dt.date]] = defaultdict(list)
    for stop in stops:
        visits[index[stop.insee]].append(stop.date)
    busy = {(instance.vehicle_index(stop.vehicle), stop.date) for stop in stops}
    for v, vehicle in enumerate(instance.scenario.vehicles):
        own = sorted(((s, n) for (v2, s), n in pooled.items() if v2 == v and n > 0),
                     key=lambda item: (-item[1], -float(instance.values[item[0]]), item[0]))
        sequence = [s for r in range(1, max((n for _s, n in own), default=0) + 1) for s, n in own if n >= r]
        free = [d for d in instance.working_days(v) if (v, d) not in busy]
        if len(sequence) > len(free):
            return None
        for s, day in zip(sequence, free):
            if not stop_allowed(instance, v, day, s) or any(abs((day - o).days) < gap for o in visits[s]):
                return None
            visits[s].append(day)
            busy.add((v, day))
            stops.append(Stop(date=day, vehicle=vehicle.name, insee=instance.communes[s].insee))
    stops += _fill_idle_days(instance, stops, visits, busy, gap)
    return tuple(sorted(stops, key=lambda s: (s.date, s.vehicle)))


def _any_days(weeks: dict, length: int) -> list[list[dt.date]]:
    """Every run of ``length`` working days in a row within a week (the weekdays of a unit only
    change its market bonus, not its nights)."""
    return [days[i:i + length] for days in weeks.values() for i in range(len(days) - length + 1)
            if (days[i + length - 1] - days[i]).days == length - 1]


def _fill_idle_days(instance: Instance, stops: list[Stop], visits: dict[int, list[dt.date]],
                    busy: set[tuple[int, dt.date]], gap: int) -> list[Stop]:
    """Give every working day left empty the day trip that adds most coverage (an idle day costs)."""
    exposure = instance.exposure(dict(Counter(instance.scenario.territory.index[s.insee] for s in stops)))
    added = []
    rules = instance.params.rules
    candidates = np.arange(len(instance.communes))
    for v, vehicle in enumerate(instance.scenario.vehicles):
        for day in instance.working_days(v):
            if (v, day) in busy:
                continue
            gains = instance.marginal_q(exposure, candidates)
            for s in np.argsort(-gains, kind="stable"):
                s = int(s)
                if gains[s] + instance.day_value_q(v, s, day) + instance.idle_day_q <= 0:
                    break
                if (len(visits[s]) >= rules.max_visits or not instance.day_trip(v, s)
                        or not stop_allowed(instance, v, day, s) or any(abs((day - o).days) < gap for o in visits[s])):
                    continue
                visits[s].append(day)
                busy.add((v, day))
                exposure += instance.audience_q[s]
                added.append(Stop(date=day, vehicle=vehicle.name, insee=instance.communes[s].insee))
                break
    return added


def _units(instance: Instance, v: int, counts: dict, nights: dict) -> list[list[tuple[int, int]]]:
    """Runs of (commune, weekday) linked by the aggregate's nights away, then the stops left over.

    The aggregate counts nights by position in their run, so runs are built position by position:
    every first night starts a run, every (k + 1)-th night extends a run that arrived by a k-th one
    (runs that cannot drive home after their last stop first). A run whose last day still cannot
    end at base loses its last stops. A stop too far for a day trip that no run took is then
    paired with a leftover stop of the day before or after, if the two may be chained; what stays
    alone and is too far is dropped."""
    left = Counter({(s, w): n for (v2, s, w), n in counts.items() if v2 == v and n > 0})
    edges: dict[int, Counter] = defaultdict(Counter)  # position -> (s, t, w) -> count
    for (v2, s, t, w, k), n in nights.items():
        if v2 == v and n > 0:
            edges[k][s, t, w] += n
    runs: list[list[tuple[int, int]]] = []
    for (s, t, w), n in sorted(edges[1].items()):
        for _ in range(n):
            if left[s, w] > 0 and left[t, w + 1] > 0:
                runs.append([(s, w), (t, w + 1)])
                left[s, w] -= 1
                left[t, w + 1] -= 1
    for k in range(2, max(edges, default=1) + 1):
        growing = sorted((r for r in runs if len(r) == k), key=lambda r: _drivable(instance, v, r))
        for run in growing:
            node = run[-1]
            options = sorted((e for e, n in edges[k].items() if n > 0 and (e[0], e[2]) == node
                              and left[e[1], e[2] + 1] > 0 and all(e[1] != s for s, _w in run)),
                             key=lambda e: not _drivable(instance, v, [node, (e[1], e[2] + 1)]))
            if options:
                edges[k][options[0]] -= 1
                run.append((options[0][1], options[0][2] + 1))
                left[run[-1]] -= 1
    units = []
    for run in runs:
        while len(run) > 1 and not _drivable(instance, v, run):
            left[run.pop()] += 1
        if len(run) > 1:
            units.append(run)
        else:
            left[run[0]] += 1
    units += _pair_far_leftovers(instance, v, left)
    for node, n in left.items():
        units += [[node]] * max(0, n)
    return units


def _pair_far_leftovers(instance: Instance, v: int, left: Counter) -> list[list[tuple[int, int]]]:
    """Two-day runs for leftover stops too far for a day trip, with a leftover stop of the day
    before or after that the vehicle may chain with it (``Instance.chain_pairs``)."""
    pairs = instance.chain_pairs.get(v, {})
    units = []
    for (s, w) in sorted(left):
        while left[s, w] > 0 and not instance.day_trip(v, s):
            partner = next(((t, w + 1) for (t, w2) in sorted(left) if w2 == w + 1 and left[t, w2] > 0
                            and (s, t) in pairs and _drivable(instance, v, [(s, w), (t, w + 1)])), None)
            run = None if partner is None else [(s, w), partner]
            if run is None:
                partner = next(((t, w - 1) for (t, w2) in sorted(left) if w2 == w - 1 and left[t, w2] > 0
                                and (t, s) in pairs and _drivable(instance, v, [(t, w - 1), (s, w)])), None)
                run = None if partner is None else [partner, (s, w)]
            if run is None:
                break
            for node in run:
                left[node] -= 1
            units.append(run)
    return units


def _drivable(instance: Instance, v: int, unit: list[tuple[int, int]]) -> bool:
    """Each day of the unit fits the driving limit: a lone stop is a day trip, and the last day of a
    run can drive home after arriving from the previous night's commune."""
    if len(unit) == 1:
        return instance.day_trip(v, unit[0][0])
    return not instance.chain_needs_next(v, unit[-2][0], unit[-1][0])


def _fits(instance: Instance, v: int, unit: list[tuple[int, int]], dates: list[dt.date | None],
          visits: dict[int, list[dt.date]], busy: set[tuple[int, dt.date]], gap: int) -> bool:
    if any(d is None for d in dates):
        return False
    if any((b - a).days != 1 for a, b in zip(dates, dates[1:])):
        return False
    for k, ((s, _w), day) in enumerate(zip(unit, dates)):
        if (v, day) in busy or not stop_allowed(instance, v, day, s):
            return False
        if any(abs((day - other).days) < gap for other in visits[s]):
            return False
        if any(s2 == s and abs((day - d2).days) < gap for (s2, _), d2 in zip(unit[:k], dates[:k])):
            return False  # the run comes back to a commune it left too recently
    return True
