"""add_weekday_capacity alone, on communes A and B and a bus working Tuesday 8 to Friday 11
September 2026 (one date of each weekday), gap 1 day and 4 visits at most: each count n[bus, s, w]
is 0..1 per weekday, or 0..4 for a weekday-indifferent (pooled) commune."""

from __future__ import annotations

from planner.cpsat.aggregate_model import ANY_WEEKDAY, add_weekday_capacity
from tests.conftest import bus, tiny_params
from tests.cpsat.constraints.tiny import A, B, best, counts_only, with_family

PARAMS = tiny_params(rules={"min_gap_days": 1, "max_visits": 4})


def test_one_stop_a_weekday_for_two_communes():
    # Binding: counts per weekday, 2 communes x 4 weekdays = 8 without; each weekday holds one
    # working day: 4.
    assert best(counts_only((A, B), params=PARAMS)) == ("OPTIMAL", 8)
    assert best(with_family(counts_only((A, B), params=PARAMS), add_weekday_capacity)) == ("OPTIMAL", 4)


def test_pooled_counts_share_the_working_days():
    # Binding on the total: a bus working Tuesdays only (one working day), one visit at most:
    # A and B are indifferent to the weekday, one count 0..1 each (2 without); one day: 1.
    one_visit = tiny_params(rules={"min_gap_days": 1, "max_visits": 1})
    am = counts_only((A, B), params=one_visit, pool_weekdays=True, vehicles=(bus(weekdays=(2,)),))
    assert set(am.n) == {(0, 0, ANY_WEEKDAY), (0, 1, ANY_WEEKDAY)}
    add_weekday_capacity(am)
    assert best(am) == ("OPTIMAL", 1)


def test_one_commune_fits_every_weekday():
    # Not binding: A alone, one stop each weekday: 4.
    am = counts_only((A,), params=PARAMS)
    add_weekday_capacity(am)
    assert best(am) == ("OPTIMAL", 4)
