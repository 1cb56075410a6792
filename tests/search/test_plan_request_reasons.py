"""Every unserved request gets a reason: one small case built to trigger each.

Territory: A (100 seniors, 9.9 road km east of the base), B (300 seniors, 29.7 road km), and C
(200 seniors, 49.4 road km: a 119-minute round trip). Season Tue 8 - Fri 11 Sept 2026 unless said.
"""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain.market import Market
from planner.domain.params import Quota
from planner.domain.request import Request
from planner.domain.scenario import Forbidden, Pin
from tests.conftest import FRI, THU, TUE, WED, bus, commune, solve_checked, tiny_params, tiny_scenario

A = commune("18001", 47.0, 2.1, seniors=100, epci="E1")
B = commune("18002", 47.0, 2.3, seniors=300, epci="E2")
C = commune("18003", 47.0, 2.5, seniors=200, epci="E2")
OUTSIDE = commune("18009", 47.0, 2.05, seniors=10)


def reasons(plan) -> dict[str, str]:
    return {u.request_id: u.reason for u in plan.unserved}


def request(rid, insee, start, end=None, **kw) -> Request:
    return Request(rid, insee, ((start, end or start),), **kw)


def test_static_reasons():
    requests = [
        request("pending", "18001", WED, status="pending"),
        request("outside", "18099", WED),
        request("season", "18001", dt.date(2027, 1, 5)),
        request("monday", "18001", dt.date(2026, 9, 7)),
        request("drive", "18003", WED),
        request("forbid", "18002", THU),
        request("short", "18001", TUE, WED, days=3),
        request("visits", "18002", TUE, FRI, days=3),
        request("spacing", "18001", TUE, WED, days=2),
    ]
    params = tiny_params(rules={"max_visits": 2, "min_gap_days": 2})
    scenario = tiny_scenario([A, B, C], params=params, requests=requests, forbidden=[Forbidden("18002", THU)],
                             vehicles=[bus(max_drive_minutes=100)], start=dt.date(2026, 9, 7))
    _, plan = solve_checked(scenario)
    assert reasons(plan) == {
        "pending": "not_accepted", "outside": "outside_territory", "season": "outside_season",
        "monday": "closed_days", "drive": "driving_limit", "forbid": "forbidden", "short": "window_too_short",
        "visits": "max_visits", "spacing": "spacing",
    }
    messages = {u.request_id: u.message for u in plan.unserved}
    assert "aller-retour de 119 min depuis Base" in messages["drive"] and "100 min" in messages["drive"]
    assert "jour non travaillé" in messages["monday"]


def test_holiday_names_the_holiday():
    armistice = dt.date(2026, 11, 11)
    scenario = tiny_scenario([A, B], start=dt.date(2026, 11, 10), end=dt.date(2026, 11, 13),
                             requests=[request("R", "18001", armistice)])
    _, plan = solve_checked(scenario)
    (unserved,) = plan.unserved
    assert unserved.reason == "closed_days" and "Armistice" in unserved.message


def test_market_required_without_market_day_in_window():
    market = Market("18001", "A", 5, "", "", "", "weekly", "", "", "t")  # Friday
    params = tiny_params(rules={"market_required": True})
    scenario = tiny_scenario([A, B], markets=[market], params=params, requests=[request("R", "18001", TUE, WED)])
    _, plan = solve_checked(scenario)
    assert reasons(plan) == {"R": "market_day_required"}


def test_should_request_blocked_by_a_must_request_of_another_commune():
    requests = [request("must-B", "18002", WED, priority="must"), request("want-A", "18001", WED)]
    _, plan = solve_checked(tiny_scenario([A, B], requests=requests))
    assert reasons(plan) == {"want-A": "must_conflict"}
    assert "must-B" in plan.unserved[0].message


def test_should_request_blocked_by_a_pin():
    _, plan = solve_checked(tiny_scenario([A, B], requests=[request("want-A", "18001", WED)], pins=[Pin(WED, "18002")]))
    assert reasons(plan) == {"want-A": "must_conflict"}
    assert "arrêt imposé" in plan.unserved[0].message


