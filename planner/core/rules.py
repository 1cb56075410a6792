"""Rules a single stop must obey, shared by the models, the heuristics and the explanations."""

from __future__ import annotations

import datetime as dt

import numpy as np

from planner.core.instance import Instance
from planner.domain.request import Request


def stop_allowed(instance: Instance, v: int, day: dt.date, s: int) -> bool:
    """Closed days, driving limit, forbidden pairs and the market-day rule, as a domain filter.

    A stop that breaks one of them gets no variable at all, which keeps the model small.
    """
    vehicle = instance.scenario.vehicles[v]
    commune = instance.communes[s]
    if instance.why_closed(vehicle, day) is not None:
        return False
    if vehicle.overnight_nights == 0 and not instance.reachable(v, s):
        return False
    if instance.is_forbidden(day, commune.insee):
        return False
    market_days = instance.market_weekdays[s]
    return not (instance.params.rules.market_required and market_days and day.isoweekday() not in market_days)


def adds_access(instance: Instance) -> np.ndarray:
    """True for the communes where a first stop brings help nearer to someone (in the objective's
    integers, so that a weight rounded to nothing counts as nothing)."""
    n = len(instance.communes)
    return instance.marginal_q(np.zeros(n, dtype=np.int64), np.arange(n)) > 0


def named_communes(instance: Instance, requests: tuple[Request, ...]) -> set[int]:
    """Communes a request or a pin names: candidates whatever they add."""
    index = instance.scenario.territory.index
    return ({index[r.insee] for r in requests if r.insee in index}
            | {index[p.insee] for p in instance.scenario.pins if p.insee in index})
