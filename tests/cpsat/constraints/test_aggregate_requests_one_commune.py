"""add_requests alone (must and should) on the aggregate counts of commune A, a bus working
Tuesday 8 to Friday 11 September 2026, counts per weekday (0..1 each)."""

from __future__ import annotations

from planner.cpsat.aggregate_model import add_requests
from planner.domain.request import Request
from tests.conftest import TUE, WED
from tests.cpsat.constraints.tiny import A, counts_only, optimum


def request(days: int, priority: str, end=WED) -> Request:
    return Request("D1", A.insee, ((TUE, end),), days=days, priority=priority)


def test_a_must_request_needs_counts_on_its_weekdays():
    # Binding: 2 days asked on Tue-Wed: the fewest stops are the Tuesday and Wednesday counts: 2.
    am = counts_only((A,), dated=(0,))
    add_requests(am, (request(2, "must"),))
    assert optimum(am.model, sum(am.n.values()), maximise=False) == ("OPTIMAL", 2)


def test_a_must_request_beyond_its_weekdays_is_infeasible():
    # 2 days asked on Tuesday only: one Tuesday count of at most 1: no plan.
    am = counts_only((A,), dated=(0,))
    add_requests(am, (request(2, "must", end=TUE),))
    assert optimum(am.model, sum(am.n.values()), maximise=False)[0] == "INFEASIBLE"


def test_a_should_request_is_served_only_with_its_counts():
    # served x 10 minus the stops: 10 - 2 = 8; not binding without any request: no stop, 0.
    am = counts_only((A,), dated=(0,))
    add_requests(am, (request(2, "should"),))
    assert optimum(am.model, 10 * am.served["D1"] - sum(am.n.values())) == ("OPTIMAL", 8)
    am = counts_only((A,))
    add_requests(am, ())
    assert optimum(am.model, sum(am.n.values()), maximise=False) == ("OPTIMAL", 0)
