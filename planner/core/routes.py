"""The drive of each vehicle, leg by leg, from the stops of a plan.

A vehicle starts the season at its base. Each day it drives to its stops in slot order; in the
evening it drives back to base unless the last stop of the day says ``away_after`` (a bus allowed
overnight stays). A week must start and end at base, and no more than ``overnight_nights``
nights in a row may be spent away. Each stop carries the leg that led to it and, for the last stop
of a day that ends at base, the leg home.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.core.instance import Instance
from planner.domain.stop import Stop


@dataclass(frozen=True)
class StopTravel:
    km_in: float
    minutes_in: float
    km_home: float = 0.0  # the drive back to base after this stop, if the day ends at base
    minutes_home: float = 0.0

    @property
    def km(self) -> float:
        return self.km_in + self.km_home

    @property
    def minutes(self) -> float:
        return self.minutes_in + self.minutes_home


@dataclass(frozen=True)
class RouteIssue:
    rule: str  # driving_limit, overnight_not_allowed, week_ends_away, too_many_nights, away_idle
    date: dt.date
    insee: str
    message: str


def vehicle_routes(instance: Instance, stops: list[Stop]) -> tuple[dict[int, StopTravel], list[RouteIssue]]:
    """Travel of each stop (by its position in ``stops``) and the route rules they break."""
    index = instance.scenario.territory.index
    travel: dict[int, StopTravel] = {}
    issues: list[RouteIssue] = []
    names = [v.name for v in instance.scenario.vehicles]
    by_vehicle: dict[int, list[int]] = {}
    for i, stop in enumerate(stops):
        if stop.insee in index and stop.vehicle in names:
            by_vehicle.setdefault(names.index(stop.vehicle), []).append(i)
    for v, positions in by_vehicle.items():
        positions.sort(key=lambda i: (stops[i].date, stops[i].slot))
        _route(instance, v, [stops[i] for i in positions], positions, index, travel, issues)
    return travel, issues


def _route(instance: Instance, v: int, stops: list[Stop], positions: list[int], index: dict[str, int],
           travel: dict[int, StopTravel], issues: list[RouteIssue]) -> None:
    vehicle = instance.scenario.vehicles[v]
    km = instance.need.travel.km
    minutes = instance.need.travel.minutes
    here: int | None = None  # None = at base
    nights = 0
    days: dict[dt.date, list[int]] = {}
    for k, stop in enumerate(stops):
        days.setdefault(stop.date, []).append(k)
    last_of_week = _last_working_day_of_each_week(instance, v)
    previous_day: dt.date | None = None
    for day, ks in days.items():
        if here is not None and previous_day is not None and (day - previous_day).days != 1:
            issues.append(RouteIssue("away_idle", previous_day, stops[days[previous_day][-1]].insee,
                                     "nuit hors base suivie d'un jour sans arrêt"))
            here = None
        day_minutes = 0.0
        for n, k in enumerate(ks):
            s = index[stops[k].insee]
            if here is None:
                leg_km, leg_min = float(instance.base_km[v, s]), float(instance.base_minutes[v, s])
            else:
                leg_km, leg_min = float(km[here, s]), float(minutes[here, s])
            home_km = home_min = 0.0
            last = n == len(ks) - 1
            if last and not stops[k].away_after:
                home_km, home_min = float(instance.base_km[v, s]), float(instance.base_minutes[v, s])
            travel[positions[k]] = StopTravel(leg_km, leg_min, home_km, home_min)
            day_minutes += leg_min + home_min
            here = s
        last_stop = stops[ks[-1]]
        if last_stop.away_after:
            nights += 1
            if vehicle.overnight_nights == 0:
                issues.append(RouteIssue("overnight_not_allowed", day, last_stop.insee,
                                         f"{vehicle.name} doit rentrer à sa base chaque soir"))
            elif nights > vehicle.overnight_nights:
                issues.append(RouteIssue("too_many_nights", day, last_stop.insee,
                                         f"{nights} nuits de suite hors base, maximum {vehicle.overnight_nights}"))
            if day >= last_of_week.get(day.isocalendar()[:2], day):
                issues.append(RouteIssue("week_ends_away", day, last_stop.insee,
                                         "la semaine doit se terminer à la base"))
        else:
            nights = 0
            here = None
        if day_minutes > vehicle.max_drive_minutes + 1e-6:
            issues.append(RouteIssue("driving_limit", day, stops[ks[0]].insee,
                                     f"{day_minutes:.0f} min de conduite ce jour, limite {vehicle.max_drive_minutes:.0f} min"))
        previous_day = day
    if here is not None and previous_day is not None:
        issues.append(RouteIssue("away_idle", previous_day, stops[days[previous_day][-1]].insee,
                                 "nuit hors base sans arrêt le lendemain"))


def _last_working_day_of_each_week(instance: Instance, v: int) -> dict[tuple[int, int], dt.date]:
    last: dict[tuple[int, int], dt.date] = {}
    for day in instance.working_days(v):
        key = day.isocalendar()[:2]
        last[key] = max(last.get(key, day), day)
    return last
