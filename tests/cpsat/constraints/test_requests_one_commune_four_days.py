"""add_must_requests and add_should_requests alone, on commune A and a bus working Tuesday 8 to
Friday 11 September 2026; the requests ask for stops in A on Tuesday 8 - Wednesday 9."""

from __future__ import annotations

from planner.cpsat.season_model import add_must_requests, add_should_requests
from planner.domain.request import Request
from tests.conftest import FRI, TUE, WED
from tests.cpsat.constraints.tiny import A, optimum, stops_only


def request(days: int, priority: str, start=TUE, end=WED) -> Request:
    return Request("D1", A.insee, ((start, end),), days=days, priority=priority)


def test_a_must_request_forces_its_stops_inside_its_window():
    # Binding: the fewest stops that keep "2 days in Tue-Wed" are those two days: 2, on Tue and Wed.
    sm = stops_only((A,))
    add_must_requests(sm, [request(2, "must")])
    assert optimum(sm.model, sum(sm.x.values()), maximise=False) == ("OPTIMAL", 2)


def test_a_must_request_longer_than_its_window_is_infeasible():
    # Three days asked in a two-day window: no plan.
    sm = stops_only((A,))
    add_must_requests(sm, [request(3, "must")])
    assert optimum(sm.model, sum(sm.x.values()), maximise=False)[0] == "INFEASIBLE"


def test_without_a_request_no_stop_is_needed():
    # Not binding: no must request, the fewest stops are none.
    sm = stops_only((A,))
    add_must_requests(sm, [])
    assert optimum(sm.model, sum(sm.x.values()), maximise=False) == ("OPTIMAL", 0)


def test_a_should_request_counts_as_served_only_with_its_days():
    # Maximise served x 10 minus the stops: serving costs 2 stops and earns 10: 8. With the
    # window's stops forbidden (x fixed to 0), served cannot be 1: 0.
    sm = stops_only((A,))
    add_should_requests(sm, [request(2, "should")])
    assert optimum(sm.model, 10 * sm.served["D1"] - sum(sm.x.values())) == ("OPTIMAL", 8)
    sm = stops_only((A,))
    add_should_requests(sm, [request(2, "should")])
    for (_v, day, _s), var in sm.x.items():
        if day <= WED:
            sm.model.Add(var == 0)
    assert optimum(sm.model, sm.served["D1"]) == ("OPTIMAL", 0)


def test_a_should_request_outside_the_season_is_never_served():
    # Its window holds no working day: no stop variable, served fixed to 0.
    sm = stops_only((A,))
    add_should_requests(sm, [request(1, "should", FRI.replace(month=10), FRI.replace(month=10))])
    assert optimum(sm.model, sm.served["D1"]) == ("OPTIMAL", 0)
