"""Constructive dates for the aggregate plan: the fast way from counts to a season.

The aggregate model decides how many stops each vehicle makes in each commune on each weekday,
and which nights away link a stop to the next day's. Nights away chain stops into "units" (a run
of consecutive days); every remaining stop is a unit of one day. Units are placed, longest first,
in the week that keeps their communes' visits furthest apart, subject to the rules a date must keep
(working day, allowed stop, revisit gap, one stop a vehicle a day, one vehicle a commune a day).
A run that fits in no week is broken into its day trips; a unit that still fits nowhere is left
out, so the result may fall short of the aggregate's value; the solver then scores it like any
plan and keeps the best it has.

On the whole region the season model has hundreds of thousands of variables and CP-SAT cannot
even place the aggregate's counts in the time limit; this placement takes well under a second.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import numpy as np

from planner.model.instance import Instance
from planner.model.season_model import stop_allowed
from planner.stop import Stop


def place_units(instance: Instance, counts: dict[tuple[int, int, int], int],
                chains: dict[tuple[int, int, int, int], int]) -> tuple[Stop, ...]:
    """Dated stops realising ``counts`` (v, s, weekday) and ``chains`` (v, s, t, weekday) as far as
    the rules allow."""
    scenario = instance.scenario
    gap = max(1, instance.params.rules.min_gap_days)
    visits: dict[int, list[dt.date]] = defaultdict(list)
    busy: set[tuple[int, dt.date]] = set()
    stops: list[Stop] = []
    for v, vehicle in enumerate(scenario.vehicles):
        units = [u for u in _units(v, counts, chains, vehicle.overnight_nights) if _drivable(instance, v, u)]
        weeks = instance.weeks(v)
        by_weekday = [{d.isoweekday(): d for d in days} for days in weeks.values()]
        units.sort(key=lambda unit: (-len(unit), -float(instance.values[unit[0][0]])))
        queue = [(unit, False) for unit in units]
        while queue:
            unit, anywhere = queue.pop(0)
            best = None
            options = ([[day] for day in instance.working_days(v)] if anywhere
                       else [[week.get(w) for _s, w in unit] for week in by_weekday])
            for dates in options:
                if not _fits(instance, v, unit, dates, visits, busy, gap):
                    continue
                spread = min((abs((d - other).days) for (s, _w), d in zip(unit, dates) for other in visits[s]),
                             default=10_000)
                if best is None or spread > best[0]:
                    best = (spread, dates)
            if best is None:
                if len(unit) > 1:  # no week takes the whole run: try its day trips one by one
                    queue += [([node], False) for node in unit if instance.day_trip(v, node[0])]
                elif not anywhere:  # no free date on its weekday: any working day will do
                    queue.append((unit, True))
                continue
            for k, ((s, _w), day) in enumerate(zip(unit, best[1])):
                visits[s].append(day)
                busy.add((v, day))
                stops.append(Stop(date=day, vehicle=vehicle.name, insee=instance.communes[s].insee,
                                  away_after=k < len(unit) - 1))
    stops += _fill_idle_days(instance, stops, visits, busy, gap)
    return tuple(sorted(stops, key=lambda s: (s.date, s.vehicle)))


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


def _units(v: int, counts: dict, chains: dict, nights: int) -> list[list[tuple[int, int]]]:
    """Runs of (commune, weekday) linked by nights away, at most ``nights`` + 1 days long, then the
    stops left over as single days."""
    left = Counter({(s, w): n for (v2, s, w), n in counts.items() if v2 == v and n > 0})
    edges = Counter({(s, t, w): n for (v2, s, t, w), n in chains.items() if v2 == v and n > 0})
    by_start: dict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)
    for s, t, w in edges:
        by_start[s, w].append((s, t, w))
    arriving = Counter()
    for (_s, t, w), n in edges.items():
        arriving[t, w + 1] += n
    units = []
    for start in sorted(by_start, key=lambda key: (arriving[key] > 0, key)):
        while edges and any(edges[e] for e in by_start[start]) and left[start] > 0:
            path = [start]
            node = start
            while len(path) <= nights:
                edge = next((e for e in by_start.get(node, []) if edges[e] > 0 and left[e[1], e[2] + 1] > 0
                             and all(e[1] != s for s, _w in path)), None)
                if edge is None:
                    break
                edges[edge] -= 1
                node = (edge[1], edge[2] + 1)
                path.append(node)
            if len(path) == 1:
                break
            for node in path:
                left[node] -= 1
            units.append(path)
    for node, n in left.items():
        units += [[node]] * max(0, n)
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
