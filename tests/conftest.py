"""Shared helpers: tiny hand-made territories and file writers for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.domain.commune import Commune
from planner.domain.service_point import ServicePoint
from planner.domain.territory import Territory

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def commune(code: str, lat: float, lon: float, seniors: float | None = 100.0, *, name: str | None = None,
            epci: str = "E1", population: int = 1000) -> Commune:
    return Commune(insee=code, name=name or f"Commune {code}", dep=code[:2], epci=epci, epci_name=f"CC {epci}",
                   lat=lat, lon=lon, area_km2=10.0, population=population, seniors=seniors,
                   seniors_basis="test")


def service_point(code: str, lat: float, lon: float, kind: str = "epn") -> ServicePoint:
    return ServicePoint(point_id=f"sp-{code}-{kind}", name=f"{kind} {code}", kinds=frozenset({kind}),
                        insee=code, commune=f"Commune {code}", lat=lat, lon=lon)


def territory(communes, points=(), markets=(), name: str = "test") -> Territory:
    return Territory(name, tuple(communes), tuple(points), tuple(markets))


@pytest.fixture
def write(tmp_path):
    """write(name, text, encoding='utf-8') -> Path of a file holding exactly these bytes."""

    def _write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return _write


# --- tiny planning scenarios --------------------------------------------------------------------

import datetime as dt  # noqa: E402

from planner.core.evaluate import evaluate  # noqa: E402
from planner.core.instance import VALUE_SCALE, build_instance  # noqa: E402
from planner.domain.params import NeedParams, ObjectiveParams, Params, RuleParams, SolverParams  # noqa: E402
from planner.domain.scenario import Scenario  # noqa: E402
from planner.domain.season import build_season  # noqa: E402
from planner.domain.vehicle import Vehicle  # noqa: E402
from planner.search.solve import solve_instance  # noqa: E402

BASE = (47.0, 2.0)
# Tuesday 8 to Friday 11 September 2026: four working days, no holiday.
TUE, WED, THU, FRI = (dt.date(2026, 9, d) for d in (8, 9, 10, 11))


def tiny_params(**sections) -> Params:
    """Hand-checkable defaults: no neighbour audience, every senior would come (take_up 1: a visit
    draws all of a commune's seniors; season_share 1: its pool is its seniors, so a later visit
    draws on what is left), every seat worth one point (gap_weight 0), no travel cost, no
    idle cost, exact solve. A bus stop seats 2 x 12 = 24, 1 point a seat (seat_points 1)."""
    need = dict(catchment_km=0.5, gap_start_km=0.0, gap_full_km=15.0, take_up=1.0, season_share=1.0)
    objective = dict(km_cost=0.0, idle_day_cost=0.0, market_bonus=0.3, gap_weight=0.0, seat_points=1.0,
                     should_bonus=100.0)
    rules = dict(min_gap_days=2, max_visits=2)
    need.update(sections.pop("need", {}))
    objective.update(sections.pop("objective", {}))
    rules.update(sections.pop("rules", {}))
    solver = dict(time_limit_s=10.0, workers=1, seed=0)
    solver.update(sections.pop("solver", {}))
    return Params(need=NeedParams(**need), objective=ObjectiveParams(**objective), rules=RuleParams(**rules),
                  solver=SolverParams(**solver), **sections)


def bus(max_drive_minutes: float = 180.0, weekdays=(2, 3, 4, 5), name: str = "bus", base=BASE,
        seats: int = 12) -> Vehicle:
    """A bus of two workshops of ``seats``: a stop has 2 x seats places."""
    return Vehicle(name=name, kind="bus", base_label="Base", base_lat=base[0], base_lon=base[1],
                   weekdays=weekdays, max_drive_minutes=max_drive_minutes, seats=seats)


def tiny_scenario(communes, *, points=(), markets=(), params: Params | None = None, start=TUE, end=FRI,
                  vehicles=None, requests=(), pins=(), forbidden=(), closed=()) -> Scenario:
    season = build_season(start, end, (2, 3, 4, 5), custom_closed=tuple(closed))
    return Scenario(territory(communes, points, markets), season, tuple(vehicles or (bus(),)),
                    params or tiny_params(), tuple(requests), tuple(pins), tuple(forbidden))


def solve_checked(scenario: Scenario, **kwargs):
    """Solve, and check the invariants every feasible plan must keep (see assert_invariants)."""
    instance = build_instance(scenario)
    plan = solve_instance(instance, **kwargs)
    if plan.feasible:
        assert_invariants(instance, plan)
    return instance, plan


def assert_invariants(instance, plan) -> None:
    """No closed day, spacing, driving limit, quotas, must requests in windows, pins kept, every
    request not reported unserved served by the stops, and the reported objective equal to the
    evaluator's value of the same stops."""
    evaluation = evaluate(instance, plan.stops)
    # A must request that no plan can serve is reported unserved with its reason, not silently dropped.
    excused = {u.request_id for u in plan.unserved if u.priority == "must"}
    assert excused <= {r.request_id for r in instance.scenario.requests if r.priority == "must"}
    broken = [v for v in evaluation.violations if not (v.rule == "must_unserved" and v.request_id in excused)]
    assert broken == [], broken
    # A request not reported unserved is served by the stops of the plan, not merely announced.
    reported = {u.request_id for u in plan.unserved}
    announced = {r.request_id for r in instance.scenario.requests if r.active and r.request_id not in reported}
    assert announced <= set(evaluation.served_requests), announced - set(evaluation.served_requests)
    for stop in plan.stops:
        vehicle = instance.scenario.vehicle(stop.vehicle)
        assert instance.why_closed(vehicle, stop.date) is None
    if not plan.moved:
        assert round(plan.solver.objective * VALUE_SCALE) == evaluation.objective_q
    assert plan.solver.bound >= plan.solver.objective - 1e-6
