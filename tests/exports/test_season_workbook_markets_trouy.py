"""The season workbook's first sheet lists the unconfirmed markets the plan relies on, on the
Bourges basin: Trouy (18267) has a Wednesday market from the public listing only (« à confirmer »),
Menetou-Salon (18145) a Saturday one, on which the bus does not work."""

from __future__ import annotations

import datetime as dt

from planner import ScenarioSpec, build_scenario
from planner.core.evaluate import evaluate
from planner.core.instance import build_instance
from planner.domain.plan import Plan
from planner.domain.stop import Stop
from planner.exports.season_workbook import season_workbook

WEDNESDAY, THURSDAY = dt.date(2026, 9, 9), dt.date(2026, 9, 10)


def _first_sheet(params: dict) -> list[str]:
    scenario = build_scenario(ScenarioSpec(start="2026-09-07", end="2026-09-25", params=params))
    instance = build_instance(scenario)
    evaluation = evaluate(instance, [Stop(WEDNESDAY, "bus", "18267"), Stop(THURSDAY, "bus", "18145")])
    plan = Plan(evaluation.stops, metrics=evaluation.metrics)
    ws = season_workbook(plan, instance).worksheets[0]
    return [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_unconfirmed_market_of_a_stop_is_listed_to_check():
    notes = _first_sheet({})
    assert any(n.startswith("Marchés à confirmer : 1 arrêt tombe un jour de marché") for n in notes)
    assert "□ Trouy, mercredi 8h-12h, centre-ville — à confirmer" in notes


def test_no_list_when_the_scenario_leaves_unconfirmed_markets_out():
    notes = _first_sheet({"rules": {"unconfirmed_markets": False}})
    assert not any(n.startswith("Marchés à confirmer") for n in notes)