def test_should_request_too_close_to_a_pinned_visit_of_the_same_commune():
    params = tiny_params(rules={"min_gap_days": 3})
    scenario = tiny_scenario([A, B], params=params, requests=[request("want-A", "18001", WED)], pins=[Pin(TUE, "18001")])
    _, plan = solve_checked(scenario)
    assert reasons(plan) == {"want-A": "spacing"}


def test_should_request_when_the_commune_has_used_its_visits():
    params = tiny_params(rules={"max_visits": 1})
    scenario = tiny_scenario([A, B], params=params, requests=[request("want-A", "18001", WED)], pins=[Pin(FRI, "18001")])
    _, plan = solve_checked(scenario)
    assert reasons(plan) == {"want-A": "max_visits"}


def test_should_request_in_a_full_quota():
    params = tiny_params(rules={"quotas": (Quota("epci", "E1", 0, 0),)})
    _, plan = solve_checked(tiny_scenario([A, B], params=params, requests=[request("want-A", "18001", WED)]))
    assert reasons(plan) == {"want-A": "quota"}
    assert not [s for s in plan.stops if s.insee == "18001"]


def test_should_request_outweighed_by_better_stops():
    # One day, a bus of 300 places (150 seats a workshop): A requested seats its 100 (+ bonus 50),
    # but B seats 300. (With 24 places both seat 24 and the bonus would win.)
    params = tiny_params(objective={"should_bonus": 50.0})
    scenario = tiny_scenario([A, B], params=params, start=WED, end=WED, requests=[request("want-A", "18001", WED)],
                             vehicles=[bus(seats=150)])
    _, plan = solve_checked(scenario)
    assert reasons(plan) == {"want-A": "lower_value"}
    assert [s.insee for s in plan.stops] == ["18002"]


def test_must_requests_that_cannot_all_fit_are_named():
    # Two must requests on Wednesday only, one bus: infeasible, and the diagnosis names both.
    requests = [request("must-A", "18001", WED, priority="must"), request("must-B", "18002", WED, priority="must"),
                request("fine", "18002", FRI, priority="must")]
    _, plan = solve_checked(tiny_scenario([A, B], requests=requests))
    assert plan.solver.status == "INFEASIBLE" and plan.stops == ()
    (conflict,) = plan.conflicts
    assert set(conflict.rules) == {"demande must-A", "demande must-B"}
    assert "must-A" in conflict.message and "must-B" in conflict.message and "fine" not in conflict.message


def test_must_request_against_a_quota_is_diagnosed():
    params = tiny_params(rules={"quotas": (Quota("epci", "E2", 0, 1),)})
    requests = [request("must-B", "18002", TUE, THU, days=2, priority="must")]
    _, plan = solve_checked(tiny_scenario([A, B], params=params, requests=requests))
    assert plan.solver.status == "INFEASIBLE"
    assert set(plan.conflicts[0].rules) == {"demande must-B", "quota epci E2 maximum 1"}


def test_pin_on_a_holiday_is_a_conflict_without_solving():
    scenario = tiny_scenario([A, B], start=dt.date(2026, 11, 10), end=dt.date(2026, 11, 13),
                             pins=[Pin(dt.date(2026, 11, 11), "18001")])
    _, plan = solve_checked(scenario)
    assert plan.solver.status == "INFEASIBLE"
    assert "jour férié (Armistice)" in plan.conflicts[0].message


def test_two_pins_on_one_day_are_diagnosed():
    _, plan = solve_checked(tiny_scenario([A, B], pins=[Pin(WED, "18001"), Pin(WED, "18002")]))
    assert plan.solver.status == "INFEASIBLE"
    assert len(plan.conflicts[0].rules) == 2


@pytest.mark.parametrize("seed", [0, 7])
def test_fixed_seed_and_one_worker_give_the_same_plan(seed):
    params = tiny_params(solver={"seed": seed, "workers": 1})
    communes = [commune(f"180{i:02d}", 47.0 + 0.03 * (i % 4), 2.0 + 0.05 * i, seniors=50 + 30 * i) for i in range(12)]
    scenario = tiny_scenario(communes, params=params, start=TUE, end=dt.date(2026, 10, 30))
    first = solve_checked(scenario)[1]
    second = solve_checked(scenario)[1]
    assert first.stops == second.stops and first.solver.objective == second.solver.objective
