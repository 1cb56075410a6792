"""Figures of a plan, or of a part of it (a month, an intercommunality), computed once here so
that the workbook, the reports and the pages only format them and can never count differently.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from planner.core.instance import Instance
from planner.core.unvisited import explain_unvisited
from planner.domain.market import Market
from planner.domain.plan import Plan, PlanMetrics
from planner.domain.scenario import Scenario
from planner.domain.stop import Stop


def participants_by_commune(instance: Instance, stops: list[Stop] | tuple[Stop, ...]) -> np.ndarray:
    """Expected participants of each home commune at the evaluated ``stops`` (their ``origins``;
    sums to the stops' participants up to the rounding of each origin)."""
    index = instance.scenario.territory.index
    found = np.zeros(len(instance.communes))
    for stop in stops:
        for insee, _name, participants in stop.origins:
            if insee in index:
                found[index[insee]] += participants
    return found


REACHED = 0.5  # participants: a commune sending fewer is not counted as reached


def plan_metrics(instance: Instance, stops: list[Stop], value: float, served: tuple[str, ...]) -> PlanMetrics:
    """Totals of evaluated stops: places offered, expected participants (of them far from help),
    fill rate, communes visited and communes that send participants."""
    index = instance.scenario.territory.index
    requests = [r for r in instance.scenario.requests if r.active]
    unchecked = unconfirmed_market_days(instance, stops)
    seats = sum(s.places for s in stops)
    participants = sum(s.participants for s in stops)
    return PlanMetrics(
        stops=len(stops),
        communes_visited=len({index[s.insee] for s in stops}),
        seats=seats,
        participants=round(participants),
        participants_far=round(sum(s.participants_far for s in stops)),
        fill_rate=round(participants / seats, 3) if seats else 0.0,
        communes_reached=int(np.count_nonzero(participants_by_commune(instance, stops) >= REACHED)),
        far_km=instance.params.need.far_km,
        km_total=round(sum(s.km for s in stops), 1),
        drive_minutes_total=round(sum(s.minutes for s in stops)),
        market_day_stops=sum(1 for s in stops if s.market_day),
        unconfirmed_market_stops=len(unchecked),
        unconfirmed_markets=tuple(sorted({m.label() for markets in unchecked for m in markets})),
        requests_served=len([r for r in requests if r.request_id in served]),
        requests_total=len(requests),
        objective=round(value, 3),
    )


def unconfirmed_market_days(instance: Instance, stops: list[Stop] | tuple[Stop, ...]) -> list[tuple[Market, ...]]:
    """For each stop on a market day whose markets are all « à confirmer »: those markets (the
    optimizer counted their bonus; someone should check them before the season is announced)."""
    index = instance.scenario.territory.index
    found = []
    for stop in stops:
        markets = instance.markets_on(index[stop.insee], stop.date) if stop.insee in index else ()
        if markets and not any(m.confirmed for m in markets):
            found.append(markets)
    return found


def part_metrics(instance: Instance, stops: list[Stop] | tuple[Stop, ...]) -> PlanMetrics:
    """Figures of a subset of a plan's stops, computed as the evaluator computes them for the plan
    (stops outside the territory left out, no value)."""
    territory = instance.scenario.territory
    return plan_metrics(instance, [s for s in stops if s.insee in territory], 0.0, ())


def working_pairs(scenario: Scenario, day_from: dt.date, day_to: dt.date) -> list[tuple[dt.date, str]]:
    """(day, vehicle name) pairs on which a vehicle works between two dates."""
    pairs = []
    for vehicle in scenario.vehicles:
        pairs += [(d, vehicle.name) for d in scenario.working_days(vehicle) if day_from <= d <= day_to]
    return pairs


def duty_days(scenario: Scenario, day_from: dt.date, day_to: dt.date) -> list[tuple[dt.date, str, str]]:
    """Every vehicle weekday of the season between two dates, with why it is closed ('' if open)."""
    season = scenario.season
    days = []
    day = max(day_from, season.start)
    while day <= min(day_to, season.end):
        for vehicle in scenario.vehicles:
            if day.isoweekday() in vehicle.weekdays:
                days.append((day, vehicle.name, season.closed_reasons.get(day, "")))
        day += dt.timedelta(days=1)
    return days


def closed_periods(closed: tuple[tuple[dt.date, str], ...]) -> list[tuple[dt.date, dt.date, str]]:
    """Closed days grouped into runs of consecutive days with the same reason (one line per holiday)."""
    periods: list[tuple[dt.date, dt.date, str]] = []
    for day, reason in sorted(closed):
        if periods and periods[-1][2] == reason and (day - periods[-1][1]).days == 1:
            periods[-1] = (periods[-1][0], day, reason)
        else:
            periods.append((day, day, reason))
    return periods


def visit_dates(stops: list[Stop] | tuple[Stop, ...]) -> dict[str, list[dt.date]]:
    """Dates of the visits of each commune, in the order of ``stops``."""
    dates: dict[str, list[dt.date]] = defaultdict(list)
    for stop in stops:
        dates[stop.insee].append(stop.date)
    return dates


@dataclass(frozen=True)
class PeriodFigures:
    """What a period of the season (a month, the whole season) did."""

    first: dt.date | None  # first and last stop dates
    last: dt.date | None
    stop_days: int  # days with a stop (any vehicle)
    idle_days: int  # (day, vehicle) working pairs without a stop
    intercommunalities: int  # EPCIs with a stop (those outside the territory as one)
    metrics: PlanMetrics


def period_figures(instance: Instance, stops: list[Stop], start: dt.date, end: dt.date) -> PeriodFigures:
    """Figures of the stops of a period from ``start`` to ``end``."""
    territory = instance.scenario.territory
    used = {(s.date, s.vehicle) for s in stops}
    idle = sum(1 for pair in working_pairs(instance.scenario, start, end) if pair not in used)
    epcis = {territory.commune(s.insee).epci if s.insee in territory else "" for s in stops}
    return PeriodFigures(min((s.date for s in stops), default=None), max((s.date for s in stops), default=None),
                         len({s.date for s in stops}), idle, len(epcis), part_metrics(instance, stops))


@dataclass(frozen=True)
class GroupFigures:
    """What the season does for a group of communes (an intercommunality)."""

    communes: int
    communes_visited: int
    seniors: float
    participants: float  # expected participants living in the group, at any stop of the season
    left_out: tuple[str, ...]  # names of the members without a stop, sorted


def group_figures(instance: Instance, stops: tuple[Stop, ...], members: list[int]) -> GroupFigures:
    """Figures of the communes ``members`` (indices in the territory) under the plan's ``stops``."""
    communes = instance.communes
    visited = {s.insee for s in stops}
    reached = participants_by_commune(instance, stops)
    seniors = np.nan_to_num(instance.need.seniors)
    return GroupFigures(len(members), sum(1 for i in members if communes[i].insee in visited),
                        float(seniors[members].sum()), float(reached[members].sum()),
                        tuple(sorted(communes[i].name for i in members if communes[i].insee not in visited)))


def unvisited_reasons(instance: Instance, plan: Plan, stops: tuple[Stop, ...]) -> dict[str, str]:
    """Why each commune with a need has no stop, by INSEE code: the plan's own account when it
    keeps one, else worked out from its ``stops``."""
    return {u.insee: u.message for u in (plan.unvisited or explain_unvisited(instance, stops))}
