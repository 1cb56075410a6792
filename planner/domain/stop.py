"""Stop: one visit of a vehicle to a commune on a date, with what it brings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Stop:
    """Figures are filled by the evaluator; a hand-made stop list has only date, vehicle, commune."""

    date: dt.date
    vehicle: str
    insee: str
    commune: str = ""
    host_site: str = ""
    sessions: str = ""
    km: float = 0.0  # driven that day for this stop (round trip from base, or legs when away)
    minutes: float = 0.0
    km_from_previous: float = 0.0
    minutes_from_previous: float = 0.0
    places: int = 0  # seats x workshops (a mediator's half-day: its seats)
    participants: float = 0.0  # expected participants (planner/core/participants.py)
    participants_far: float = 0.0  # of them, living more than far_km from help
    origins: tuple[tuple[str, str, float], ...] = ()  # (home INSEE code, its name, participants), most first
    far_seniors_reached: float = 0.0  # seniors living more than far_km from help it brings help nearer to (decay-weighted)
    far_communes: int = 0  # communes those far seniors come from (at least one senior each)
    far_help_km: float = 0.0  # their mean road km to help before the stop
    far_stop_km: float = 0.0  # and to the stop
    near_seniors_helped: float = 0.0  # seniors nearer than far_km to help, brought nearer still
    nearest_service_km: float = 0.0
    market_day: bool = False
    request_ids: tuple[str, ...] = ()
    value: float = 0.0
    slot: int = 0  # 0 for a whole day; 1 / 2 for a mediator's morning / afternoon
    away_after: bool = False  # the vehicle sleeps away from base after this stop (overnight tours)
