"""Re-planning the two-commune season (A 100 seniors, B 300, four days, max 2 visits, gap 2 days)
from its published plan: nothing moves when nothing changed, and a new must request moves exactly
the stop it displaces."""

from __future__ import annotations

import datetime as dt
import json

from planner.core.compare import compare
from planner.domain.plan import Plan
from planner.domain.plan_file import plan_from_dict, plan_to_dict
from planner.domain.request import Request
from tests.conftest import TUE, WED, commune, solve_checked, tiny_scenario
from tests.search.test_plan_two_communes import A, B

C = commune("18003", 46.9, 2.1, seniors=50)


def published():
    scenario = tiny_scenario([A, B, C])
    return scenario, solve_checked(scenario)[1]


def test_nothing_changed_nothing_moves():
    scenario, plan = published()
    _, again = solve_checked(scenario, previous=plan.stops)
    assert again.moved == ()
    assert [(s.date, s.insee) for s in again.stops] == [(s.date, s.insee) for s in plan.stops]


def test_new_must_request_moves_only_the_stop_it_displaces():
    scenario, plan = published()
    wednesday = next(s for s in plan.stops if s.date == WED)
    request = Request("NEW", "18003", ((WED, WED),), priority="must")
    changed = tiny_scenario([A, B, C], requests=[request])
    _, replanned = solve_checked(changed, previous=plan.stops)
    assert any(s.insee == "18003" and s.date == WED for s in replanned.stops)
    (move,) = replanned.moved
    assert move.insee == wednesday.insee and move.from_date == WED
    assert "demande impérative NEW" in move.reason
    assert plan_from_dict(json.loads(json.dumps(plan_to_dict(replanned)))) == replanned  # moves are kept as typed


def test_a_day_closed_after_publication_moves_its_stop():
    scenario, plan = published()
    tuesday = next(s for s in plan.stops if s.date == TUE)
    changed = tiny_scenario([A, B, C], closed=[TUE])
    _, replanned = solve_checked(changed, previous=plan.stops)
    assert [m.from_date for m in replanned.moved] == [TUE]
    assert replanned.moved[0].insee == tuesday.insee
    assert replanned.moved[0].reason.startswith("jour désormais fermé : fermeture")


def test_compare_puts_two_plans_side_by_side():
    scenario, plan = published()
    other = tuple(s for s in plan.stops if s.date != WED)
    result = compare(scenario, plan, Plan(other), ("optimal", "sans mercredi")).to_dict()
    figures = {row["figure"]: row for row in result["figures"]}
    assert figures["stops"]["optimal"] == 4 and figures["stops"]["sans mercredi"] == 3
    assert figures["objective"]["difference"] < 0
    assert result["common_stops"] == 3
    assert [s["date"] for s in result["only_in"]["optimal"]] == [dt.date(2026, 9, 9).isoformat()]
