"""The places of digital help nearest a commune: where a mairie secretary can send people between
two visits (the commune page shows them beside the bus dates).

Distances run from the commune's centre, where its people live, as the need model measures their
distance to help, with the scenario's travel settings (geodesic x circuity by default, or the
routing server). The places are those the planner counts as help (``need.service_kinds``) unless
the caller names other kinds. The shipped places carry no opening hours: each says so rather than
showing a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.core.distances import coordinates, travel_matrix
from planner.domain.params import Params
from planner.domain.service_point import KIND_LABELS
from planner.domain.territory import Territory

HOURS_UNKNOWN = "horaires non renseignés"


@dataclass(frozen=True)
class NearbyHelp:
    name: str
    kinds: tuple[str, ...]  # codes, in KIND_LABELS order
    kind_label: str  # « France Services, Conseiller numérique »
    address: str  # as the source wrote it; "" when it gives none
    commune: str
    km: float  # road km from the commune's centre (the scenario's travel estimate), 0.1 km
    minutes: float
    hours: str  # opening hours where a source gives them, else HOURS_UNKNOWN


def nearest_help(territory: Territory, insee: str, params: Params, *, limit: int = 5,
                 kinds: tuple[str, ...] | frozenset[str] | None = None) -> tuple[NearbyHelp, ...]:
    """The ``limit`` nearest places of help of ``kinds`` (default: those the planner counts) from
    commune ``insee``, nearest first; () for a commune outside the territory or without any place."""
    if insee not in territory:
        return ()
    wanted = frozenset(kinds if kinds is not None else params.need.service_kinds)
    points = [p for p in territory.service_points if p.is_any(wanted)]
    if not points:
        return ()
    commune = territory.commune(insee)
    matrix = travel_matrix(coordinates([commune]), coordinates(points), params.travel)
    # The true distance, also for a place in the commune itself (which the need model counts as 0:
    # help at hand), so that a town's places are told apart.
    km, minutes = matrix.km[0].astype(np.float64), matrix.minutes[0].astype(np.float64)
    order = np.argsort(km, kind="stable")[:limit]
    found = []
    for i in order:
        point = points[int(i)]
        codes = tuple(k for k in KIND_LABELS if k in point.kinds)
        found.append(NearbyHelp(point.name, codes, ", ".join(KIND_LABELS[k] for k in codes), point.address,
                                point.commune, round(float(km[i]), 1), round(float(minutes[i])),
                                HOURS_UNKNOWN))
    return tuple(found)
