"""The bus on two communes east of its base over four days (Tue 8 - Fri 11 Sept 2026).

Setup (tests/conftest.py tiny_params): no service point anywhere, so the access gap is 1 and
need = seniors; the audience does not reach the neighbour (catchment 0.5 km); repeat_decay 0.5,
max_visits 2, min_gap_days 2; no travel or idle cost. A has 100 seniors, B 300.
"""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain.market import Market
from planner.domain.request import Request
from planner.domain.scenario import Pin
from tests.conftest import FRI, THU, TUE, WED, bus, commune, solve_checked, tiny_params, tiny_scenario

A = commune("18001", 47.0, 2.1, seniors=100)  # 7.6 km geodesic from the base, 9.9 road km
B = commune("18002", 47.0, 2.3, seniors=300)  # 22.8 km geodesic, 29.7 road km, 35.6 min at 50 km/h


def test_optimum_alternates_both_communes_twice():
    # Best: B twice (300 + 0.5 x 300) and A twice (100 + 50) = 600, e.g. B Tue/Thu, A Wed/Fri.
    _, plan = solve_checked(tiny_scenario([A, B]))
    assert plan.solver.status == "OPTIMAL"
    assert plan.solver.objective == pytest.approx(600)
    assert sorted(s.insee for s in plan.stops) == ["18001", "18001", "18002", "18002"]


def test_market_day_moves_a_to_wednesday():
    # A's weekly Wednesday market adds 0.3 x 100 = 30 once A is there on Wednesday: 630.
    market = Market("18001", "A", 3, "matin", "place", "hebdomadaire", "weekly", "", "", "test")
    _, plan = solve_checked(tiny_scenario([A, B], markets=[market]))
    assert plan.solver.objective == pytest.approx(630)
    assert [s.date for s in plan.stops if s.insee == "18001"] == [WED, FRI]
    assert [s.market_day for s in plan.stops if s.insee == "18001"] == [True, False]


def test_driving_limit_keeps_the_bus_out_of_b():
    # Round trip to B is 71 min > 60: only A, twice (150); two days stay idle.
    _, plan = solve_checked(tiny_scenario([A, B], vehicles=[bus(max_drive_minutes=60)]))
    assert plan.solver.objective == pytest.approx(150)
    assert {s.insee for s in plan.stops} == {"18001"}
    assert plan.metrics.idle_days == 2


def test_travel_cost_is_subtracted_per_km():
    # km_cost 1 point/km: A costs 19.8, B 59.4 a visit; B's second visit (150 - 59.4) still pays.
    params = tiny_params(objective={"km_cost": 1.0})
    instance, plan = solve_checked(tiny_scenario([A, B], params=params))
    km = {s.insee: s.km for s in plan.stops}
    expected = 600 - 2 * instance.round_trip_km(0, 0) - 2 * instance.round_trip_km(0, 1)
    assert plan.solver.objective == pytest.approx(expected, abs=0.01)
    assert km["18002"] == pytest.approx(2 * 1.3 * 22.8, rel=0.01)


def test_idle_day_cost_fills_days_with_zero_value_stops():
    # One commune, max 2 visits over 4 days; a third commune with no seniors is worth a visit only
    # because an idle day costs 10 points.
    empty = commune("18003", 47.0, 2.15, seniors=0)
    params = tiny_params(objective={"idle_day_cost": 10.0}, rules={"max_visits": 1})
    _, plan = solve_checked(tiny_scenario([A, B, empty], params=params))
    # A 100 + B 300 + empty 0, one idle day (-10): 390.
    assert plan.solver.objective == pytest.approx(390)
    assert plan.metrics.idle_days == 1


def test_should_request_bonus_pulls_a_into_its_window():
    # With max_visits 1: B (300) and A (100) once each; A's request for Friday adds 100 if A is on Friday.
    request = Request("R1", "18001", ((FRI, FRI),), priority="should")
    params = tiny_params(rules={"max_visits": 1})
    _, plan = solve_checked(tiny_scenario([A, B], params=params, requests=[request]))
    assert plan.solver.objective == pytest.approx(500)
    assert [s.date for s in plan.stops if s.insee == "18001"] == [FRI]
    assert plan.unserved == ()


def test_pin_is_kept_even_against_value():
    # Pinning A on Tuesday and Thursday leaves Wednesday and Friday to B: still 600.
    pins = [Pin(TUE, "18001"), Pin(THU, "18001")]
    _, plan = solve_checked(tiny_scenario([A, B], pins=pins))
    assert [(s.date, s.insee) for s in plan.stops if s.insee == "18001"] == [(TUE, "18001"), (THU, "18001")]
    assert plan.solver.objective == pytest.approx(600)


def test_public_holiday_is_never_a_stop():
    # 11 November 2026 (Wednesday) is Armistice: 3 working days that week.
    start, end = dt.date(2026, 11, 10), dt.date(2026, 11, 13)
    _, plan = solve_checked(tiny_scenario([A, B], start=start, end=end))
    assert dt.date(2026, 11, 11) not in {s.date for s in plan.stops}
    assert len(plan.stops) == 3
