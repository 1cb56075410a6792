"""ServicePoint: an existing place of digital help that makes a visit less needed nearby."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = (
    "france_services",
    "france_services_itinerant",
    "epn",
    "msap",
    "mediatheque",
    "conseiller_numerique",
)

KIND_LABELS = {
    "france_services": "France Services",
    "france_services_itinerant": "France Services itinérante / bus",
    "epn": "EPN",
    "msap": "MSAP (ancien label)",
    "mediatheque": "Médiathèque",
    "conseiller_numerique": "Conseiller numérique",
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
