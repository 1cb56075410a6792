"""add_quotas alone, of the season model and of the aggregate model, on commune A (EPCI E1) and
B (EPCI E2) and a bus working Tuesday 8 to Friday 11 September 2026: without other rules,
2 communes x 4 days = 8 stops (stop variables, or counts per weekday of 0..1 each)."""

from __future__ import annotations

import pytest

from planner.cpsat import aggregate_model, season_model
from planner.domain.params import Quota
from tests.conftest import tiny_params
from tests.cpsat.constraints.tiny import A, B, best, counts_only, stops_only

MODELS = {"season": (stops_only, season_model.add_quotas), "aggregate": (counts_only, aggregate_model.add_quotas)}


def model(kind: str, *quotas: Quota):
    build, add_quotas = MODELS[kind]
    m = build((A, B), params=tiny_params(rules={"quotas": quotas}))
    add_quotas(m)
    return m


@pytest.mark.parametrize("kind", MODELS)
def test_a_maximum_caps_the_stop_days_of_its_epci(kind):
    # Binding: E1 at most 1 stop day: 1 in A + 4 in B = 5 (of 8).
    assert best(model(kind, Quota("epci", "E1", 0, 1))) == ("OPTIMAL", 5)


@pytest.mark.parametrize("kind", MODELS)
def test_a_minimum_forces_stop_days_in_its_epci(kind):
    # Binding: E2 at least 3 stop days: the fewest stops are 3.
    assert best(model(kind, Quota("epci", "E2", 3, -1)), maximise=False) == ("OPTIMAL", 3)


@pytest.mark.parametrize("kind", MODELS)
def test_a_quota_that_holds_anyway_changes_nothing(kind):
    # Not binding: E1 between 0 and 4 days, a département quota on another code: all 8 stops.
    assert best(model(kind, Quota("epci", "E1", 0, 4), Quota("dep", "36", 0, 0))) == ("OPTIMAL", 8)
