"""add_pins of the aggregate model alone, on communes A and B and a bus working Tuesday 8 to
Friday 11 September 2026; counts per weekday, 0..1 each."""

from __future__ import annotations

from planner.cpsat.aggregate_model import add_pins
from planner.domain.scenario import Pin
from tests.conftest import WED
from tests.cpsat.constraints.tiny import A, B, best, counts_only


def test_a_pin_needs_a_count_on_its_weekday():
    # Binding: A pinned on Wednesday: the fewest stops are 1, and not without the Wednesday count.
    am = counts_only((A, B), dated=(0,), pins=(Pin(WED, A.insee),))
    add_pins(am)
    assert best(am, maximise=False) == ("OPTIMAL", 1)
    am.model.Add(am.n[0, 0, WED.isoweekday()] == 0)
    assert best(am, maximise=False)[0] == "INFEASIBLE"


def test_without_pins_nothing_is_forced():
    # Not binding: no pin, no stop needed.
    am = counts_only((A, B))
    add_pins(am)
    assert best(am, maximise=False) == ("OPTIMAL", 0)
