"""add_revisit_gap alone, on commune A and a bus working Tuesday 8 to Friday 11 September 2026."""

from __future__ import annotations

from planner.cpsat.season_model import add_revisit_gap
from tests.conftest import TUE, bus, tiny_params
from tests.cpsat.constraints.tiny import A, optimum, stops_only


def visits(min_gap_days: int, **scenario) -> tuple[str, int | None]:
    sm = stops_only((A,), params=tiny_params(rules={"min_gap_days": min_gap_days}), **scenario)
    add_revisit_gap(sm)
    return optimum(sm.model, sum(sm.x.values()))


def test_a_gap_of_two_days_leaves_two_of_four_days():
    # Binding: visits at least 2 days apart among Tue 8 .. Fri 11: Tue and Thu (or Wed and Fri): 2.
    assert visits(2) == ("OPTIMAL", 2)
    # A gap of 3 days: Tue and Fri: still 2; a gap of 4: one visit only.
    assert visits(3) == ("OPTIMAL", 2)
    assert visits(4) == ("OPTIMAL", 1)


def test_a_gap_of_one_day_keeps_every_day():
    # Not binding: one day apart is any two days: the four days.
    assert visits(1) == ("OPTIMAL", 4)


def test_a_gap_of_zero_still_forbids_two_buses_in_one_commune_on_one_day():
    # gap_days is at least 1: two buses on Tuesday in A are one visit too many: 1, not 2.
    assert visits(0, end=TUE, vehicles=(bus(name="b1"), bus(name="b2"))) == ("OPTIMAL", 1)
