"""add_pins alone, on communes A and B and a bus working Tuesday 8 to Friday 11 September 2026
(Thursday 10 closed by hand)."""

from __future__ import annotations

from planner.cpsat.season_model import add_pins
from planner.domain.scenario import Pin
from tests.conftest import THU, WED, bus
from tests.cpsat.constraints.tiny import A, B, optimum, stops_only


def test_a_pin_makes_its_stop():
    # Binding: minimising the stops, the pin of A on Wednesday still makes one: 1; without
    # that very stop, no plan.
    sm = stops_only((A, B), pins=(Pin(WED, A.insee),), closed=(THU,))
    add_pins(sm)
    assert optimum(sm.model, sum(sm.x.values()), maximise=False) == ("OPTIMAL", 1)
    sm.model.Add(sm.x[0, WED, 0] == 0)
    assert optimum(sm.model, sum(sm.x.values()), maximise=False)[0] == "INFEASIBLE"


def test_a_pin_names_its_vehicle():
    # Two buses; the pin names b2: the stop by b1 does not keep it.
    sm = stops_only((A,), pins=(Pin(WED, A.insee, "b2"),), vehicles=(bus(name="b1"), bus(name="b2")))
    add_pins(sm)
    sm.model.Add(sm.x[1, WED, 0] == 0)
    assert optimum(sm.model, sum(sm.x.values()), maximise=False)[0] == "INFEASIBLE"


def test_a_pin_on_a_closed_day_has_no_stop_to_keep():
    # Thursday is closed: no variable x[bus, Thu, A], the pin's sum of no option cannot be 1.
    sm = stops_only((A,), pins=(Pin(THU, A.insee),), closed=(THU,))
    add_pins(sm)
    assert optimum(sm.model, sum(sm.x.values()))[0] == "INFEASIBLE"


def test_without_pins_nothing_is_forced():
    # Not binding: no pin, the fewest stops are none.
    sm = stops_only((A, B))
    add_pins(sm)
    assert optimum(sm.model, sum(sm.x.values()), maximise=False) == ("OPTIMAL", 0)
