"""Vehicle: a bus numérique or a rotating mediator, with its base, days and limits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.domain.commune import Commune
from planner.domain.params import Params


@dataclass(frozen=True)
class Session:
    """One workshop (or a mediator's half-day presence) within a stop day."""

    start: dt.time
    end: dt.time

    def label(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


BUS_SESSIONS = (Session(dt.time(9, 30), dt.time(12, 30)), Session(dt.time(14, 0), dt.time(17, 0)))
MEDIATOR_SESSIONS = (Session(dt.time(9, 0), dt.time(12, 0)), Session(dt.time(14, 0), dt.time(17, 0)))


@dataclass(frozen=True)
class Vehicle:
    """``max_drive_minutes`` bounds the driving of one day: base -> stop -> base for a bus that
    sleeps at its base (``overnight_nights`` = 0), or the legs of that day when it stays away."""

    name: str
    kind: str  # "bus" or "mediator"
    base_label: str
    base_lat: float
    base_lon: float
    weekdays: tuple[int, ...] = (2, 3, 4, 5)
    sessions: tuple[Session, ...] = BUS_SESSIONS
    seats: int = 12
    max_drive_minutes: float = 180.0
    overnight_nights: int = 0
    base_insee: str = ""


def mediator_vehicle(name: str, base: Commune | tuple[float, float], weekdays: tuple[int, ...], params: Params, *,
                     label: str = "", insee: str = "") -> Vehicle:
    """A rotating mediator: a morning and an afternoon half-day (09:00-12:00, 14:00-17:00), home
    every evening, driving limit and seats from ``params.vehicle``. ``base`` is a commune (its
    centre) or (lat, lon), then named ``label`` (default: the coordinates) and ``insee`` if known."""
    if isinstance(base, Commune):
        label, lat, lon, insee = base.name, base.lat, base.lon, base.insee
    else:
        lat, lon = base
        label = label or f"{lat:.4f},{lon:.4f}"
    return Vehicle(name=name, kind="mediator", base_label=label, base_lat=lat, base_lon=lon,
                   weekdays=tuple(sorted(set(weekdays))), sessions=MEDIATOR_SESSIONS, seats=params.vehicle.seats,
                   max_drive_minutes=params.vehicle.max_drive_minutes, overnight_nights=0, base_insee=insee)
