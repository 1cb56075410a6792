"""Territory: the communes being planned, with the service points, markets and host hours around.

Service points are kept for the whole dataset, not just the territory: a senior's nearest EPN may
lie across the line, so distances are computed against all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from planner.domain.commune import Commune
from planner.domain.host_hours import HostHours
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
