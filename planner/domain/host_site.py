"""HostSite: where a commune's stops take place (the bus parks, the mediator sits) when no
accepted request names a site of its own.

By default it is the mairie, from the public-sector directory (its own address and position), and
it is « à confirmer »: nobody asked the mairie yet. A planner can set a commune's usual site once
for a scenario (``ScenarioSpec.hosts``): that site is the planner's word, not to be confirmed.
A commune the directory lacks and no planner names has no site (None): the commune's centre is
used for travel, and the exports say the site is to be confirmed with the mairie.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planner.domain.mairie import Mairie

DEFAULT_NAME = "Mairie"
TO_CONFIRM = "à confirmer"


@dataclass(frozen=True)
class HostSite:
    insee: str
    name: str  # "Mairie", "Salle des fêtes"
    address: str  # "11 rue Jacques-Rimbault, 18000 Bourges"; "" when unknown
    lat: float | None
    lon: float | None
    confirmed: bool  # False: the default mairie, « à confirmer »
    source: str  # "annuaire des mairies" or "scénario"

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None

    def label(self) -> str:
        """« Mairie, 11 rue Jacques-Rimbault, 18000 Bourges — à confirmer »."""
        text = join_place(self.name, self.address)
        return text if self.confirmed else f"{text} — {TO_CONFIRM}"


def mairie_site(mairie: Mairie) -> HostSite:
    """The default site of a commune: its mairie, to be confirmed."""
    return HostSite(mairie.insee, DEFAULT_NAME, mairie.postal_address, mairie.lat, mairie.lon, False,
                    "annuaire des mairies")


def join_place(*parts: str) -> str:
    """Parts of an address joined by commas, each piece said once: a host site that already holds
    its street (« parking de la mairie, 1 place de l'Église ») is not followed by the street again.
    Pieces are compared whole, so « Cher » still follows « 2 rue du Cher »."""
    kept: list[str] = []
    said: set[str] = set()
    for part in parts:
        for piece in (part or "").split(","):
            piece = piece.strip()
            if piece and _folded(piece) not in said:
                kept.append(piece)
                said.add(_folded(piece))
    return ", ".join(kept)


def _folded(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip().lower()
