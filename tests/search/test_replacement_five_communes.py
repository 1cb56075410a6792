"""« Remplacer » on the five-commune week (Tue 8 - Fri 11 Sept 2026, one bus of 2 x 50 = 100 places,
tests/conftest.py tiny_params: nobody comes from a neighbour, every senior of a visited commune
would come, a seat is worth one point, max 2 visits, 2 days apart).

Published: B (300 seniors) Tue and Thu, A (150) Wed, C (120) Fri. A is forbidden on Wednesday.
By hand, for Wednesday: A is forbidden; B would be its third visit, one day after Tuesday; E (90,
250 km east) is beyond the bus's 180 minutes of driving a day; C is allowed (two days before its
Friday) but seats only the 20 seniors its Friday leaves; D (60, never visited) seats all 60. So D
replaces A, C is the runner-up 40 points behind, and the re-plan with D pinned moves no other date.
"""

from __future__ import annotations

import pytest

from planner.core.instance import build_instance
from planner.domain.scenario import Forbidden, Pin
from planner.domain.stop import Stop
from planner.search.replacement import best_replacement
from tests.conftest import FRI, THU, TUE, WED, commune, solve_checked
from tests.search.test_plan_two_communes import tiny_scenario

A = commune("18001", 47.0, 2.1, seniors=150, name="A")
B = commune("18002", 47.0, 2.3, seniors=300, name="B")
C = commune("18003", 46.9, 2.1, seniors=120, name="C")
D = commune("18004", 47.1, 2.2, seniors=60, name="D")
E = commune("18005", 47.0, 5.3, seniors=90, name="E")
FIVE = [A, B, C, D, E]
PUBLISHED = (Stop(TUE, "bus", B.insee, "B"), Stop(WED, "bus", A.insee, "A"), Stop(THU, "bus", B.insee, "B"),
             Stop(FRI, "bus", C.insee, "C"))
A_WEDNESDAY = Forbidden(A.insee, WED)


def test_five_communes_best_replacement_of_a_on_wednesday_is_d():
    instance = build_instance(tiny_scenario(FIVE, forbidden=[A_WEDNESDAY]))
    found = best_replacement(instance, PUBLISHED, WED, "bus", A.insee)
    assert (found.insee, found.replaces, found.runner_up, found.candidates) == (D.insee, "A", "C", 2)
    assert found.value - found.runner_up_value == pytest.approx(60 - 20)
    assert found.reason.startswith("D remplace A le 09/09/2026, même véhicule (bus) : la commune qui apporte le plus")
    assert "contre" in found.reason and "avec C, la suivante" in found.reason


def test_five_communes_nothing_keeps_the_rules_when_only_b_and_e_are_left():
    instance = build_instance(tiny_scenario(FIVE, forbidden=[A_WEDNESDAY, Forbidden(C.insee, WED), Forbidden(D.insee, WED)]))
    assert best_replacement(instance, PUBLISHED, WED, "bus", A.insee) is None
    assert best_replacement(instance, PUBLISHED, WED, "bus", D.insee) is None  # not a published stop


def test_five_communes_replan_with_d_pinned_keeps_every_other_date_and_says_why():
    scenario = tiny_scenario(FIVE, forbidden=[A_WEDNESDAY], pins=[Pin(WED, D.insee, "bus")])
    _, plan = solve_checked(scenario, previous=PUBLISHED)
    assert [(s.date, s.insee) for s in plan.stops] == [(TUE, B.insee), (WED, D.insee), (THU, B.insee), (FRI, C.insee)]
    (move,) = plan.moved
    assert (move.insee, move.from_date, move.to_dates) == (A.insee, WED, ())
    assert move.reason == "arrêt désormais interdit à cette date ; remplacé ce jour-là par D"
    (gain,) = plan.added
    assert (gain.insee, gain.date, gain.replaces) == (D.insee, WED, "A")
    assert gain.reason.startswith("D remplace A le 09/09/2026") and "avec C, la suivante" in gain.reason
