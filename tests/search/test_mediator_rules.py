"""Pins, requests, conflicts and bad input in mediator mode, on the four communes of
tests/test_mediator_tiny.py (best week: Tuesday B then D, Wednesday C then A, 1030)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from planner.core.instance import build_instance
from planner.domain.params import Params
from planner.domain.problems import DataError
from planner.domain.request import Request
from planner.domain.scenario import Pin
from planner.domain.vehicle import MEDIATOR_SESSIONS, mediator_vehicle
from planner.search.mediator_solve import solve_mediator
from tests.conftest import bus, commune
from tests.search.test_mediator_invariants import assert_mediator_invariants
from tests.search.test_mediator_tiny import ARMISTICE, scenario, template_of

TUE_10, WED_18 = dt.date(2026, 11, 10), dt.date(2026, 11, 18)


def solve(sc):
    instance = build_instance(sc)
    plan = solve_mediator(instance)
    if plan.feasible:
        assert_mediator_invariants(instance, plan)
    return plan


def test_pin_moves_a_commune_to_the_pinned_weekday():
    # A pinned on Tuesday 10 November: A must be in Tuesday's template. Tuesday afternoon is D's
    # (its only opening), so A takes Tuesday morning; B goes to Wednesday afternoon; A loses its
    # market: 1000.
    plan = solve(replace(scenario(), pins=(Pin(TUE_10, "18001"),)))
    assert plan.solver.objective == pytest.approx(1000)
    assert template_of(plan) == [(2, 1, "A"), (2, 2, "D"), (3, 1, "C"), (3, 2, "B")]
    assert any(s.date == TUE_10 and s.insee == "18001" for s in plan.stops)


def test_pin_on_a_holiday_is_a_conflict():
    plan = solve(replace(scenario(), pins=(Pin(ARMISTICE, "18001"),)))
    assert plan.solver.status == "INFEASIBLE"
    assert "jour férié" in plan.conflicts[0].message
    assert plan.stops == ()


def test_pin_where_the_mairie_is_closed_is_a_conflict():
    # D opens on Tuesday afternoons only.
    plan = solve(replace(scenario(), pins=(Pin(WED_18, "18004"),)))
    assert plan.solver.status == "INFEASIBLE"
    assert "mairie fermée" in plan.conflicts[0].message


def test_pins_that_clash_are_named():
    # Three communes pinned on the same Tuesday: two half-days only. The fourth pin is innocent.
    pins = (Pin(TUE_10, "18001"), Pin(TUE_10, "18002"), Pin(TUE_10, "18004"), Pin(WED_18, "18003"))
    plan = solve(replace(scenario(), pins=pins))
    assert plan.solver.status == "INFEASIBLE"
    assert set(plan.conflicts[0].rules) == {p.label() for p in pins[:3]}


def test_must_request_is_served_inside_its_window():
    # A must come twice between 3 and 10 November: Tuesdays 3 and 10 (Wednesday the 4th and the
    # 11th give only one date, the 11th being Armistice): A on Tuesday morning, as with the pin.
    request = Request("R1", "18001", ((dt.date(2026, 11, 3), TUE_10),), days=2, priority="must")
    plan = solve(replace(scenario(), requests=(request,)))
    assert plan.solver.objective == pytest.approx(1000)
    assert [s.date for s in plan.stops if s.insee == "18001"][:2] == [dt.date(2026, 11, 3), TUE_10]
    assert plan.unserved == ()


def test_must_request_no_template_can_serve_is_reported_not_fatal():
    # C opens in the mornings of Monday to Friday, but three stops between 3 and 10 November would
    # need both weekdays and C comes once a week.
    request = Request("R2", "18003", ((dt.date(2026, 11, 3), TUE_10),), days=3, priority="must")
    plan = solve(replace(scenario(), requests=(request,)))
    assert plan.solver.status == "OPTIMAL"
    assert [(u.request_id, u.reason) for u in plan.unserved] == [("R2", "closed_days")]


def test_should_request_earns_its_bonus():
    # B asked for Wednesday 18 November (should, 100 points): B to Wednesday afternoon, A to
    # Tuesday morning without its market: 1000 + 100 = 1100 > 1030.
    request = Request("R3", "18002", ((WED_18, WED_18),), priority="should")
    plan = solve(replace(scenario(), requests=(request,)))
    assert plan.solver.objective == pytest.approx(1100)
    assert plan.metrics.requests_served == 1


def test_bus_in_a_mediator_scenario_is_refused_in_french():
    sc = scenario()
    with pytest.raises(DataError, match="médiateur"):
        solve_mediator(build_instance(replace(sc, vehicles=(*sc.vehicles, bus()))))
    with pytest.raises(DataError, match="aucun médiateur"):
        solve_mediator(build_instance(replace(sc, vehicles=(bus(),))))


def test_three_half_days_a_day_are_refused():
    sc = scenario()
    three = replace(sc.vehicles[0], sessions=(*MEDIATOR_SESSIONS, MEDIATOR_SESSIONS[1]))
    with pytest.raises(DataError, match="demi-journées"):
        solve_mediator(build_instance(replace(sc, vehicles=(three,))))


def test_mediator_vehicle_from_a_commune():
    base = commune("18223", 47.21637, 2.38433, name="Saint-Martin-d'Auxigny")
    params = Params().with_changes("vehicle", max_drive_minutes=120.0)
    vehicle = mediator_vehicle("médiateur", base, (5, 1, 2), params)
    assert (vehicle.kind, vehicle.base_insee, vehicle.base_label) == ("mediator", "18223", "Saint-Martin-d'Auxigny")
    assert vehicle.weekdays == (1, 2, 5)
    assert [s.label() for s in vehicle.sessions] == ["09:00-12:00", "14:00-17:00"]
    assert (vehicle.max_drive_minutes, vehicle.overnight_nights) == (120.0, 0)


def test_mediator_vehicle_from_coordinates():
    vehicle = mediator_vehicle("m2", (47.2, 2.4), (1, 3), Params(), label="Saint-Martin-d'Auxigny", insee="18223")
    assert (vehicle.base_lat, vehicle.base_lon, vehicle.base_label, vehicle.base_insee) == (
        47.2, 2.4, "Saint-Martin-d'Auxigny", "18223")
    assert mediator_vehicle("m3", (47.2, 2.4), (1,), Params()).base_label == "47.2000,2.4000"


def test_no_solution_in_time_falls_back_to_the_greedy_week_without_a_bound(monkeypatch):
    from ortools.sat.python import cp_model

    import planner.search.mediator_solve as mediator_solve

    class OutOfTime:
        def Solve(self, model, callback=None):  # noqa: N802 (CP-SAT's name)
            return cp_model.UNKNOWN

        def BestObjectiveBound(self):  # noqa: N802
            return 0.0  # what CP-SAT reports when it stopped before any bound: not a bound

    monkeypatch.setattr(mediator_solve, "_solver", lambda instance, time_limit_s: OutOfTime())
    plan = solve(scenario())
    assert (plan.solver.status, plan.solver.bound, plan.solver.gap) == ("FEASIBLE", None, None)
    assert plan.solver.source.endswith("glouton")
    # Greedy, day by day: Tuesday B then D (600), Wednesday C then A with its market (430): 1030 here too.
    assert plan.solver.objective == pytest.approx(1030)
    assert template_of(plan) == [(2, 1, "B"), (2, 2, "D"), (3, 1, "C"), (3, 2, "A")]
