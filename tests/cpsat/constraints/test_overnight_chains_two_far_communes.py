"""add_overnight_chains (with add_one_stop_per_vehicle_day, which it builds on) on the two far
communes of tests/search/test_plan_overnight_two_far_communes.py: F1 84 road km from the base
(~101 min each way: no day trip within 180 min) and F2 10 km beyond it; a bus that may sleep away,
working Tuesday 8 to Friday 11 September 2026. km_cost 0.5 makes every night worth its saving."""

from __future__ import annotations

from dataclasses import replace

from planner.cpsat.season_model import add_one_stop_per_vehicle_day, add_overnight_chains
from tests.conftest import TUE, WED, bus, commune, tiny_params
from tests.cpsat.constraints.tiny import A, optimum, stops_only

F1 = commune("18001", 47.0, 2.85)
F2 = commune("18002", 47.0, 2.95)


def model(nights: int, **scenario):
    sm = stops_only((F1, F2), params=tiny_params(objective={"km_cost": 0.5}),
                    vehicles=(replace(bus(max_drive_minutes=180), overnight_nights=nights),), **scenario)
    add_one_stop_per_vehicle_day(sm)
    add_overnight_chains(sm, None)
    return sm


def test_a_stop_too_far_for_a_day_trip_needs_a_night_after_it():
    # F1 on Tuesday: 2 x 101 min > 180, so the bus sleeps there and drives on to F2 on Wednesday
    # (12 min, then 113 min home: the day fits). With Wednesday closed there is no next day: no plan.
    sm = model(1)
    sm.model.Add(sm.x[0, TUE, 0] == 1)
    assert optimum(sm.model, sum(sm.chain.values()), maximise=False) == ("OPTIMAL", 1)
    sm = model(1, closed=(WED,))
    sm.model.Add(sm.x[0, TUE, 0] == 1)
    assert optimum(sm.model, sum(sm.chain.values()))[0] == "INFEASIBLE"


def test_one_night_in_a_row_at_most():
    # Binding: nights are possible after Tue, Wed and Thu (Friday's would leave the week); one
    # night away in a row leaves Tue and Thu: 2.
    sm = model(1)
    assert optimum(sm.model, sum(sm.chain.values())) == ("OPTIMAL", 2)


def test_three_nights_in_a_row_allow_every_night_of_the_week():
    # Not binding: three nights in a row allowed, the three nights Tue, Wed, Thu: 3.
    sm = model(3)
    assert optimum(sm.model, sum(sm.chain.values())) == ("OPTIMAL", 3)


def test_a_day_trip_needs_no_night():
    # Not binding: commune A, 1 km from the base, on Tuesday: no night is needed (fewest: 0).
    sm = stops_only((A, F1), params=tiny_params(objective={"km_cost": 0.5}),
                    vehicles=(replace(bus(max_drive_minutes=180), overnight_nights=1),))
    add_one_stop_per_vehicle_day(sm)
    add_overnight_chains(sm, None)
    sm.model.Add(sm.x[0, TUE, 0] == 1)
    assert optimum(sm.model, sum(sm.chain.values()), maximise=False) == ("OPTIMAL", 0)
