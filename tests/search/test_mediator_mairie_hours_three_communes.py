"""A mediator works inside the mairie, so its half-days go where the mairie's hours allow them:
three communes in the directory's notation, a mediator on Tuesdays and Wednesdays (09:00-12:00,
14:00-17:00), drive limit 90 min (tests/search/test_mediator_tiny.py's geometry: A north, B
south, C east of the base; every pair fits one day).

    A, 100 seniors, « mardi (14h-18h) »: open on Tuesday afternoon only
    B, 200 seniors, « lundi (9h-12h) ; jeudi (9h-12h) »: closed on both of the mediator's weekdays
    C, 300 seniors, no hours in the directory: unknown, not closed

Hand-derived optimum: A only on Tuesday afternoon; B nowhere; C on any half-day. A half-day seats
the mediator's 12 (tests/conftest.py tiny_params: every senior would come, a seat is worth one
point), and both pools hold more: week 12 + 12 = 24 (one half-day a week each), with A at Tuesday
afternoon."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.core.evaluate import evaluate
from planner.core.instance import build_instance
from planner.core.rules import hours_violation
from planner.domain.host_hours import HostHours
from planner.domain.scenario import Scenario
from planner.domain.season import build_season
from planner.domain.stop import Stop
from planner.domain.vehicle import mediator_vehicle
from planner.exports.plan_report import format_plan, plan_summary
from planner.search.solve import solve_scenario
from tests.conftest import BASE, commune, territory, tiny_params
from tests.search.test_mediator_invariants import assert_mediator_invariants

A = commune("18001", 47.1, 2.0, seniors=100, name="A")
B = commune("18002", 46.9, 2.0, seniors=200, name="B")
C = commune("18003", 47.0, 2.2, seniors=300, name="C")
HOURS = (HostHours("18001", "A", "mardi (14h-18h)", "test", "test"),
         HostHours("18002", "B", "lundi (9h-12h) ; jeudi (9h-12h)", "test", "test"))
START, END = dt.date(2026, 11, 3), dt.date(2026, 11, 18)  # three weeks; Wednesday 11 is Armistice
TUESDAY = dt.date(2026, 11, 3)


def scenario() -> Scenario:
    land = territory([A, B, C])
    land = type(land)(land.name, land.communes, land.service_points, land.markets, HOURS)
    params = tiny_params()
    mediator = mediator_vehicle("médiateur", BASE, (2, 3), params.with_changes("vehicle", max_drive_minutes=90.0))
    return Scenario(land, build_season(START, END, (2, 3)), (mediator,), params)


def test_predicate_says_closed_open_and_unknown():
    instance = build_instance(scenario())
    a, b, c = 0, 1, 2
    assert hours_violation(instance, 0, 2, 2, a) is None  # Tuesday afternoon: open 14h-18h
    assert hours_violation(instance, 0, 2, 1, a) == ("mairie fermée le mardi 09:00-12:00 d'après ses horaires "
                                                     "(« mardi (14h-18h) »)")
    assert hours_violation(instance, 0, 3, 1, b) is not None and hours_violation(instance, 0, 2, 2, b) is not None
    assert all(hours_violation(instance, 0, w, k, c) is None for w in (2, 3) for k in (1, 2))  # unknown: allowed


def test_tuesday_afternoon_mairie_gets_tuesday_afternoon_and_closed_one_none():
    instance = build_instance(scenario())
    plan = solve_scenario(instance.scenario)
    assert_mediator_invariants(instance, plan)
    assert plan.solver.objective == pytest.approx(24)
    slots = {t.commune: (t.weekday, t.slot, t.hours_known) for t in plan.template}
    assert slots["A"] == (2, 2, True)
    assert "B" not in slots
    assert slots["C"][2] is False  # placed although its hours are unknown, and the plan says so
    assert {s.date.isoweekday() for s in plan.stops if s.insee == "18001"} == {2}
    reason = next(u for u in plan.unvisited if u.insee == "18002")
    assert reason.reason == "host_closed" and "mairie fermée" in reason.message
    text = format_plan(plan, plan_summary(plan))
    assert "horaires de mairie inconnus" in text


def test_evaluator_reports_a_half_day_where_the_mairie_is_closed():
    instance = build_instance(scenario())
    stops = (Stop(TUESDAY, "médiateur", "18001", slot=1), Stop(TUESDAY, "médiateur", "18003", slot=2))
    found = [(v.rule, v.insee) for v in evaluate(instance, stops).violations]
    assert found == [("host_closed", "18001")]  # A's morning; C's unknown hours break nothing
