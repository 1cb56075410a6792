"""A stop without a geocoded site nor a known mairie is named by its commune, its postcode and its
département, on the Bourges basin with its mairies left out (with them, the mairie is the site:
tests/exports/test_host_site_bourges_mairie.py): Menetou-Salon has one postcode (18510) in La
Poste's base; Saint-Hilaire-de-Gondilly has two (18320 and 18350), so none is printed rather than
a guess."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from planner import ScenarioSpec, Stop, build_scenario
from planner.exports.places import place_of
from planner.inputs.dataset import shipped_postcodes


def test_commune_with_one_postcode_prints_it_and_one_with_several_prints_none():
    scenario = build_scenario(ScenarioSpec())
    scenario = replace(scenario, territory=replace(scenario.territory, mairies=()))  # no directory entry
    day = dt.date(2026, 9, 8)
    menetou = place_of(Stop(day, "bus", "18145", "Menetou-Salon"), scenario)
    assert menetou.label == "18510 Menetou-Salon, Cher" and not menetou.geocoded
    assert len(shipped_postcodes()["18215"]) > 1
    saint_hilaire = place_of(Stop(day, "bus", "18215", "Saint-Hilaire-de-Gondilly"), scenario)
    assert saint_hilaire.label == "Saint-Hilaire-de-Gondilly, Cher"
