"""Parameters load from TOML; an unknown key or a wrong type is an error that names it."""

from __future__ import annotations

import pytest

from planner.domain.params import Params
from planner.domain.problems import DataError


def test_toml_overrides_defaults(write):
    path = write("p.toml", '[travel]\ncircuity = 1.4\n[need]\ngap_full_km = 20\nservice_kinds = ["epn"]\n')
    params = Params.from_toml(path)
    assert params.travel.circuity == 1.4 and params.travel.speed_kmh == Params().travel.speed_kmh
    assert params.need.gap_full_km == 20.0 and params.need.service_kinds == ("epn",)


def test_toml_errors_name_the_key(write):
    path = write("p.toml", '[travel]\ncircuity = "beaucoup"\nvitesse = 3\n[need]\nservice_kinds = ["bar"]\n[autre]\n')
    with pytest.raises(DataError) as info:
        Params.from_toml(path)
    found = [str(p) for p in info.value.problems]
    assert "p.toml:travel.circuity: « 'beaucoup' » type attendu : nombre" in found
    assert any(f.startswith("p.toml:travel.vitesse: paramètre inconnu") for f in found)
    assert any(f.startswith("p.toml:need.service_kinds: « bar » type inconnu") for f in found)
    assert any(f.startswith("p.toml:autre: section inconnue") for f in found)


def test_broken_toml_is_reported(write):
    with pytest.raises(DataError, match="TOML invalide"):
        Params.from_toml(write("p.toml", "[travel\n"))


def test_params_round_trip_through_a_dict():
    params = Params().with_changes("need", gap_full_km=12.0)
    assert Params.from_dict(params.to_dict()) == params
