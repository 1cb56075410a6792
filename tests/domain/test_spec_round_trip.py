"""ScenarioSpec as JSON and back: a spec with every kind of field survives, a wrong one is named."""

from __future__ import annotations

import json

import pytest

from planner.domain.problems import DataError
from planner.domain.spec import ScenarioSpec, VehicleSpec

FULL = ScenarioSpec(
    territory="epci:200066330", territory_rows=({"insee_com": "18033"},), name="Saison 2026-2027", start="2026-09-07",
    end="2027-06-25", mode="bus", vehicles=(VehicleSpec("bus", base="18033", weekdays="tue-fri", max_drive_minutes=150.0),
                                            VehicleSpec("med", kind="mediator", base="47.1,2.4", overnight_nights=0)),
    closed=("2026-12-24",), school_zone="B", pins=({"date": "2026-10-06", "insee": "18160"},),
    forbids=({"insee": "18033", "date": ""},), requests=({"insee_com": "18160", "start": "2026-10-01", "end": "2026-10-31"},),
    markets=({"insee_com": "18033", "weekday": "samedi"},), service_points=(), ages=(),
    params={"solver": {"time_limit_s": 5, "seed": 3}, "rules": {"quotas": [{"kind": "dep", "code": "18", "min_days": 2}]}},
)


def test_full_spec_round_trips_through_json():
    text = json.dumps(FULL.to_dict())
    assert ScenarioSpec.from_dict(json.loads(text)) == FULL


def test_default_spec_is_the_empty_dict_of_defaults():
    assert ScenarioSpec.from_dict({}) == ScenarioSpec()
    assert ScenarioSpec().to_dict()["vehicles"] == []


def test_unknown_and_ill_typed_fields_are_all_named():
    with pytest.raises(DataError) as caught:
        ScenarioSpec.from_dict({"start": 20260907, "colour": "blue", "closed": ["2026-12-24", 5],
                                "vehicles": [{"kind": "bus"}, {"name": "b2", "max_drive_minutes": "long"}]})
    found = [str(p) for p in caught.value.problems]
    assert found == [
        "scénario:start: « 20260907 » type attendu : texte",
        "scénario:colour: champ inconnu (attendu : territory, territory_rows, name, start, end, mode, vehicles, closed, "
        "school_zone, pins, forbids, requests, markets, service_points, ages, hosts, history, params, team_contact)",
        "scénario:closed: « ['2026-12-24', 5] » type attendu : liste",
        "scénario:1:vehicles.name: valeur obligatoire manquante",
        "scénario:2:vehicles.max_drive_minutes: « 'long' » type attendu : nombre ou null",
    ]
