"""add_one_stop_per_vehicle_day alone, on communes A and B and one working day (Tuesday 8
September 2026)."""

from __future__ import annotations

from planner.cpsat.season_model import add_one_stop_per_vehicle_day
from tests.conftest import TUE, bus
from tests.cpsat.constraints.tiny import A, B, best, stops_only, with_family


def test_one_bus_serves_one_of_two_communes():
    # Binding: without the family the bus would stop in A and B the same day (2); with it, one.
    assert best(stops_only((A, B), end=TUE)) == ("OPTIMAL", 2)
    assert best(with_family(stops_only((A, B), end=TUE), add_one_stop_per_vehicle_day)) == ("OPTIMAL", 1)


def test_two_buses_serve_both_communes():
    # Not binding: one stop per vehicle and day leaves each of two buses its commune (2).
    sm = stops_only((A, B), end=TUE, vehicles=(bus(name="b1"), bus(name="b2")))
    assert best(with_family(sm, add_one_stop_per_vehicle_day)) == ("OPTIMAL", 2)
