"""Instance: the numbers a solver or an evaluator needs, derived once from a Scenario.

Values are in "value points" (need-weighted seniors). CP-SAT needs integers, so the objective is
defined on integers here, once, and both the model and the evaluator use these same integers:
the solver's objective and the evaluated value of its plan are then equal, not just close.

Coverage (the heart of the objective): each stop in s exposes the seniors of commune c with the
audience weight a[s, c] (1 in s itself, decaying with distance). The exposure E[c] is the sum over
all stops. The value of commune c is need[c] x f(E[c]), where f is concave piecewise linear:
slope 1 on [0, 1], repeat_decay on [1, 2], repeat_decay^2 on [2, 3] ... up to max_visits. A second
stop next door is therefore worth less than a first stop further away: seniors reached once by a
neighbouring stop count less the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from planner.distances import MatrixCache, travel_matrix
from planner.need import NeedModel, build_need_model
from planner.scenario import Scenario
from planner.vehicle import Vehicle

AUDIENCE_SCALE = 100  # exposure units per full stop (audience weights rounded to 1 %)
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
    def values(self) -> np.ndarray:
        """Value of one (first) stop in each commune."""
        return self.need.stop_values()

    @cached_property
    def seniors_reached(self) -> np.ndarray:
        return self.need.seniors_reached()

    @cached_property
    def far_seniors_reached(self) -> np.ndarray:
        return self.need.far_seniors_reached(self.params.need.far_km)

    @cached_property
    def market_weekdays(self) -> tuple[frozenset[int], ...]:
        """ISO weekdays of the usable (weekly, day known) markets of each commune."""
        days: dict[str, set[int]] = {}
        for market in self.scenario.territory.markets:
            if market.usable:
                days.setdefault(market.insee, set()).add(market.weekday)
        return tuple(frozenset(days.get(c.insee, ())) for c in self.communes)

    def is_market_day(self, s: int, day: dt.date) -> bool:
        return day.isoweekday() in self.market_weekdays[s]

    def vehicle_index(self, name: str) -> int:
        return next(i for i, v in enumerate(self.scenario.vehicles) if v.name == name)

    def round_trip_minutes(self, v: int, s: int) -> float:
        return 2.0 * float(self.base_minutes[v, s])

    def round_trip_km(self, v: int, s: int) -> float:
        return 2.0 * float(self.base_km[v, s])

    def reachable(self, v: int, s: int) -> bool:
        """A vehicle sleeping at base reaches s when the round trip fits its daily limit."""
        return self.round_trip_minutes(v, s) <= self.scenario.vehicles[v].max_drive_minutes + 1e-6

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
        """[stop commune, home commune] audience weights in exposure units (integers)."""
        return np.rint(self.need.audience * AUDIENCE_SCALE).astype(np.int64)

    @cached_property
    def segments(self) -> int:
        return self.params.rules.max_visits

    @cached_property
    def slope_q(self) -> np.ndarray:
        """[home commune, segment] objective integers per exposure unit of commune c's k-th segment."""
        decay = self.params.objective.repeat_decay ** np.arange(self.segments)
        return np.rint(VALUE_SCALE / AUDIENCE_SCALE * np.outer(self.need.need, decay)).astype(np.int64)

    def coverage_q(self, exposure: np.ndarray) -> np.ndarray:
        """Integer coverage value for exposure vectors (last axis: home communes)."""
        total = np.zeros(exposure.shape[:-1], dtype=np.int64)
        for k in range(self.segments):
            filled = np.clip(exposure - k * AUDIENCE_SCALE, 0, AUDIENCE_SCALE)
            total += (filled * self.slope_q[:, k]).sum(axis=-1)
        return total

    def exposure(self, counts: dict[int, int]) -> np.ndarray:
        """Exposure units of every home commune given the number of stops in each commune."""
        exposure = np.zeros(len(self.communes), dtype=np.int64)
        for s, n in counts.items():
            exposure += n * self.audience_q[s]
        return exposure

    def marginal_q(self, exposure: np.ndarray, stops: np.ndarray) -> np.ndarray:
        """Coverage gained by one more stop in each of ``stops``, given the current exposure."""
        base = int(self.coverage_q(exposure))
        return self.coverage_q(exposure[None, :] + self.audience_q[stops]) - base

    def day_value_q(self, v: int, s: int, day: dt.date) -> int:
        """Date-dependent part of a stop's value, in objective integers: market bonus minus travel."""
        objective = self.params.objective
        bonus = objective.market_bonus * float(self.values[s]) if self.is_market_day(s, day) else 0.0
        return round(VALUE_SCALE * (bonus - objective.km_cost * self.round_trip_km(v, s)))

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
    places = np.array([(c.lat, c.lon) for c in scenario.territory.communes], dtype=np.float64)
    bases = np.array([(v.base_lat, v.base_lon) for v in scenario.vehicles], dtype=np.float64).reshape(-1, 2)
    to_base = travel_matrix(bases, places, scenario.params.travel, cache)
    return Instance(scenario, need, to_base.km.astype(np.float64), to_base.minutes.astype(np.float64))
