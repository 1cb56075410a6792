"""A mairie position that cannot be in its commune is not used, on the shipped directory: Blet's
(18031, 30 km², so within sqrt(30 / pi) + 2 = 5 km of its centre) is given at 47.0635, 2.4238, near
Bourges, 31 km from Blet; Menetou-Salon's lies 1.3 km from its centre and is kept."""

from __future__ import annotations

from planner import ScenarioSpec, build_scenario
from planner.inputs.dataset import shipped_mairies


def test_a_far_position_is_dropped_with_its_reason_and_travel_keeps_the_centre():
    mairies = {m.insee: m for m in shipped_mairies()}
    blet = mairies["18031"]
    assert blet.lat is None and blet.lon is None
    assert blet.geo_note.startswith("position de l'annuaire à 31 km du centre de la commune")
    assert blet.address  # the address stays: the stop is still at the mairie, to be confirmed
    assert mairies["18145"].lat == 47.231998 and not mairies["18145"].geo_note
    territory = build_scenario(ScenarioSpec()).territory
    commune = territory.commune("18031")
    assert territory.stop_points[territory.index["18031"]] == (commune.lat, commune.lon)
    assert territory.host_site("18031").label().startswith("Mairie, ")
