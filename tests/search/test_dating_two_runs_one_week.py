"""Dating the aggregate's counts when two runs want the same weekdays of the one week there is
(Tue 8 - Fri 11 Sept 2026): F1 -> F2 and F3 -> F4, all four too far for a day trip, each asked for
Tuesday then Wednesday. Only one run gets Tuesday-Wednesday; the other keeps its night on
Thursday-Friday, rather than being broken into day trips that are out of reach."""

from __future__ import annotations

from dataclasses import replace

from planner.core.evaluate import evaluate
from planner.core.instance import build_instance
from planner.search.dating import place_units
from tests.conftest import FRI, THU, TUE, WED, bus, commune, tiny_params, tiny_scenario

FAR = [commune("18001", 47.0, 2.85), commune("18002", 47.0, 2.95),
       commune("18003", 47.05, 2.85), commune("18004", 47.05, 2.95)]


def test_second_run_moves_to_thursday_and_friday():
    scenario = tiny_scenario(FAR, params=tiny_params(rules={"max_visits": 1}),
                             vehicles=[replace(bus(max_drive_minutes=180), overnight_nights=1)])
    instance = build_instance(scenario)
    assert not any(instance.day_trip(0, s) for s in range(4))
    counts = {(0, 0, 2): 1, (0, 1, 3): 1, (0, 2, 2): 1, (0, 3, 3): 1}
    nights = {(0, 0, 1, 2, 1): 1, (0, 2, 3, 2, 1): 1}
    stops = place_units(instance, counts, nights)
    assert not evaluate(instance, stops).violations
    assert [s.date for s in stops] == [TUE, WED, THU, FRI]
    assert [s.away_after for s in stops] == [True, False, True, False]
    assert {(stops[0].insee, stops[1].insee), (stops[2].insee, stops[3].insee)} == {("18001", "18002"), ("18003", "18004")}
