"""The need model: which seniors lack access to digital help, and whom a stop would reach.

- access gap of commune c: 0 when a service point of the chosen kinds is in c or within
  ``gap_start_km`` road km, 1 beyond ``gap_full_km``, linear in between;
- need(c) = seniors(c) x gap(c) x (fragility(c) / 100) ** fragility_weight;
- attendance[s, c]: share of c's seniors that come to a stop in s, 0.5 ** (km(s, c) / decay_half_km),
  and 0 beyond ``catchment_km``; attendance[s, s] = 1; km(s, c) runs between the communes' host
  points (where stops take place: the mairie by default), the distance to help from the centre;
- audience[s, c]: the share of c's need that a stop in s removes, a stop being worth only the access
  it adds. The seniors of c who come to s now have help at km(s, c) instead of nearest_km(c), so
  their gap falls from gap(c) to gap(km(s, c)):

      audience[s, c] = attendance[s, c] x max(0, gap(c) - gap(km(s, c))) / gap(c)

  and need(c) x audience[s, c] = seniors(c) x attendance x (gap closed). A stop no nearer to c than
  c's own nearest place of help adds nothing for c; a stop in c itself removes all of c's gap
  (audience[c, c] = 1 when gap(c) > 0). Why this form: it keeps the product's definition of need
  (seniors x gap) and measures a stop by how much of that need it closes, linearly in the same
  gap scale, so that the optimizer, its LP bound and the evaluator keep one objective: the
  concave coverage of Instance applied to these weights. A stop beside a service then only adds
  the few km it saves the communes whose help is slightly further (at most gap_start_km of gap,
  by the triangle inequality), where the old weights credited it with their whole need.

A commune whose seniors no source gives has need 0 here and is listed in ``unknown_seniors``, so
that the gap is shown rather than filled.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from planner.core.distances import MatrixCache, TravelMatrix, coordinates, travel_matrix
from planner.domain.params import Params
from planner.domain.territory import Territory


@dataclass(frozen=True)
class AccessAdded:
    """What one stop in a commune brings, on its own: the seniors (decay-weighted) to whom it
    brings help nearer, split between those living more than ``far_km`` from help and the others,
    with the communes that send at least one of them and the mean distances before and after."""

    far_seniors: float
    far_communes: int
    far_help_km: float  # mean road km from those seniors to their nearest place of help
    far_stop_km: float  # mean road km from them to the stop
    near_seniors: float
    near_communes: int


@dataclass(frozen=True)
class NeedModel:
    """Per-commune arrays in the order of ``territory.communes``."""

    codes: tuple[str, ...]
    seniors: np.ndarray  # NaN where unknown
    nearest_km: np.ndarray  # road km to the nearest service point of the chosen kinds
    nearest_name: tuple[str, ...]
    access_gap: np.ndarray
    need: np.ndarray
    attendance: np.ndarray  # [stop commune, home commune]: share of the seniors who come
    audience: np.ndarray  # [stop commune, home commune]: share of the home commune's need removed
    travel: TravelMatrix  # commune x commune
    unknown_seniors: tuple[str, ...]

    def stop_values(self) -> np.ndarray:
        """Need-weighted audience of one stop in each commune: the optimizer's base value."""
        return self.audience @ self.need

    def seniors_reached(self) -> np.ndarray:
        """Seniors (any access) in the catchment of a stop in each commune, decay-weighted."""
        return self.attendance @ np.nan_to_num(self.seniors)

    def far_seniors_reached(self, far_km: float) -> np.ndarray:
        """Seniors living more than ``far_km`` road km from any chosen service to whom a stop in
        each commune brings help nearer, decay-weighted."""
        far = np.where(self.nearest_km > far_km, np.nan_to_num(self.seniors), 0.0)
        return (self.attendance * self.helped) @ far

    def access_added(self, s: int, far_km: float) -> AccessAdded:
        """The seniors a stop in s brings nearer to help (see AccessAdded)."""
        weight = np.where(self.helped[s], self.attendance[s] * np.nan_to_num(self.seniors), 0.0)
        far = self.nearest_km > far_km
        far_weight = np.where(far, weight, 0.0)
        total = float(far_weight.sum())
        help_km = np.where(np.isfinite(self.nearest_km), self.nearest_km, np.nan)
        mean = (lambda km: float(np.nansum(far_weight * km) / total)) if total > 0 else (lambda km: 0.0)
        return AccessAdded(
            far_seniors=total,
            far_communes=int(np.count_nonzero(far_weight >= 0.5)),
            far_help_km=mean(help_km),
            far_stop_km=mean(self.travel.km[s].astype(np.float64)),
            near_seniors=float(weight[~far].sum()),
            near_communes=int(np.count_nonzero(weight[~far] >= 0.5)),
        )

    @cached_property
    def helped(self) -> np.ndarray:
        """[stop commune, home commune] True when the stop brings c's seniors nearer to help than
        c's own nearest place (a share of c's gap is closed). Computed once: the evaluator and the
        explanations read it for every stop and every unvisited commune."""
        return self.audience > 0


def access_gap(nearest_km: np.ndarray, gap_start_km: float, gap_full_km: float) -> np.ndarray:
    return np.clip((nearest_km - gap_start_km) / (gap_full_km - gap_start_km), 0.0, 1.0)


def audience_weights(km: np.ndarray, decay_half_km: float, catchment_km: float) -> np.ndarray:
    weights = np.power(0.5, km / decay_half_km, dtype=np.float64)
    weights[km > catchment_km] = 0.0
    return weights


def access_added(attendance: np.ndarray, km: np.ndarray, gap: np.ndarray, gap_start_km: float,
                 gap_full_km: float) -> np.ndarray:
    """attendance[s, c] x max(0, gap(c) - gap(km(s, c))) / gap(c), 0 where gap(c) = 0."""
    closed = np.maximum(0.0, gap[None, :] - access_gap(km, gap_start_km, gap_full_km))
    share = np.divide(closed, gap[None, :], out=np.zeros_like(closed), where=gap[None, :] > 0)
    return attendance * share


def build_need_model(territory: Territory, params: Params, cache: MatrixCache | None = None) -> NeedModel:
    communes = territory.communes
    need_params = params.need
    points = [p for p in territory.service_points if p.is_any(need_params.service_kinds)]
    # Stops take place at each commune's host point (the mairie by default, Territory.stop_points):
    # travel between communes, and so who comes to a stop, is reckoned between those points. The
    # distance from a commune's seniors to help stays measured from its centre: where they live
    # does not move with the place the bus parks (in the bourg, both are usually a few hundred m apart).
    places = np.array(territory.stop_points, dtype=np.float64).reshape(-1, 2)
    travel = travel_matrix(places, places, params.travel, cache)
    if points:
        to_points = travel_matrix(coordinates(communes), coordinates(points), params.travel, cache)
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
    km = travel.km.astype(np.float64)
    attendance = audience_weights(km, need_params.decay_half_km, need_params.catchment_km)
    audience = access_added(attendance, km, gap, need_params.gap_start_km, need_params.gap_full_km)
    return NeedModel(
        codes=tuple(c.insee for c in communes),
        seniors=seniors,
        nearest_km=nearest_km,
        nearest_name=tuple(nearest_name),
        access_gap=gap,
        need=need,
        attendance=attendance,
        audience=audience,
        travel=travel,
        unknown_seniors=tuple(c.insee for c in communes if c.seniors is None),
    )
