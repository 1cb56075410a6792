"""add_quotas alone, on commune A (EPCI E1) and B (EPCI E2) and a bus working Tuesday 8 to
Friday 11 September 2026: without other rules, 2 communes x 4 days = 8 stop variables."""

from __future__ import annotations

from planner.cpsat.season_model import add_quotas
from planner.domain.params import Quota
from tests.conftest import tiny_params
from tests.cpsat.constraints.tiny import A, B, optimum, stops_only


def model(*quotas: Quota):
    sm = stops_only((A, B), params=tiny_params(rules={"quotas": quotas}))
    add_quotas(sm)
    return sm


def test_a_maximum_caps_the_stop_days_of_its_epci():
    # Binding: E1 at most 1 stop day: 1 in A + 4 in B = 5 (of 8).
    sm = model(Quota("epci", "E1", 0, 1))
    assert optimum(sm.model, sum(sm.x.values())) == ("OPTIMAL", 5)


def test_a_minimum_forces_stop_days_in_its_epci():
    # Binding: E2 at least 3 stop days: the fewest stops are 3.
    sm = model(Quota("epci", "E2", 3, -1))
    assert optimum(sm.model, sum(sm.x.values()), maximise=False) == ("OPTIMAL", 3)


def test_a_quota_that_holds_anyway_changes_nothing():
    # Not binding: E1 between 0 and 4 days: all 8 stops; a département quota on another code: 8.
    sm = model(Quota("epci", "E1", 0, 4), Quota("dep", "36", 0, 0))
    assert optimum(sm.model, sum(sm.x.values())) == ("OPTIMAL", 8)
