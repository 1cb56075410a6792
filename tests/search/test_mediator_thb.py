"""Mediator mode on real data: CC Terres du Haut Berry (EPCI 200066330, 30 communes, mairie hours
known for all 30 from the public-sector directory, data/mairies.csv), base at Saint-Martin-d'Auxigny
(its France Services), Monday to Friday."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.core.instance import build_instance
from planner.domain.params import Params
from planner.domain.problems import DataError
from planner.domain.scenario import Scenario
from planner.domain.season import build_season
from planner.domain.vehicle import mediator_vehicle
from planner.inputs.dataset import load_territory
from planner.search.mediator_solve import solve_mediator
from tests.search.test_mediator_invariants import assert_mediator_invariants

THB = "200066330"
# The old hand-collected file knew the hours of 6 of these communes (18003, 18004, 18005, 18016,
# 18019, 18145); the directory that replaced it gives them for every commune of the EPCI, so every
# half-day of the rotation is now checked against real opening hours.


def test_epci_territory_is_every_shipped_commune_of_the_epci():
    land = load_territory(f"epci:{THB}")
    assert land.name == "CC Terres du Haut Berry"
    assert len(land.communes) == 30
    assert {c.epci for c in land.communes} == {THB}
    assert "18223" in land  # Saint-Martin-d'Auxigny
    assert {h.insee for h in land.host_hours} == {c.insee for c in land.communes}
    assert [c.insee for c in load_territory(f"EPCI: {THB}").communes] == [c.insee for c in land.communes]


def test_unknown_epci_is_a_french_data_error():
    with pytest.raises(DataError, match="EPCI inconnu"):
        load_territory("epci:123456789")


def test_a_month_of_rotation_in_terres_du_haut_berry():
    land = load_territory(f"epci:{THB}")
    params = Params().with_changes("solver", time_limit_s=5.0, workers=1)
    mediator = mediator_vehicle("médiateur", land.commune("18223"), (1, 2, 3, 4, 5), params)
    season = build_season(dt.date(2026, 11, 2), dt.date(2026, 11, 27), (1, 2, 3, 4, 5))
    instance = build_instance(Scenario(land, season, (mediator,), params))
    plan = solve_mediator(instance)
    assert plan.solver.status == "OPTIMAL"
    assert_mediator_invariants(instance, plan)
    assert len(plan.template) == 10  # every half-day used: an idle one costs 500 points
    assert len({t.insee for t in plan.template}) == 10
    assert dt.date(2026, 11, 11) not in {s.date for s in plan.stops}
    assert len(plan.stops) == 10 * 4 - 2  # four weeks, Armistice (Wednesday) closed
    assert all(t.hours_known for t in plan.template)  # hours known for all 30 communes (see above)
