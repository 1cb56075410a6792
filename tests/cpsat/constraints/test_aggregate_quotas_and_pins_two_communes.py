"""add_quotas and add_pins of the aggregate model, each alone, on communes A (EPCI E1) and B
(EPCI E2) and a bus working Tuesday 8 to Friday 11 September 2026; counts per weekday, 0..1 each
(2 communes x 4 weekdays = 8 without the family)."""

from __future__ import annotations

from planner.cpsat.aggregate_model import add_pins, add_quotas
from planner.domain.params import Quota
from planner.domain.scenario import Pin
from tests.conftest import WED, tiny_params
from tests.cpsat.constraints.tiny import A, B, counts_only, optimum


def with_quotas(*quotas: Quota):
    am = counts_only((A, B), params=tiny_params(rules={"quotas": quotas}))
    add_quotas(am)
    return am


def test_a_quota_maximum_and_minimum():
    # Binding: E1 at most 1: 1 + 4 = 5; E2 at least 3: the fewest stops are 3.
    am = with_quotas(Quota("epci", "E1", 0, 1))
    assert optimum(am.model, sum(am.n.values())) == ("OPTIMAL", 5)
    am = with_quotas(Quota("epci", "E2", 3, -1))
    assert optimum(am.model, sum(am.n.values()), maximise=False) == ("OPTIMAL", 3)


def test_a_quota_that_holds_anyway():
    # Not binding: E1 at most 4 of its 4 counts: 8.
    am = with_quotas(Quota("epci", "E1", 0, 4))
    assert optimum(am.model, sum(am.n.values())) == ("OPTIMAL", 8)


def test_a_pin_needs_a_count_on_its_weekday():
    # Binding: A pinned on Wednesday: the fewest stops are 1, and not without the Wednesday count.
    am = counts_only((A, B), dated=(0,), pins=(Pin(WED, A.insee),))
    add_pins(am)
    assert optimum(am.model, sum(am.n.values()), maximise=False) == ("OPTIMAL", 1)
    am.model.Add(am.n[0, 0, WED.isoweekday()] == 0)
    assert optimum(am.model, sum(am.n.values()), maximise=False)[0] == "INFEASIBLE"
    # Not binding: no pin, no stop needed.
    am = counts_only((A, B))
    add_pins(am)
    assert optimum(am.model, sum(am.n.values()), maximise=False) == ("OPTIMAL", 0)
