"""The parameter catalogue covers exactly the parameters of Params, reads its defaults from them,
and its ranges are the ones the TOML loader applies."""

from __future__ import annotations

from dataclasses import fields

import pytest

from planner.domain.parameters import CATALOGUE, SECTIONS, find, parameter, section
from planner.domain.params import Params
from planner.domain.problems import DataError


def test_catalogue_has_every_parameter_once_with_a_french_meaning():
    keys = [f"{s.name}.{f.name}" for s in fields(Params) for f in fields(getattr(Params(), s.name))]
    assert [p.key for p in CATALOGUE] == keys
    assert all(p.label and p.meaning for p in CATALOGUE)
    assert [s.key for s in SECTIONS] == [s.name for s in fields(Params)]


def test_defaults_come_from_the_dataclasses():
    assert parameter("rules.min_gap_days").default == 21 == Params().rules.min_gap_days
    assert parameter("need.service_kinds").default == Params().need.service_kinds


def test_labels_units_and_ranges_are_read_per_key():
    p = parameter("vehicle.max_drive_minutes")
    assert (p.label, p.unit, p.minimum, p.maximum) == ("Conduite maximale par jour", "minutes", 30.0, 720.0)
    assert p.titled_label == "Conduite maximale par jour (minutes)"
    assert p.range_text() == "entre 30 et 720"
    assert parameter("solver.time_limit_s").range_text() == "plus de 0 et au plus 604800"
    assert parameter("travel.osrm_url").range_text() == "" and parameter("travel.osrm_url").read_only
    assert find("rules.nothing") is None
    with pytest.raises(KeyError):
        parameter("rules.nothing")
    assert section("rules").name == "règles" and section("inconnue").title == "inconnue"


def test_loader_applies_the_catalogue_range_at_its_bounds():
    # 720 minutes is the maximum (kept); 721 is outside; 0 s of solve time is excluded (more than 0).
    assert Params.from_dict({"vehicle": {"max_drive_minutes": 720}}).vehicle.max_drive_minutes == 720.0
    with pytest.raises(DataError) as info:
        Params.from_dict({"vehicle": {"max_drive_minutes": 721}, "solver": {"time_limit_s": 0}}, "p.toml")
    found = [str(p) for p in info.value.problems]
    assert "p.toml:vehicle.max_drive_minutes: « 721 » doit être entre 30 et 720" in found
    assert "p.toml:solver.time_limit_s: « 0 » doit être plus de 0 et au plus 604800" in found
