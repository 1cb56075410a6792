"""add_max_visits alone, on commune A and a bus working Tuesday 8 to Friday 11 September 2026
(four days: without the family, four stops)."""

from __future__ import annotations

from planner.cpsat.season_model import add_max_visits
from tests.conftest import tiny_params
from tests.cpsat.constraints.tiny import A, optimum, stops_only


def visits(max_visits: int) -> tuple[str, int | None]:
    sm = stops_only((A,), params=tiny_params(rules={"max_visits": max_visits}))
    add_max_visits(sm)
    status, value = optimum(sm.model, sum(sm.x.values()))
    return status, value


def test_two_visits_at_most():
    # Binding: max_visits 2 of four possible stops: 2.
    assert visits(2) == ("OPTIMAL", 2)


def test_four_visits_allowed_on_four_days():
    # Not binding: max_visits 4, four days: 4 (the count variable's domain is then 0..4).
    assert visits(4) == ("OPTIMAL", 4)
