"""The need model: which seniors lack access to digital help, and whom a stop would reach.

- access gap of commune c: 0 when a service point of the chosen kinds is in c or within
  ``gap_start_km`` road km, 1 beyond ``gap_full_km``, linear in between;
- need(c) = seniors(c) x gap(c) x (fragility(c) / 100) ** fragility_weight;
- audience[s, c]: share of c's seniors that a stop in s draws, 0.5 ** (km(s, c) / decay_half_km),
  and 0 beyond ``catchment_km``; audience[s, s] = 1.

A commune whose seniors no source gives has need 0 here and is listed in ``unknown_seniors``, so
that the gap is shown rather than filled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.core.distances import MatrixCache, TravelMatrix, coordinates, travel_matrix
from planner.domain.params import Params
from planner.domain.territory import Territory


@dataclass(frozen=True)
class NeedModel:
    """Per-commune arrays in the order of ``territory.communes``."""

    codes: tuple[str, ...]
    seniors: np.ndarray  # NaN where unknown
    nearest_km: np.ndarray  # road km to the nearest service point of the chosen kinds
    nearest_name: tuple[str, ...]
    access_gap: np.ndarray
    need: np.ndarray
    audience: np.ndarray  # [stop commune, home commune]
    travel: TravelMatrix  # commune x commune
    unknown_seniors: tuple[str, ...]

    def stop_values(self) -> np.ndarray:
        """Need-weighted audience of one stop in each commune: the optimizer's base value."""
        return self.audience @ self.need

    def seniors_reached(self) -> np.ndarray:
        """Seniors (any access) in the catchment of a stop in each commune, decay-weighted."""
        return self.audience @ np.nan_to_num(self.seniors)

    def far_seniors_reached(self, far_km: float) -> np.ndarray:
        """Of those, the seniors living more than ``far_km`` road km from any chosen service."""
        far = np.where(self.nearest_km > far_km, np.nan_to_num(self.seniors), 0.0)
        return self.audience @ far


def access_gap(nearest_km: np.ndarray, gap_start_km: float, gap_full_km: float) -> np.ndarray:
    return np.clip((nearest_km - gap_start_km) / (gap_full_km - gap_start_km), 0.0, 1.0)


def audience_weights(km: np.ndarray, decay_half_km: float, catchment_km: float) -> np.ndarray:
    weights = np.power(0.5, km / decay_half_km, dtype=np.float64)
    weights[km > catchment_km] = 0.0
    return weights


def build_need_model(territory: Territory, params: Params, cache: MatrixCache | None = None) -> NeedModel:
    communes = territory.communes
    need_params = params.need
    points = [p for p in territory.service_points if p.is_any(need_params.service_kinds)]
    places = coordinates(communes)
    travel = travel_matrix(places, places, params.travel, cache)
    if points:
        to_points = travel_matrix(places, coordinates(points), params.travel, cache)
        nearest_index = np.argmin(to_points.km, axis=1)
        nearest_km = to_points.km[np.arange(len(communes)), nearest_index].astype(np.float64)
        nearest_name = [points[i].name for i in nearest_index]
    else:
        nearest_km = np.full(len(communes), np.inf)
        nearest_name = [""] * len(communes)
    with_point = {p.insee for p in points}
    for i, commune in enumerate(communes):
        if commune.insee in with_point:
            nearest_km[i] = 0.0
            nearest_name[i] = next(p.name for p in points if p.insee == commune.insee)
    seniors = np.array([np.nan if c.seniors is None else c.seniors for c in communes], dtype=np.float64)
    gap = access_gap(nearest_km, need_params.gap_start_km, need_params.gap_full_km)
    factor = np.ones(len(communes))
    if need_params.fragility_weight:
        scores = np.array([np.nan if c.fragility is None else c.fragility for c in communes], dtype=np.float64)
        factor = np.nan_to_num(np.power(scores / 100.0, need_params.fragility_weight), nan=1.0)
    need = np.nan_to_num(seniors) * gap * factor
    audience = audience_weights(travel.km.astype(np.float64), need_params.decay_half_km, need_params.catchment_km)
    return NeedModel(
        codes=tuple(c.insee for c in communes),
        seniors=seniors,
        nearest_km=nearest_km,
        nearest_name=tuple(nearest_name),
        access_gap=gap,
        need=need,
        audience=audience,
        travel=travel,
        unknown_seniors=tuple(c.insee for c in communes if c.seniors is None),
    )
