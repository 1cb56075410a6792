"""ServicePoint: an existing place of digital help that makes a visit less needed nearby."""

from __future__ import annotations

from dataclasses import dataclass

# Every kind the shipped data (data/SOURCES.md, "kinds") or a user's list can give a place. Which
# of them count as help for the need is ``NeedParams.service_kinds``; data/SOURCES.md says for each
# kind whether it does by default and why.
KINDS = (
    "france_services",
    "france_services_itinerant",
    "epn",
    "msap",
    "mediatheque",
    "conseiller_numerique",
    "promeneur_du_net",
    "club_informatique",
    "mairie_numerique",
    "coworking",
    "fablab",
    "autre_lieu",
)

KIND_LABELS = {
    "france_services": "France Services",
    "france_services_itinerant": "France Services itinérante / bus",
    "epn": "EPN",
    "msap": "MSAP (ancien label)",
    "mediatheque": "Médiathèque",
    "conseiller_numerique": "Conseiller numérique",
    "promeneur_du_net": "Promeneur du Net (jeunesse)",
    "club_informatique": "Club informatique",
    "mairie_numerique": "Mairie (lieu numérique)",
    "coworking": "Espace de coworking",
    "fablab": "Fablab",
    "autre_lieu": "Autre lieu numérique",
}


@dataclass(frozen=True)
class ServicePoint:
    """One place; ``kinds`` may hold several labels when sources were merged."""

    point_id: str
    name: str
    kinds: frozenset[str]
    insee: str
    commune: str
    lat: float
    lon: float
    address: str = ""
    geo_note: str = ""
    sources: tuple[str, ...] = ()

    def is_any(self, kinds: frozenset[str] | tuple[str, ...]) -> bool:
        return bool(self.kinds.intersection(kinds))
