"""Re-planning the two-commune season (A 100 seniors, B 300, four days, max 2 visits, gap 2 days)
from its published plan: nothing moves when nothing changed, and a new must request moves exactly
the stop it displaces."""

from __future__ import annotations

import datetime as dt
import json

from planner.core.compare import compare
from planner.core.evaluate import evaluate
from planner.core.instance import build_instance
from planner.domain.plan import Plan
from planner.domain.plan_file import plan_from_dict, plan_to_dict
from planner.domain.request import Request
from planner.exports.plan_report import format_plan, plan_summary
from planner.search.repair import repair_plan
from tests.conftest import FRI, THU, TUE, WED, commune, solve_checked, tiny_scenario
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
    # the host is told the date went to another commune, not that commune's request
    assert move.host_reason == "date réservée à une autre commune par l'équipe de la tournée"
    assert plan_from_dict(json.loads(json.dumps(plan_to_dict(replanned)))) == replanned  # moves are kept as typed


def test_a_day_closed_after_publication_moves_its_stop():
    scenario, plan = published()
    tuesday = next(s for s in plan.stops if s.date == TUE)
    changed = tiny_scenario([A, B, C], closed=[TUE])
    _, replanned = solve_checked(changed, previous=plan.stops)
    assert [m.from_date for m in replanned.moved] == [TUE]
    assert replanned.moved[0].insee == tuesday.insee
    assert replanned.moved[0].reason.startswith("jour désormais fermé : fermeture")
    assert replanned.moved[0].host_reason.startswith("le véhicule ne circule pas ce jour-là (fermeture")


def test_compare_puts_two_plans_side_by_side():
    scenario, plan = published()
    other = tuple(s for s in plan.stops if s.date != WED)
    result = compare(scenario, plan, Plan(other), ("optimal", "sans mercredi")).to_dict()
    figures = {row["figure"]: row for row in result["figures"]}
    assert figures["stops"]["optimal"] == 4 and figures["stops"]["sans mercredi"] == 3
    assert figures["objective"]["difference"] < 0
    assert result["common_stops"] == 3
    assert [s["date"] for s in result["only_in"]["optimal"]] == [dt.date(2026, 9, 9).isoformat()]


def test_new_must_request_report_names_the_gain_and_the_loss_in_french():
    scenario, plan = published()
    wednesday = next(s for s in plan.stops if s.date == WED)
    changed = tiny_scenario([A, B, C], requests=[Request("NEW", "18003", ((WED, WED),), priority="must")])
    _, replanned = solve_checked(changed, previous=plan.stops)
    (gain,) = replanned.added
    assert gain.insee == "18003" and gain.date == WED
    assert gain.replaces == wednesday.commune and gain.reason == "demande impérative NEW"
    text = format_plan(replanned, plan_summary(replanned))
    assert "1 arrêt déplacé ou retiré, 1 date ajoutée" in text
    assert f"  - {wednesday.commune} : le 09/09/2026 -> " in text
    assert "  + Commune 18003 gagne le 09/09/2026" in text


def test_repair_moves_only_the_displaced_stop_and_keeps_every_rule():
    # C (50 seniors) must be visited on Wednesday: the repair puts it there, the stop it displaces
    # is the only published stop that moves, and the plan breaks no rule. The published plan has
    # A and B twice each (tests/test_plan_two_communes.py), so Wednesday's commune cannot come back
    # on another day (max 2 visits, all days taken): it is removed.
    scenario, plan = published()
    request = Request("NEW", "18003", ((WED, WED),), priority="must")
    changed = tiny_scenario([A, B, C], requests=[request])
    instance = build_instance(changed)
    repair = repair_plan(instance, plan.stops, (request,), {0, 1, 2})
    assert repair is not None
    assert evaluate(instance, repair.stops).violations == ()
    kept = {(s.date, s.insee) for s in repair.stops}
    assert (WED, "18003") in kept
    assert sum(1 for s in plan.stops if (s.date, s.insee) not in kept) == 1
    assert len(repair.stops) == 4


def test_replan_after_every_day_closed_but_one_is_not_empty():
    # Tuesday to Thursday closed after publication: the repair keeps Friday's stop, nothing else
    # can move anywhere; the re-plan returns that one stop, not an empty plan.
    scenario, plan = published()
    friday = next(s for s in plan.stops if s.date == FRI)
    changed = tiny_scenario([A, B, C], closed=[TUE, WED, THU])
    _, replanned = solve_checked(changed, previous=plan.stops)
    assert [(s.date, s.insee) for s in replanned.stops] == [(FRI, friday.insee)]
    assert len(replanned.moved) == 3
