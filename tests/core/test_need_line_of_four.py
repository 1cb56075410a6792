"""Need model on a line of four communes east of an EPN, each ~7.6 km (geodesic) from the next.

Road km = 1.3 x geodesic, so the communes sit at ~0, 9.9, 19.8 and 29.7 road km from the EPN in
commune A. With gap_start_km = 3 and gap_full_km = 15: gaps 0, (9.9 - 3) / 12 = 0.58, 1, 1.
"""

from __future__ import annotations

import numpy as np
import pytest

from planner.core.distances import MatrixCache
from planner.core.need import audience_weights, build_need_model
from planner.domain.params import NeedParams, Params
from tests.conftest import commune, service_point, territory

LAT = 47.0
STEP = 0.1  # degrees of longitude: 7.6 km at 47 N


def line_of_four(seniors=(100.0, 100.0, 100.0, 100.0), **need):
    communes = [commune(f"1800{i}", LAT, 2.0 + STEP * i, s) for i, s in enumerate(seniors)]
    points = [service_point("18000", LAT, 2.0, "epn")]
    params = Params(need=NeedParams(**need)) if need else Params()
    return build_need_model(territory(communes, points), params, MatrixCache()), params


def test_need_grows_with_distance_to_services():
    model, _ = line_of_four()
    assert model.nearest_km[0] == 0 and model.access_gap[0] == 0
    assert model.nearest_km[1] == pytest.approx(1.3 * 7.6, rel=0.01)
    assert list(model.need) == sorted(model.need)
    assert model.need[1] == pytest.approx(100 * (model.nearest_km[1] - 3) / 12)
    assert model.access_gap[1] == pytest.approx(0.58, abs=0.01)
    assert model.need[2] == model.need[3] == 100  # saturated beyond 15 km


def test_a_point_in_the_commune_means_no_gap_even_if_far_from_its_centre():
    communes = [commune("18001", LAT, 2.0), commune("18002", LAT, 2.3)]
    # The EPN of 18002 sits 10 km from its centre, yet it is in the commune: gap 0.
    points = [service_point("18002", LAT, 2.17)]
    model = build_need_model(territory(communes, points), Params(), MatrixCache())
    assert model.access_gap[1] == 0 and model.access_gap[0] > 0


def test_only_the_chosen_kinds_count():
    communes = [commune("18001", LAT, 2.0), commune("18002", LAT, 2.3)]
    points = [service_point("18001", LAT, 2.0, "mediatheque")]
    default = build_need_model(territory(communes, points), Params(), MatrixCache())
    assert np.all(np.isinf(default.nearest_km)) and np.all(default.access_gap == 1)
    with_libraries = Params(need=NeedParams(service_kinds=("mediatheque",)))
    model = build_need_model(territory(communes, points), with_libraries, MatrixCache())
    assert model.access_gap[0] == 0


def test_audience_halves_every_half_distance_and_stops_at_the_catchment():
    km = np.array([0.0, 5.0, 10.0, 19.9, 20.1])
    assert list(audience_weights(km, 5.0, 20.0)) == pytest.approx([1, 0.5, 0.25, 0.5 ** (19.9 / 5), 0])


def test_stop_value_counts_only_the_access_it_adds_to_neighbours():
    model, _ = line_of_four()
    values = model.stop_values()
    step = model.travel.km[2, 1]  # ~9.9 road km between neighbours
    # C (index 2) is as far from B as B's own EPN-less gap: B's help is in A, one step away, and C
    # is one step away too, so a stop in C adds nothing for B. D's help is three steps (29.7 km,
    # gap 1) away; after a stop in C it is one step away, gap (9.9 - 3) / 12 = 0.575, so the stop
    # closes 0.425 of D's gap for the 0.5 ** (9.9 / 5) ~ 0.254 of D's seniors who come.
    assert model.audience[2, 1] == 0
    closed = 1 - (step - 3) / 12
    assert model.audience[2, 3] == pytest.approx(0.5 ** (step / 5) * closed, rel=1e-5)
    assert model.attendance[2, 3] == pytest.approx(0.5 ** (step / 5), rel=1e-5)
    assert values[2] == pytest.approx(model.need[2] + model.audience[2, 3] * model.need[3])
    # A stop in A, beside the EPN, adds nothing for anyone.
    assert values[0] == 0


def test_fragility_factor_is_optional():
    communes = [commune("18001", LAT, 2.5), commune("18002", LAT, 2.6)]
    from dataclasses import replace

    communes = [replace(communes[0], fragility=150.0), replace(communes[1], fragility=None)]
    plain = build_need_model(territory(communes), Params(), MatrixCache())
    weighted = build_need_model(territory(communes), Params(need=NeedParams(fragility_weight=1.0)), MatrixCache())
    assert weighted.need[0] == pytest.approx(1.5 * plain.need[0])
    assert weighted.need[1] == plain.need[1]  # unknown score: neutral, and listed as missing in reports


def test_unknown_seniors_stay_unknown():
    model, _ = line_of_four(seniors=(100.0, None, 100.0, 100.0))
    assert np.isnan(model.seniors[1]) and model.need[1] == 0
    assert model.unknown_seniors == ("18001",)
