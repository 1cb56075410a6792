"""The bus on two communes east of its base over four days (Tue 8 - Fri 11 Sept 2026).

Setup (tests/conftest.py tiny_params): no service point anywhere; nobody comes from the
neighbour (catchment 0.5 km); take_up 1 (a commune's pool is its seniors), gap_weight 0 (a seat
is worth 1 point); max_visits 2, min_gap_days 2; no travel or idle cost. The bus has 50 seats a
workshop: 100 places a stop. A has 150 seniors: its first stop seats 100, its second the 50
left; B has 300: 100 at each of its two stops.
"""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain.market import Market
from planner.domain.request import Request
from planner.domain.scenario import Pin
from tests.conftest import FRI, THU, TUE, WED, commune, solve_checked, tiny_params
from tests.conftest import bus as tiny_bus
from tests.conftest import tiny_scenario as tiny_season


def bus(**kwargs):
    return tiny_bus(seats=50, **kwargs)


def tiny_scenario(communes, **kwargs):
    kwargs.setdefault("vehicles", [bus()])
    return tiny_season(communes, **kwargs)

A = commune("18001", 47.0, 2.1, seniors=150)  # 7.6 km geodesic from the base, 9.9 road km
B = commune("18002", 47.0, 2.3, seniors=300)  # 22.8 km geodesic, 29.7 road km, 35.6 min at 50 km/h


def test_optimum_alternates_both_communes_twice():
    # Best: B twice (100 + 100) and A twice (100 + 50) = 350, e.g. B Tue/Thu, A Wed/Fri (before
    # the participants' value: 600, each senior of the catchment counted).
    _, plan = solve_checked(tiny_scenario([A, B]))
    assert plan.solver.status == "OPTIMAL"
    assert plan.solver.objective == pytest.approx(350)
    assert plan.metrics.participants == 350 and plan.metrics.seats == 400
    assert sorted(s.insee for s in plan.stops) == ["18001", "18001", "18002", "18002"]


def test_market_day_moves_a_to_wednesday():
    # A's weekly Wednesday market adds 0.3 x 100 (a stop's value alone in A) = 30 once A is there
    # on Wednesday: 380.
    market = Market("18001", "A", 3, "matin", "place", "hebdomadaire", "weekly", "", "", "test")
    _, plan = solve_checked(tiny_scenario([A, B], markets=[market]))
    assert plan.solver.objective == pytest.approx(380)
    assert [s.date for s in plan.stops if s.insee == "18001"] == [WED, FRI]
    assert [s.market_day for s in plan.stops if s.insee == "18001"] == [True, False]


def test_driving_limit_keeps_the_bus_out_of_b():
    # Round trip to B is 71 min > 60: only A, twice (100 + 50); two days stay idle.
    _, plan = solve_checked(tiny_scenario([A, B], vehicles=[bus(max_drive_minutes=60)]))
    assert plan.solver.objective == pytest.approx(150)
    assert {s.insee for s in plan.stops} == {"18001"}
    assert plan.metrics.idle_days == 2


def test_travel_cost_is_subtracted_per_km():
    # km_cost 1 point/km: A costs 19.8, B 59.4 a visit; B's second visit (100 - 59.4) still pays.
    params = tiny_params(objective={"km_cost": 1.0})
    instance, plan = solve_checked(tiny_scenario([A, B], params=params))
    km = {s.insee: s.km for s in plan.stops}
    expected = 350 - 2 * instance.round_trip_km(0, 0) - 2 * instance.round_trip_km(0, 1)
    assert plan.solver.objective == pytest.approx(expected, abs=0.01)
    assert km["18002"] == pytest.approx(2 * 1.3 * 22.8, rel=0.01)


def test_idle_day_cost_fills_days_with_zero_value_stops():
    # One commune, max 2 visits over 4 days; a third commune with no seniors is worth a visit only
    # because an idle day costs 10 points.
    empty = commune("18003", 47.0, 2.15, seniors=0)
    params = tiny_params(objective={"idle_day_cost": 10.0}, rules={"max_visits": 1})
    _, plan = solve_checked(tiny_scenario([A, B, empty], params=params))
    # A 100 + B 100 + empty 0, one idle day (-10): 190.
    assert plan.solver.objective == pytest.approx(190)
    assert plan.metrics.idle_days == 1


def test_should_request_bonus_pulls_a_into_its_window():
    # With max_visits 1: B (100) and A (100) once each; A's request for Friday adds 100 if A is on Friday.
    request = Request("R1", "18001", ((FRI, FRI),), priority="should")
    params = tiny_params(rules={"max_visits": 1})
    _, plan = solve_checked(tiny_scenario([A, B], params=params, requests=[request]))
    assert plan.solver.objective == pytest.approx(300)
    assert [s.date for s in plan.stops if s.insee == "18001"] == [FRI]
    assert plan.unserved == ()


def test_pin_is_kept_even_against_value():
    # Pinning A on Tuesday and Thursday leaves Wednesday and Friday to B: still 350.
    pins = [Pin(TUE, "18001"), Pin(THU, "18001")]
    _, plan = solve_checked(tiny_scenario([A, B], pins=pins))
    assert [(s.date, s.insee) for s in plan.stops if s.insee == "18001"] == [(TUE, "18001"), (THU, "18001")]
    assert plan.solver.objective == pytest.approx(350)


def test_public_holiday_is_never_a_stop():
    # 11 November 2026 (Wednesday) is Armistice: 3 working days that week.
    start, end = dt.date(2026, 11, 10), dt.date(2026, 11, 13)
    _, plan = solve_checked(tiny_scenario([A, B], start=start, end=end))
    assert dt.date(2026, 11, 11) not in {s.date for s in plan.stops}
    assert len(plan.stops) == 3
