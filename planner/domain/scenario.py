"""Scenario: everything a planner decides before solving (territory, season, vehicles, rules)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from planner.domain.outcome import SeasonHistory
from planner.domain.params import Params
from planner.domain.request import Request
from planner.domain.season import Season
from planner.domain.spec import ScenarioSpec
from planner.domain.team import TeamContact
from planner.domain.territory import Territory
from planner.domain.vehicle import Vehicle


@dataclass(frozen=True)
class Pin:
    """A stop the planner fixes by hand: this commune on this date (by this vehicle if named)."""

    date: dt.date
    insee: str
    vehicle: str = ""

    def label(self) -> str:
        return f"arrêt imposé {self.insee} le {self.date:%d/%m/%Y}"


@dataclass(frozen=True)
class Forbidden:
    """No stop in this commune on this date (every date when ``date`` is None)."""

    insee: str
    date: dt.date | None = None


@dataclass(frozen=True)
class Scenario:
    territory: Territory
    season: Season
    vehicles: tuple[Vehicle, ...]
    params: Params
    requests: tuple[Request, ...] = ()
    pins: tuple[Pin, ...] = ()
    forbidden: tuple[Forbidden, ...] = ()
    spec: ScenarioSpec | None = None  # what it was built from (None: built by hand, as in tests)
    team_contact: TeamContact = TeamContact()  # printed on the hosts' files; empty = "à renseigner"
    history: SeasonHistory | None = None  # a past season: those who came leave the pools (core/history.py)

    def vehicle(self, name: str) -> Vehicle:
        return next(v for v in self.vehicles if v.name == name)

    def host_sites(self) -> dict[str, tuple[float, float]]:
        """INSEE code -> (lon, lat) where the bus parks, drawn on maps instead of the commune's
        centre: the geocoded host site of its accepted requests (the first located request wins),
        else the commune's host site (the planner's, else its mairie: Territory.host_site)."""
        sites: dict[str, tuple[float, float]] = {}
        for request in self.requests:
            if request.active and request.located and request.insee not in sites:
                sites[request.insee] = (float(request.lon), float(request.lat))
        for commune in self.territory.communes:
            site = self.territory.host_site(commune.insee)
            if commune.insee not in sites and site is not None and site.located:
                sites[commune.insee] = (float(site.lon), float(site.lat))
        return sites

    def working_days(self, vehicle: Vehicle) -> tuple[dt.date, ...]:
        """Open season days on this vehicle's weekdays."""
        return tuple(d for d in self.season.working_days_all() if d.isoweekday() in vehicle.weekdays)
