"""Menetou-Salon asks for a March visit while its two published January and February stops already use
its visit limit: a re-plan that keeps them leaves the request unserved, and the one service answer
names the cause that decided (moving a published stop costs more than the request's bonus), the
same on every page and file that reads it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from planner.core.instance import build_instance
from planner.core.reasons import plan_reason
from planner.core.service import request_service
from planner.domain.plan import Unserved
from planner.domain.request import Request
from planner.domain.spec import ScenarioSpec
from planner.domain.stop import Stop
from planner.inputs.scenario_build import build_scenario

MENETOU = "18145"
MARCH = Request("R-MARS", MENETOU, ((dt.date(2027, 3, 1), dt.date(2027, 3, 31)),), days=1)


@pytest.fixture(scope="module")
def instance():
    spec = ScenarioSpec.from_dict({
        "name": "Menetou-Salon", "territory": "bourges", "territory_rows": [{"insee_com": c} for c in (MENETOU, "18033")],
        "start": "2027-01-04", "end": "2027-06-30",
        "params": {"rules": {"max_visits": 2, "min_gap_days": 7}},
    })
    scenario = build_scenario(spec)
    return build_instance(replace(scenario, requests=(MARCH,)))


def published(instance) -> tuple[Stop, ...]:
    bus = instance.scenario.vehicles[0].name
    return tuple(Stop(d, bus, MENETOU, commune="Menetou-Salon") for d in (dt.date(2027, 1, 5), dt.date(2027, 2, 2)))


def test_a_replan_keeping_menetou_published_stops_says_the_move_costs_more_than_the_bonus(instance):
    stops = published(instance)
    why = plan_reason(instance, MARCH, stops, previous=stops)
    assert why.reason == "move_cost"
    assert "05/01/2027, 02/02/2027" in why.message
    assert "chaque arrêt publié déplacé coûte 200 points, plus que le bonus de la demande (100 points)" in why.message
    # the same plan judged without a published plan behind it: the visit limit is the cause
    assert plan_reason(instance, MARCH, stops).reason == "max_visits"


def test_the_service_answer_never_calls_a_stop_outside_the_periods_serving(instance):
    stops = published(instance)
    why = plan_reason(instance, MARCH, stops, previous=stops)
    answer = request_service(MARCH, stops, (why,))
    assert not answer.served and answer.stops == () and answer.reason == "move_cost"
    assert answer.message.startswith("Non servie : la commune a déjà 2 visites (maximum 2)")


def test_two_asked_one_inside_is_part_of_the_answer_not_served(instance):
    bus = instance.scenario.vehicles[0].name
    twice = replace(MARCH, days=2)
    one = (Stop(dt.date(2027, 3, 9), bus, MENETOU),)
    answer = request_service(twice, one, (Unserved("R-MARS", MENETOU, "should", "max_visits", "la commune a déjà 2 visites"),))
    assert not answer.served and answer.dates == (dt.date(2027, 3, 9),)
    assert answer.message == "Non servie : 1 arrêt sur 2 demandés dans ses périodes (09/03/2027) ; la commune a déjà 2 visites."
    served = request_service(MARCH, one)
    assert served.served and served.message == "Servie par 1 arrêt : 09/03/2027."
