"""Instance: the numbers a solver or an evaluator needs, derived once from a Scenario.

Values are in "value points" (participants weighted by how far they live from help). CP-SAT needs
integers, so the objective is defined on integers here, once, and both the models and the
evaluator use these same integers: the solver's objective and the evaluated value of its plan are
then equal, not just close.

The value of the stops is the participants they seat (planner/core/participants.py): a min-cost
flow of the pools of the home communes into the places of the stops, solved exactly by the
evaluator (``seated``) and carried as flow variables by the models (planner/cpsat/seats.py).
The heuristics need a fast marginal value instead: ``audience_q``, ``exposure``, ``coverage_q``
and ``marginal_q`` are a separable estimate of it (each stop seats the communes as it would on its
own, the highest weights first, each commune is worth w(c) per participant up to its season
pool). For stops of the largest vehicle it is a feasible seating, so it never promises more than
the exact value, and equals it while no pool is full; every plan a heuristic returns is scored again by the evaluator,
never by the estimate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from planner.core.distances import MatrixCache, travel_matrix
from planner.core.history import came_by_home
from planner.core.need import NeedModel, build_need_model
from planner.core.participants import FLOW_SCALE, Seated, Seating, alone_q, build_seating, seat, shares_q
from planner.domain.host_hours import UNKNOWN, OpeningHours
from planner.domain.market import Market
from planner.domain.scenario import Scenario
from planner.domain.vehicle import Vehicle

CHAIN_NEIGHBOURS = 6  # a night away may be followed by one of the 6 nearest communes
VALUE_SCALE = 1000  # objective integers per value point


@dataclass(frozen=True)
class Instance:
    scenario: Scenario
    need: NeedModel
    base_km: np.ndarray  # [vehicle, commune] one-way road km from the vehicle's base
    base_minutes: np.ndarray  # [vehicle, commune]

    @property
    def communes(self):
        return self.scenario.territory.communes

    @property
    def params(self):
        return self.scenario.params

    @cached_property
    def seating(self) -> Seating:
        """Pools, arc capacities and weights of the participants' flow (planner/core/participants.py),
        the pools less the participants of the scenario's past season when it has one."""
        seniors = np.nan_to_num(self.need.seniors)
        gap = np.divide(self.need.need, seniors, out=np.zeros_like(seniors), where=seniors > 0)
        objective = self.params.objective
        weight = objective.seat_points * (1.0 + objective.gap_weight * gap)
        need = self.params.need
        history = self.scenario.history
        came = None if history is None else came_by_home(history, self.scenario.territory.index, self.need.attendance,
                                                         seniors * need.season_share)
        return build_seating(self.need.seniors, self.need.attendance, weight, need.take_up, need.season_share,
                             VALUE_SCALE, came)

    def places(self, v: int) -> int:
        """Places of one stop of vehicle v: seats x workshops for a bus, the seats of one half-day
        for a mediator (each half-day is a stop)."""
        vehicle = self.scenario.vehicles[v]
        return vehicle.seats * (1 if vehicle.kind == "mediator" else max(1, len(vehicle.sessions)))

    def places_q(self, v: int) -> int:
        return FLOW_SCALE * self.places(v)

    @cached_property
    def typical_places_q(self) -> int:
        """Places of the largest vehicle's stop: what the heuristics' estimate and a stop's value
        alone assume (one figure for every commune, whichever vehicle comes)."""
        return max((self.places_q(v) for v in range(len(self.scenario.vehicles))), default=24 * FLOW_SCALE)

    def seated(self, supply_q: np.ndarray, visits: np.ndarray) -> Seated:
        """The exact seating of ``supply_q[s]`` places (flow units) offered by ``visits[s]`` stops
        in each stop commune."""
        return seat(self.seating, supply_q, visits)

    def counts_value_q(self, counts: dict[int, int], places_q: int | None = None) -> int:
        """Exact value of ``counts[s]`` stops in each commune, each of ``places_q`` places."""
        supply = np.zeros(len(self.communes), dtype=np.int64)
        visits = np.zeros(len(self.communes), dtype=np.int64)
        for s, n in counts.items():
            supply[s] += n * (self.typical_places_q if places_q is None else places_q)
            visits[s] += n
        return self.seated(supply, visits).value_q

    @cached_property
    def values(self) -> np.ndarray:
        """Value points of one stop in each commune on its own (the market bonus is a share of it)."""
        return alone_q(self.seating, self.typical_places_q) / VALUE_SCALE

    @cached_property
    def markets(self) -> tuple[tuple[Market, ...], ...]:
        """The markets that count, per commune: usable (weekly, day known), held in at least one month
        of the season, and confirmed unless the scenario counts the « à confirmer » ones too."""
        season = self.scenario.season
        months = {(season.start.month + k - 1) % 12 + 1
                  for k in range((season.end.year - season.start.year) * 12 + season.end.month - season.start.month + 1)}
        counted = self.params.rules.unconfirmed_markets
        found: dict[str, list[Market]] = {}
        for market in self.scenario.territory.markets:
            if market.usable and (counted or market.confirmed) and any(market.runs_in(m) for m in months):
                found.setdefault(market.insee, []).append(market)
        return tuple(tuple(found.get(c.insee, ())) for c in self.communes)

    @cached_property
    def market_weekdays(self) -> tuple[frozenset[int], ...]:
        """ISO weekdays of the markets that count in each commune (``markets``), in any month of the season."""
        return tuple(frozenset(m.weekday for m in markets) for markets in self.markets)

    def markets_on(self, s: int, day: dt.date) -> tuple[Market, ...]:
        """The counted markets of commune s held on ``day`` (its weekday, in their months)."""
        return tuple(m for m in self.markets[s] if m.held_on(day))

    @cached_property
    def host_hours(self) -> tuple[OpeningHours, ...]:
        """Opening hours of each commune's mairie (UNKNOWN where none is known); the first row of a
        commune counts (a scenario's correction replaces the directory's row, see scenario_build)."""
        found: dict[str, OpeningHours] = {}
        for row in self.scenario.territory.host_hours:
            found.setdefault(row.insee, row.opening)
        return tuple(found.get(c.insee, UNKNOWN) for c in self.communes)

    def is_market_day(self, s: int, day: dt.date) -> bool:
        """A counted market of s is held on ``day``: a seasonal one only in its months."""
        return day.isoweekday() in self.market_weekdays[s] and bool(self.markets_on(s, day))

    def vehicle_index(self, name: str) -> int:
        return next(i for i, v in enumerate(self.scenario.vehicles) if v.name == name)

    def round_trip_minutes(self, v: int, s: int) -> float:
        return 2.0 * float(self.base_minutes[v, s])

    def round_trip_km(self, v: int, s: int) -> float:
        return 2.0 * float(self.base_km[v, s])

    def reachable(self, v: int, s: int) -> bool:
        """A vehicle home every evening reaches s when the round trip fits its daily limit; one that
        may stay away, when the drive from base does (it sleeps there and moves on the next day)."""
        vehicle = self.scenario.vehicles[v]
        if vehicle.overnight_nights == 0:
            return self.round_trip_minutes(v, s) <= vehicle.max_drive_minutes + 1e-6
        return float(self.base_minutes[v, s]) <= vehicle.max_drive_minutes + 1e-6

    def day_trip(self, v: int, s: int) -> bool:
        """The round trip from base fits in one day (else an overnight vehicle must sleep away)."""
        return self.round_trip_minutes(v, s) <= self.scenario.vehicles[v].max_drive_minutes + 1e-6

    @property
    def has_overnight(self) -> bool:
        return any(v.overnight_nights > 0 for v in self.scenario.vehicles)

    def slots_per_day(self, v: int) -> int:
        """Stops a vehicle can make in a day: one for a bus, one per session for a mediator."""
        vehicle = self.scenario.vehicles[v]
        return max(1, len(vehicle.sessions)) if vehicle.kind == "mediator" else 1

    def working_days(self, v: int) -> tuple[dt.date, ...]:
        return self.scenario.working_days(self.scenario.vehicles[v])

    @cached_property
    def all_days(self) -> tuple[dt.date, ...]:
        days = set()
        for v in range(len(self.scenario.vehicles)):
            days.update(self.working_days(v))
        return tuple(sorted(days))

    def why_closed(self, vehicle: Vehicle, day: dt.date) -> str | None:
        """None when ``vehicle`` works on ``day``, else the reason in French."""
        season = self.scenario.season
        if day < season.start or day > season.end:
            return "hors saison"
        if day.isoweekday() not in vehicle.weekdays:
            return "jour non travaillé"
        return season.closed_reasons.get(day)

    @cached_property
    def forbidden_pairs(self) -> frozenset[tuple[dt.date | None, str]]:
        return frozenset((f.date, f.insee) for f in self.scenario.forbidden)

    def is_forbidden(self, day: dt.date, insee: str) -> bool:
        return (day, insee) in self.forbidden_pairs or (None, insee) in self.forbidden_pairs

    @cached_property
    def audience_q(self) -> np.ndarray:
        """[stop commune, home commune] flow units a stop shares with each commune (the heuristics'
        estimate, see the module docstring)."""
        return shares_q(self.seating, self.typical_places_q)

    @cached_property
    def segments(self) -> int:
        """Segments of the estimate's concave value per commune: one, up to its pool."""
        return 1

    @cached_property
    def slope_q(self) -> np.ndarray:
        """[home commune, segment] objective integers per flow unit of the estimate."""
        return self.seating.weight_q[:, None]

    @cached_property
    def width_q(self) -> np.ndarray:
        """[home commune] flow units the estimate's segment holds: the commune's pool."""
        return self.seating.pool_q

    def coverage_q(self, exposure: np.ndarray) -> np.ndarray:
        """The estimate's value for exposure vectors (last axis: home communes)."""
        return (np.minimum(exposure, self.width_q) * self.seating.weight_q).sum(axis=-1)

    def exposure(self, counts: dict[int, int]) -> np.ndarray:
        """Flow units offered to every home commune by ``counts[s]`` stops in each commune (estimate)."""
        exposure = np.zeros(len(self.communes), dtype=np.int64)
        for s, n in counts.items():
            exposure += n * self.audience_q[s]
        return exposure

    def marginal_q(self, exposure: np.ndarray, stops: np.ndarray) -> np.ndarray:
        """The estimate's gain of one more stop in each of ``stops``, given the current exposure."""
        base = int(self.coverage_q(exposure))
        return self.coverage_q(exposure[None, :] + self.audience_q[stops]) - base

    def market_q(self, s: int, day: dt.date) -> int:
        """Market-day bonus of a stop in s on ``day``, in objective integers."""
        if not self.is_market_day(s, day):
            return 0
        return round(VALUE_SCALE * self.params.objective.market_bonus * float(self.values[s]))

    def travel_q(self, km: float) -> int:
        """Cost of one leg. Plans are charged leg by leg, each leg rounded on its own, so that the
        models (which add and subtract whole legs) and the evaluator agree to the unit."""
        return round(VALUE_SCALE * self.params.objective.km_cost * km)

    def base_leg_q(self, v: int, s: int) -> int:
        return self.travel_q(float(self.base_km[v, s]))

    def leg_q(self, s: int, t: int) -> int:
        return self.travel_q(float(self.need.travel.km[s, t]))

    def stop_travel_km(self, v: int, s: int) -> float:
        """Drive the models charge a stop: the round trip from base. A night away between two stops
        (a chain, see ``chain_pairs``) then gives back what it saves."""
        return self.round_trip_km(v, s)

    @cached_property
    def chain_pairs(self) -> dict[int, dict[tuple[int, int], int]]:
        """For each vehicle allowed to stay away: the pairs (s, t) it may chain, sleeping near s and
        driving on to t the next day, with the objective integers the night saves (the drive home
        from s and out to t, minus the drive from s to t). Only the ``CHAIN_NEIGHBOURS`` nearest
        communes of s within the daily limit are considered: a bound is proven for that model."""
        pairs: dict[int, dict[tuple[int, int], int]] = {}
        km, minutes = self.need.travel.km, self.need.travel.minutes
        for v, vehicle in enumerate(self.scenario.vehicles):
            if vehicle.overnight_nights == 0 or vehicle.kind != "bus":
                continue
            reachable = np.array([self.reachable(v, s) for s in range(len(self.communes))])
            found: dict[tuple[int, int], int] = {}
            for s in np.flatnonzero(reachable):
                order = np.argsort(km[s], kind="stable")
                taken = 0
                for t in order:
                    if taken >= CHAIN_NEIGHBOURS:
                        break
                    if (t == s and self.params.rules.gap_days > 1) or not reachable[t] \
                            or minutes[s, t] > vehicle.max_drive_minutes:
                        continue  # staying two days in one commune needs a revisit gap of one day
                    saving = self.base_leg_q(v, int(s)) + self.base_leg_q(v, int(t)) - self.leg_q(int(s), int(t))
                    if saving > 0:
                        found[int(s), int(t)] = saving
                        taken += 1
            pairs[v] = found
        return pairs

    def chain_needs_next(self, v: int, s: int, t: int) -> bool:
        """Arriving in t from s, the day's drive home no longer fits: t must chain on as well."""
        leg = float(self.need.travel.minutes[s, t]) + float(self.base_minutes[v, t])
        return leg > self.scenario.vehicles[v].max_drive_minutes + 1e-6

    def max_nights_away(self, v: int) -> int:
        """Most nights away a vehicle can spend in the season: per week, every night but those it
        must spend at base (the last, and one in every overnight_nights + 1)."""
        nights = self.scenario.vehicles[v].overnight_nights
        if nights == 0:
            return 0
        total = 0
        for days in self.weeks(v).values():
            total += sum(1 for k in range(len(days) - 1) if (k + 1) % (nights + 1) != 0)
        return total

    def weeks(self, v: int) -> dict[tuple[int, int], list[dt.date]]:
        """Working days of a vehicle grouped by ISO week."""
        weeks: dict[tuple[int, int], list[dt.date]] = {}
        for day in self.working_days(v):
            weeks.setdefault(day.isocalendar()[:2], []).append(day)
        return weeks

    def day_value_q(self, v: int, s: int, day: dt.date) -> int:
        """Date-dependent part of a stop's value in the selection models: market bonus minus travel."""
        return self.market_q(s, day) - 2 * self.base_leg_q(v, s)

    @cached_property
    def seasonal_markets(self) -> tuple[bool, ...]:
        """Per commune: a counted market of it is seasonal, so its bonus differs between dates of one weekday."""
        return tuple(any(m.months for m in markets) for markets in self.markets)

    def weekday_value_q(self, v: int, s: int, days: list[dt.date] | tuple[dt.date, ...]) -> int:
        """The most ``day_value_q`` gives on ``days`` (dates of one weekday): their common value, unless
        a seasonal market makes some of them market days and others not. The aggregate model counts
        this, so that its optimum stays an upper bound of the season's."""
        if not self.seasonal_markets[s]:
            return self.day_value_q(v, s, days[0])
        return max(self.day_value_q(v, s, d) for d in days)

    @cached_property
    def max_day_value_q(self) -> int:
        """Upper bound of ``day_value_q`` over all stops (for pruning in the greedy baseline)."""
        bonus = self.params.objective.market_bonus * float(self.values.max(initial=0.0))
        return round(VALUE_SCALE * bonus)

    @property
    def should_bonus_q(self) -> int:
        return round(VALUE_SCALE * self.params.objective.should_bonus)

    @property
    def idle_day_q(self) -> int:
        return round(VALUE_SCALE * self.params.objective.idle_day_cost)

    @property
    def move_penalty_q(self) -> int:
        return round(VALUE_SCALE * self.params.objective.move_penalty)


def build_instance(scenario: Scenario, cache: MatrixCache | None = None) -> Instance:
    need = build_need_model(scenario.territory, scenario.params, cache)
    places = np.array(scenario.territory.stop_points, dtype=np.float64).reshape(-1, 2)  # where stops take place
    bases = np.array([(v.base_lat, v.base_lon) for v in scenario.vehicles], dtype=np.float64).reshape(-1, 2)
    to_base = travel_matrix(bases, places, scenario.params.travel, cache)
    return Instance(scenario, need, to_base.km.astype(np.float64), to_base.minutes.astype(np.float64))
