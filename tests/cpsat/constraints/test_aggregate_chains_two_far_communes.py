"""add_chains and add_no_return of the aggregate model, alone, on the two far communes of
tests/search/test_plan_overnight_two_far_communes.py: F1 84 road km from the base (no day trip
within 180 min), F2 10 km beyond it; a bus that may sleep away working Tuesday 8 to Friday 11
September 2026; counts per weekday, 0..1 each; km_cost 0.5 makes every night worth its saving."""

from __future__ import annotations

from dataclasses import replace

from planner.cpsat.aggregate_model import add_chains, add_no_return, add_weekday_capacity
from tests.conftest import TUE, WED, bus, tiny_params
from tests.cpsat.constraints.test_overnight_chains_two_far_communes import F1, F2
from tests.cpsat.constraints.tiny import A, counts_only, optimum


def model(nights: int, communes=(F1, F2), weekdays=(2, 3, 4, 5), gap: int = 2, **scenario):
    am = counts_only(communes, params=tiny_params(objective={"km_cost": 0.5}, rules={"min_gap_days": gap}),
                     vehicles=(replace(bus(max_drive_minutes=180, weekdays=weekdays), overnight_nights=nights),),
                     **scenario)
    add_chains(am, set(range(len(communes))))
    return am


def test_a_far_stop_needs_a_night():
    # F1 on Tuesday needs a night after it (on to F2 on Wednesday): fewest nights 1; with
    # Wednesday closed no night follows Tuesday: no plan.
    am = model(1)
    am.model.Add(am.n[0, 0, TUE.isoweekday()] == 1)
    assert optimum(am.model, sum(am.night.values()), maximise=False) == ("OPTIMAL", 1)
    am = model(1, closed=(WED,))
    am.model.Add(am.n[0, 0, TUE.isoweekday()] == 1)
    assert optimum(am.model, sum(am.night.values()))[0] == "INFEASIBLE"


def test_nights_in_a_row_are_capped():
    # Binding: one night in a row over Tue-Fri leaves the nights after Tue and Thu: 2; three in
    # a row allow the three: 3 (not binding).
    am = model(1)
    assert optimum(am.model, sum(am.night.values())) == ("OPTIMAL", 2)
    am = model(3)
    assert optimum(am.model, sum(am.night.values())) == ("OPTIMAL", 3)


def test_a_day_trip_needs_no_night():
    # Not binding: A, 1 km from the base, on Tuesday needs no night: fewest 0.
    am = model(1, communes=(A, F1))
    am.model.Add(am.n[0, 0, TUE.isoweekday()] == 1)
    assert optimum(am.model, sum(am.night.values()), maximise=False) == ("OPTIMAL", 0)


def test_no_return_to_the_commune_left_the_day_before():
    # Tue-Thu, two nights in a row, gap 3 days, one stop a weekday (add_weekday_capacity, else
    # F1 and F2 on Wednesday make two runs of one night). Counts allow F1 (Tue) -> F2 (Wed) -> F1
    # (Thu): 2 nights; F1 twice two days apart breaks the gap, and F2 -> F2 is no night (gap > 1),
    # so with add_no_return one night only: 1. With a gap of 2 days the family adds nothing: 2.
    def nights(gap: int, no_return: bool) -> tuple[str, int | None]:
        am = model(2, weekdays=(2, 3, 4), gap=gap)
        add_weekday_capacity(am)
        if no_return:
            add_no_return(am)
        return optimum(am.model, sum(am.night.values()))

    assert nights(3, no_return=False) == ("OPTIMAL", 2)
    assert nights(3, no_return=True) == ("OPTIMAL", 1)
    assert nights(2, no_return=True) == ("OPTIMAL", 2)
