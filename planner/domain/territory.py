"""Territory: the communes being planned, with the service points, markets, mairies and host hours around.

Service points are kept for the whole dataset, not just the territory: a senior's nearest EPN may
lie across the line, so distances are computed against all of them. Each commune's stops take
place at its host site (``host_site``: the planner's, else the mairie); travel and maps start
from that point (``stop_points``), the commune's centre where no site is located.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from planner.domain.commune import Commune
from planner.domain.host_hours import HostHours
from planner.domain.host_site import HostSite, mairie_site
from planner.domain.mairie import Mairie
from planner.domain.market import Market
from planner.domain.service_point import ServicePoint

PRESETS = ("bourges", "cher", "centre-val-de-loire")


@dataclass(frozen=True)
class Territory:
    name: str
    communes: tuple[Commune, ...]
    service_points: tuple[ServicePoint, ...]
    markets: tuple[Market, ...] = ()
    host_hours: tuple[HostHours, ...] = ()
    sources: tuple[str, ...] = ()
    mairies: tuple[Mairie, ...] = ()  # the directory's town halls of the territory's communes
    sites: tuple[HostSite, ...] = ()  # host sites a planner set (the scenario's ``hosts``)

    @cached_property
    def index(self) -> dict[str, int]:
        """Position of each commune by INSEE code; matrices use the same order."""
        return {c.insee: i for i, c in enumerate(self.communes)}

    def commune(self, insee: str) -> Commune:
        return self.communes[self.index[insee]]

    def __contains__(self, insee: object) -> bool:
        return insee in self.index

    def markets_of(self, insee: str) -> tuple[Market, ...]:
        return tuple(m for m in self.markets if m.insee == insee)

    @cached_property
    def _mairies(self) -> dict[str, Mairie]:
        return {m.insee: m for m in self.mairies}

    @cached_property
    def _sites(self) -> dict[str, HostSite]:
        return {s.insee: s for s in self.sites}

    def mairie(self, insee: str) -> Mairie | None:
        return self._mairies.get(insee)

    def host_site(self, insee: str) -> HostSite | None:
        """The planner's site of the commune, else its mairie (à confirmer), else None."""
        site = self._sites.get(insee)
        if site is not None:
            return site
        mairie = self._mairies.get(insee)
        return mairie_site(mairie) if mairie is not None else None

    def stop_point(self, commune: Commune) -> tuple[float, float]:
        """(lat, lon) where the commune's stops take place: its located host site, else its centre."""
        site = self.host_site(commune.insee)
        if site is not None and site.located:
            return float(site.lat), float(site.lon)
        return commune.lat, commune.lon

    @cached_property
    def stop_points(self) -> tuple[tuple[float, float], ...]:
        """``stop_point`` of every commune, in the order of ``communes``."""
        return tuple(self.stop_point(c) for c in self.communes)
