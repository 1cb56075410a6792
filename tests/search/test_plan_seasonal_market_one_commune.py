"""A seasonal market on a bus season, on one commune A (100 seniors, tests/conftest.py tiny_params:
a stop seats 24 of the 100 at one point a seat, so it is worth 24, market bonus 0.3 x 24 = 7.2, no
travel or idle cost), one visit at most.

A's market is held on Tuesdays in April only; the season runs from Tuesday 24 March to Friday 10
April 2026 (Tuesdays 24 and 31 March, 7 April; Good Friday is 3 April, Easter Monday 6 April). The
optimum is the one Tuesday in April: 24 + 7.2 = 31.2. The aggregate model, which decides counts per
weekday, must count the Tuesday's best date (not its first, 24 March, no market): counting the
first one, it "proved" a plan worth 24 optimal."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain.market import Market
from tests.conftest import commune, solve_checked, tiny_params, tiny_scenario

A = commune("18001", 47.01, 2.0, seniors=100)
APRIL_TUESDAYS = Market("18001", "Commune 18001", 2, "8h-13h", "place", "hebdomadaire", "weekly", "avril", "",
                        "test", (4,), "confirmed")


def test_the_stop_goes_to_the_market_tuesday_in_its_month_and_the_bound_holds():
    scenario = tiny_scenario([A], markets=[APRIL_TUESDAYS], start=dt.date(2026, 3, 24), end=dt.date(2026, 4, 10),
                             params=tiny_params(rules={"max_visits": 1}))
    _, plan = solve_checked(scenario)  # checks bound >= objective = the evaluator's value
    assert plan.solver.objective == pytest.approx(31.2)
    assert [(s.date, s.market_day) for s in plan.stops] == [(dt.date(2026, 4, 7), True)]
