"""The planner corrects a commune's host once per scenario (``ScenarioSpec.hosts``, ``--hosts``), on
the Bourges basin: Menetou-Salon (18145), whose mairie the directory gives at 12 rue de la Mairie
(47.231998, 2.488400), open « lundi au vendredi (9h-12h ; 14h-16h) ; samedi (9h-12h) »."""

from __future__ import annotations

import pytest

from planner import ScenarioSpec, build_scenario
from planner.core.instance import build_instance
from planner.core.rules import hours_violation
from planner.domain.problems import DataError

MEDIATOR = dict(mode="mediator", start="2026-10-27", end="2026-11-06")  # Tuesday 27 October to Friday 6 November


def test_default_site_is_the_mairie_to_confirm_and_corrected_hours_replace_the_directory():
    scenario = build_scenario(ScenarioSpec(**MEDIATOR))
    site = scenario.territory.host_site("18145")
    assert site.label() == "Mairie, 12 rue de la Mairie, 18510 Menetou-Salon — à confirmer"
    assert (site.lat, site.lon) == (47.231998, 2.4884)
    instance = build_instance(scenario)
    s = scenario.territory.index["18145"]
    assert hours_violation(instance, 0, 3, 1, s) is None  # Wednesday morning: open 9h-12h
    corrected = build_scenario(ScenarioSpec(**MEDIATOR, hosts=({"insee_com": "18145", "hours": "mardi (14h-17h)"},)))
    instance = build_instance(corrected)
    assert "mardi (14h-17h)" in hours_violation(instance, 0, 3, 1, s)  # the planner's hours, not the directory's
    assert hours_violation(instance, 0, 2, 2, s) is None
    assert corrected.territory.host_site("18145") == site  # hours only: the site stays the mairie


def test_unknown_hours_lift_the_directory_s_and_a_site_replaces_the_mairie():
    hosts = ({"insee_com": "18145", "hours": "inconnus", "site": "Salle des fêtes",
              "address": "2 place de l'Église, 18510 Menetou-Salon", "lat": "47.2440", "lon": "2.4870"},)
    scenario = build_scenario(ScenarioSpec(**MEDIATOR, hosts=hosts))
    instance = build_instance(scenario)
    s = scenario.territory.index["18145"]
    assert not instance.host_hours[s].known
    assert all(hours_violation(instance, 0, w, k, s) is None for w in range(1, 6) for k in (1, 2))
    site = scenario.territory.host_site("18145")
    assert site.label() == "Salle des fêtes, 2 place de l'Église, 18510 Menetou-Salon"  # the planner's word
    assert scenario.territory.stop_points[s] == (47.244, 2.487)
    assert scenario.host_sites()["18145"] == (2.487, 47.244)  # maps draw the stop there (lon, lat)


def test_bad_host_rows_are_named_by_field_row_and_value():
    hosts = ({"insee_com": "18145", "hours": "mardi (14h-12h)"}, {"insee_com": "99999"},
             {"insee_com": "18033", "lat": "47.08"})
    with pytest.raises(DataError) as caught:
        build_scenario(ScenarioSpec(**MEDIATOR, hosts=hosts))
    found = {(p.row, p.column, p.value) for p in caught.value.problems}
    assert (1, "hosts.hours", "mardi (14h-12h)") in found
    assert (2, "hosts.insee_com", "99999") in found
    assert (3, "hosts.lon", "") in found
    message = next(p.message for p in caught.value.problems if p.column == "hosts.hours")
    assert "à l'envers" in message and "mardi (14h-18h)" in message
