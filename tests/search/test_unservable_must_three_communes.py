"""A must request that no plan can serve (three days asked in a three-day window, two days apart at
least) is reported unserved; it must not make every starting plan count as broken, or a short solve
keeps CP-SAT's first poor solution (on the Bourges season at 5 s: -60,820 points instead of 6,662)."""

from __future__ import annotations

import datetime as dt

from planner.core.instance import build_instance
from planner.domain.request import Request
from planner.domain.stop import Stop
from planner.search.incumbent import incumbent
from tests.conftest import TUE, commune, solve_checked, tiny_scenario

COMMUNES = [commune("18001", 47.0, 2.0, seniors=300), commune("18002", 47.05, 2.05, seniors=200),
            commune("18003", 47.1, 2.1, seniors=100)]
UNSERVABLE = Request("A", "18001", ((TUE, TUE + dt.timedelta(days=2)),), days=3, priority="must")


def test_a_plan_is_still_a_starting_plan_beside_an_unservable_must_request():
    instance = build_instance(tiny_scenario(COMMUNES, requests=(UNSERVABLE,)))
    start = incumbent(instance, (Stop(TUE, "bus", "18002"),), (), "glouton")
    assert start is not None and start.stops == (Stop(TUE, "bus", "18002"),)


def test_the_solve_reports_the_request_and_plans_the_rest():
    _, plan = solve_checked(tiny_scenario(COMMUNES, requests=(UNSERVABLE,)))
    assert [u.request_id for u in plan.unserved] == ["A"]
    assert plan.stops  # the other days are planned
