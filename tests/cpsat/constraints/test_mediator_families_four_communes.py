"""The mediator model's constraint families, each alone, on the four communes of
tests/search/test_mediator_tiny.py (a mediator on Tuesdays and Wednesdays, 3 to 18 November
2026, Wednesday 11 November a holiday). Its 15 patterns: Tuesday (one day type) A, B, C alone,
D alone in the afternoon, A-B, C-A, A-D, C-B, B-D; Wednesday (another: A's market day) A, B, C,
A-B, C-A, C-B. A is in 4 Tuesday and 3 Wednesday patterns."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from planner.cpsat.mediator_model import (
    add_must_requests,
    add_one_mediator_per_commune_and_day,
    add_one_pattern_per_day,
    add_pins,
    add_should_requests,
    add_weekly_visits,
)
from planner.domain.request import Request
from planner.domain.scenario import Pin
from planner.domain.vehicle import mediator_vehicle
from tests.conftest import BASE
from tests.cpsat.constraints.tiny import optimum, patterns_only
from tests.search.test_mediator_tiny import ARMISTICE, scenario

A = 0
NOV_3, NOV_4, TUE_10 = dt.date(2026, 11, 3), dt.date(2026, 11, 4), dt.date(2026, 11, 10)


def with_a(mm, weekday: int | None = None) -> list:
    """The pattern variables that visit A (on ``weekday`` if given)."""
    return [mm.x[i] for i, p in enumerate(mm.patterns)
            if A in p.communes and (weekday is None or mm.types[p.t].weekdays[0] == weekday)]


def test_one_pattern_per_day():
    # Binding: every pattern at once is 15; one a day type (one weekday each): 2.
    mm = patterns_only(scenario())
    assert len(mm.x) == 15 and optimum(mm.model, sum(mm.x)) == ("OPTIMAL", 15)
    mm = patterns_only(scenario())
    add_one_pattern_per_day(mm)
    assert optimum(mm.model, sum(mm.x)) == ("OPTIMAL", 2)
    # Without hours nor market Tuesday and Wednesday are one day type of two weekdays: 2 days.
    mm = patterns_only(scenario(hours=(), markets=()))
    assert [t.weekdays for t in mm.types] == [(2, 3)]
    add_one_pattern_per_day(mm)
    assert optimum(mm.model, sum(mm.x)) == ("OPTIMAL", 2)
    # Not binding: one pattern alone is 1 either way.
    assert optimum(mm.model, mm.x[0]) == ("OPTIMAL", 1)


def test_weekly_visits():
    # Binding: the 7 patterns with A count as 7 visits without; one half-day a week: 1; two: 2.
    mm = patterns_only(scenario())
    add_weekly_visits(mm)
    assert optimum(mm.model, sum(with_a(mm))) == ("OPTIMAL", 1)
    mm = patterns_only(scenario(rules={"mediator_visits_per_week": 2}))
    add_weekly_visits(mm)
    assert optimum(mm.model, sum(with_a(mm))) == ("OPTIMAL", 2)
    # Not binding: B alone on Tuesday is one visit of B: 1.
    assert optimum(mm.model, mm.x[1]) == ("OPTIMAL", 1)


def two_mediators(visits_per_week: int):
    one = scenario(rules={"mediator_visits_per_week": visits_per_week})
    second = mediator_vehicle("médiateur 2", BASE, (2, 3), one.params)
    return replace(one, vehicles=(*one.vehicles, second))


def test_one_mediator_per_commune_and_day():
    # Binding: two mediators, two half-days a week per commune: the 4 + 4 Tuesday patterns with A
    # of both mediators make 8; one mediator in A on a Tuesday: 1.
    mm = patterns_only(two_mediators(2))
    assert optimum(mm.model, sum(with_a(mm, 2))) == ("OPTIMAL", 8)
    mm = patterns_only(two_mediators(2))
    add_one_mediator_per_commune_and_day(mm)
    assert optimum(mm.model, sum(with_a(mm, 2))) == ("OPTIMAL", 1)
    # Not binding: with one half-day a week the weekly rule implies it, the family adds nothing: 8.
    mm = patterns_only(two_mediators(1))
    add_one_mediator_per_commune_and_day(mm)
    assert optimum(mm.model, sum(with_a(mm, 2))) == ("OPTIMAL", 8)


def test_pins():
    # Binding: A pinned on Tuesday 10: the fewest patterns are 1 (one with A on Tuesday).
    mm = patterns_only(replace(scenario(), pins=(Pin(TUE_10, "18001"),)))
    add_pins(mm)
    assert optimum(mm.model, sum(mm.x), maximise=False) == ("OPTIMAL", 1)
    for var in with_a(mm, 2):
        mm.model.Add(var == 0)
    assert optimum(mm.model, sum(mm.x), maximise=False)[0] == "INFEASIBLE"
    # A pin on the Armistice (no working day): no pattern keeps it.
    mm = patterns_only(replace(scenario(), pins=(Pin(ARMISTICE, "18001"),)))
    add_pins(mm)
    assert optimum(mm.model, sum(mm.x), maximise=False)[0] == "INFEASIBLE"
    # Not binding: no pin, no pattern needed.
    mm = patterns_only(scenario())
    add_pins(mm)
    assert optimum(mm.model, sum(mm.x), maximise=False) == ("OPTIMAL", 0)


def request(days: int, start: dt.date, end: dt.date, priority: str = "must") -> Request:
    return Request("D1", "18001", ((start, end),), days=days, priority=priority)


def test_must_requests():
    # Two stops in A over the season: a Tuesday pattern with A makes 3 dated stops (3, 10, 17
    # November): 1 pattern. Two stops on 3-4 November: one Tuesday and one Wednesday pattern: 2.
    # One stop on the Armistice only: no pattern makes it, no plan.
    for days, start, end, fewest in ((2, NOV_3, dt.date(2026, 11, 18), 1), (2, NOV_3, NOV_4, 2)):
        mm = patterns_only(scenario())
        add_must_requests(mm, [request(days, start, end)])
        assert optimum(mm.model, sum(mm.x), maximise=False) == ("OPTIMAL", fewest)
    mm = patterns_only(scenario())
    add_must_requests(mm, [request(1, ARMISTICE, ARMISTICE)])
    assert optimum(mm.model, sum(mm.x), maximise=False)[0] == "INFEASIBLE"
    # Not binding: no request, no pattern.
    mm = patterns_only(scenario())
    add_must_requests(mm, [])
    assert optimum(mm.model, sum(mm.x), maximise=False) == ("OPTIMAL", 0)


def test_should_requests():
    # served x 10 minus the patterns: one Tuesday pattern with A serves 2 stops: 10 - 1 = 9.
    # With every pattern with A excluded, it cannot count as served: 0.
    mm = patterns_only(scenario())
    add_should_requests(mm, [request(2, NOV_3, dt.date(2026, 11, 18), "should")])
    assert optimum(mm.model, 10 * mm.served["D1"] - sum(mm.x)) == ("OPTIMAL", 9)
    mm = patterns_only(scenario())
    add_should_requests(mm, [request(2, NOV_3, dt.date(2026, 11, 18), "should")])
    for var in with_a(mm):
        mm.model.Add(var == 0)
    assert optimum(mm.model, mm.served["D1"]) == ("OPTIMAL", 0)
