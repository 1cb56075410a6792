"""add_commune_visits alone, on commune A and a bus working Tuesday 8 to Friday 11 September
2026: counts per weekday, 0..1 each, so 4 without the family."""

from __future__ import annotations

from planner.cpsat.aggregate_model import add_commune_visits
from tests.conftest import tiny_params
from tests.cpsat.constraints.tiny import A, counts_only, optimum


def visits(**rules) -> tuple[str, int | None]:
    am = counts_only((A,), params=tiny_params(rules=rules))
    add_commune_visits(am)
    return optimum(am.model, am.visits[0])


def test_max_visits_caps_the_total():
    # Binding: max_visits 2, gap 1: 2.
    assert visits(max_visits=2, min_gap_days=1) == ("OPTIMAL", 2)


def test_the_revisit_gap_caps_the_total():
    # Binding: gap 3 days among Tue 8 .. Fri 11: Tue and Fri only: 2 (max_visits 4).
    assert visits(max_visits=4, min_gap_days=3) == ("OPTIMAL", 2)


def test_four_visits_fit_four_days():
    # Not binding: max_visits 4, gap 1: the four days.
    assert visits(max_visits=4, min_gap_days=1) == ("OPTIMAL", 4)
