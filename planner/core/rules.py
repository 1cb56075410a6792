"""Rules a single stop must obey, shared by the models, the heuristics and the explanations."""

from __future__ import annotations

import datetime as dt

from planner.core.instance import Instance


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
