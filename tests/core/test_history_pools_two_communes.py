"""A past season feeds the next one, on communes A and B of tests/cpsat/constraints/tiny.py (100
seniors each, all of whom would come: take_up 1, pools of 100; a bus stop seats 24)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest

from planner.core.evaluate import evaluate
from planner.core.instance import build_instance
from planner.core.next_season import history_effect
from planner.core.participants import build_seating
from planner.domain.outcome import CANCELLED, HELD, SeasonHistory, StopOutcome
from planner.domain.problems import DataError
from planner.domain.spec import ScenarioSpec
from planner.domain.stop import Stop
from planner.exports.plan_report import format_history
from planner.inputs.scenario_build import build_scenario
from tests.conftest import THU, TUE, tiny_params, tiny_scenario
from tests.cpsat.constraints.tiny import A, B

LAST_YEAR = dt.date(2025, 10, 7)


def past(*outcomes: StopOutcome) -> SeasonHistory:
    return SeasonHistory("2025-2026", outcomes)


def test_without_history_nothing_changes():
    scenario = tiny_scenario([A, B])
    plain = build_instance(scenario).seating
    assert np.array_equal(plain.pool_q, [1000, 1000])  # 100 seniors x take_up 1, in tenths
    # A history of cancelled stops only brings nobody: the pools are those of no history.
    cancelled = build_instance(replace(scenario, history=past(StopOutcome(LAST_YEAR, "bus", A.insee, CANCELLED)))).seating
    assert np.array_equal(cancelled.pool_q, plain.pool_q) and np.array_equal(cancelled.cap_q, plain.cap_q)
    # The hook itself: no ``came``, the pools of the parameters.
    again = build_seating(np.array([100.0, 100.0]), np.eye(2), np.ones(2), 1.0, 1.0, 1000)
    assert np.array_equal(again.pool_q, plain.pool_q)


def test_those_who_came_leave_their_communes_pool():
    # Catchment 0.5 km: A's stop drew on A alone, so its 60 participants all leave A's pool:
    # 100 - 60 = 40. Two stops in A now seat 40, not 48; B keeps its 100.
    scenario = replace(tiny_scenario([A, B]), history=past(StopOutcome(LAST_YEAR, "bus", A.insee, HELD, participants=60)))
    instance = build_instance(scenario)
    assert np.array_equal(instance.seating.pool_q, [400, 1000])
    assert evaluate(instance, [Stop(TUE, "bus", A.insee), Stop(THU, "bus", A.insee)]).metrics.participants == 40
    assert evaluate(instance, [Stop(TUE, "bus", B.insee), Stop(THU, "bus", B.insee)]).metrics.participants == 48


def test_participants_are_spread_over_the_communes_the_stop_drew_on():
    # Catchment 5 km: A and B (1.112 x 1.3 = 1.45 road km apart) send each other 0.5 ** (1.45 / 5)
    # = 0.818 of their seniors. 30 came to A: A's share 100 / (100 + 81.8) = 55 %, 16.5 seniors,
    # B's 13.5: pools 83.5 and 86.5.
    params = tiny_params(need=dict(catchment_km=5.0))
    history = past(StopOutcome(LAST_YEAR, "bus", A.insee, HELD, participants=30))
    instance = build_instance(replace(tiny_scenario([A, B], params=params), history=history))
    attendance = instance.need.attendance[0, 1]
    assert attendance == pytest.approx(0.818, abs=0.001)
    share = 30 * attendance * 100 / (100 + attendance * 100)
    assert np.array_equal(instance.seating.pool_q, np.rint([10 * (100 - (30 - share)), 10 * (100 - share)]))
    assert instance.seating.pool_q.tolist() == [835, 865]


def test_full_workshops_with_a_waiting_list_are_marked_and_the_fill_shown_beside_the_expected():
    # A held twice last season: 24 of 24 places with 5 waiting, then 18; B once with 6 of 24.
    # Observed fill: A 42 / 48 = 87.5 %, B 25 %; expected (the model, without the history): A's
    # pool of 100 fills both stops, B's its one: 100 %. Pools after: A 100 - 42 = 58, B 94.
    history = past(StopOutcome(LAST_YEAR, "bus", A.insee, HELD, signups=24, waiting=5, participants=24),
                   StopOutcome(dt.date(2025, 11, 4), "bus", A.insee, HELD, participants=18),
                   StopOutcome(dt.date(2025, 11, 5), "bus", B.insee, HELD, participants=6))
    effect = history_effect(build_instance(replace(tiny_scenario([A, B]), history=history)))
    a, b = effect.communes
    assert (a.insee, a.participants, a.held, a.waiting, a.full_with_waiting) == (A.insee, 42, 2, 5, True)
    assert (a.observed_fill, a.expected_fill, a.pool_before, a.pool_after) == (0.875, 1.0, 100.0, 58.0)
    assert (b.participants, b.full_with_waiting, b.observed_fill, b.pool_after) == (6, False, 0.25, 94.0)
    text = format_history(effect)
    assert "Saison passée 2025-2026 : 48 participants dans 2 communes" in text
    assert (f"{A.name} : 42 participants en 2025-2026 : vivier réduit (100,0 → 58,0 seniors qui viendraient) ; "
            "remplissage observé 88 %, attendu 100 % ; complet avec liste d'attente (5)") in text
    assert history_effect(build_instance(tiny_scenario([A, B]))) is None


def test_a_spec_carries_its_past_season_and_names_its_bad_rows():
    rows = ({"date": "2025-10-07", "commune": "Trouy", "participants": "14"},
            {"date": "2025-10-08", "commune": "18033", "participants": "9"})
    scenario = build_scenario(ScenarioSpec(start="2026-09-01", end="2026-12-18", history=rows))
    assert scenario.history.label == "2025" and scenario.history.participants_by_commune() == {"18267": 14, "18033": 9}
    assert build_scenario(ScenarioSpec(start="2026-09-01", end="2026-12-18")).history is None
    with pytest.raises(DataError) as caught:
        build_scenario(ScenarioSpec(start="2026-09-01", end="2026-12-18",
                                    history=({"date": "2025-10-07", "commune": "Paris", "participants": "x"},)))
    found = [str(p) for p in caught.value.problems]
    assert any("history.commune" in p and "Paris" in p for p in found), found
    assert any("history.participants" in p and "nombre attendu" in p for p in found), found
