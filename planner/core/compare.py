"""Any list of stops judged as a plan, and two plans side by side on the same figures.

A hand-made tour, last season's plan or an edited export is evaluated exactly as a solved plan
is (``evaluate``), so that the command line's ``evaluate`` and ``compare`` and the web app show
figures that can be set against each other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from planner.core.evaluate import Evaluation, evaluate
from planner.core.instance import Instance, build_instance
from planner.core.reasons import plan_reason, static_reason
from planner.domain.plan import Plan
from planner.domain.scenario import Scenario
from planner.domain.stop import Stop

FIGURES = ("objective", "stops", "communes_visited", "seats", "participants", "participants_far", "fill_rate",
           "communes_reached", "km_total", "drive_minutes_total", "market_day_stops", "idle_days", "requests_served")


def evaluate_stops(scenario: Scenario, stops: tuple[Stop, ...]) -> Plan:
    """The plan these stops make in the scenario (``solver`` None): the same figures and
    explanations as a solved plan. A stop without a vehicle belongs to the first one."""
    instance = build_instance(scenario)
    return plan_of(instance, evaluate(instance, with_vehicles(scenario, stops)))


def with_vehicles(scenario: Scenario, stops: tuple[Stop, ...]) -> tuple[Stop, ...]:
    default = scenario.vehicles[0].name
    return tuple(s if s.vehicle else replace(s, vehicle=default) for s in stops)


def plan_of(instance: Instance, evaluation: Evaluation) -> Plan:
    """An evaluated stop list as a Plan, with the reason of each accepted request it leaves unserved."""
    scenario = instance.scenario
    unserved = []
    for request in scenario.requests:
        if request.active and request.request_id not in evaluation.served_requests:
            unserved.append(static_reason(instance, request) or plan_reason(instance, request, evaluation.stops))
    metrics = replace(evaluation.metrics, unserved_requests=len(unserved))
    return Plan(evaluation.stops, tuple(unserved), None, metrics, scenario.params.to_dict(), spec=scenario.spec)


@dataclass(frozen=True)
class FigureDifference:
    figure: str  # a key of FIGURES
    a: float
    b: float
    difference: float  # b - a


@dataclass(frozen=True)
class PlanComparison:
    names: tuple[str, str]
    figures: tuple[FigureDifference, ...]
    violations: tuple[int, int]  # rules each plan breaks
    common_stops: int
    only_in_a: tuple[Stop, ...]
    only_in_b: tuple[Stop, ...]

    def to_dict(self) -> dict:
        a, b = self.names
        return {
            "names": list(self.names),
            "figures": [{"figure": f.figure, a: f.a, b: f.b, "difference": f.difference} for f in self.figures],
            "violations": {a: self.violations[0], b: self.violations[1]},
            "common_stops": self.common_stops,
            "only_in": {a: [_row(s) for s in self.only_in_a], b: [_row(s) for s in self.only_in_b]},
        }


def compare(scenario: Scenario, a: Plan, b: Plan, names: tuple[str, str] = ("A", "B")) -> PlanComparison:
    """Figures of both plans (evaluated in one scenario), their differences, and the stops that differ."""
    instance = build_instance(scenario)
    first, second = (evaluate(instance, with_vehicles(scenario, p.stops)) for p in (a, b))
    keys_a = {(s.date, s.vehicle, s.insee) for s in first.stops}
    keys_b = {(s.date, s.vehicle, s.insee) for s in second.stops}
    figures = []
    for key in FIGURES:
        x, y = getattr(first.metrics, key), getattr(second.metrics, key)
        figures.append(FigureDifference(key, x, y, round(y - x, 3)))
    return PlanComparison(
        names, tuple(figures), (len(first.violations), len(second.violations)), len(keys_a & keys_b),
        tuple(s for s in first.stops if (s.date, s.vehicle, s.insee) not in keys_b),
        tuple(s for s in second.stops if (s.date, s.vehicle, s.insee) not in keys_a),
    )


def _row(stop: Stop) -> dict:
    return {"date": stop.date.isoformat(), "vehicle": stop.vehicle, "insee_com": stop.insee, "commune": stop.commune}
