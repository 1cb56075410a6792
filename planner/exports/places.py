"""Where a stop takes place, as a host and a calendar app need it: an address and coordinates.

The place is the geocoded host site of a request the stop serves (the public form geocodes it
with the Base Adresse Nationale); without one, the commune's centre, named with its département
so that a calendar app does not send people to a namesake (there is an Arçay in the Cher and one
in the Vienne). Nothing is made up: an unknown postcode is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.domain.scenario import Scenario
from planner.domain.stop import Stop
from planner.exports.stop_details import stop_requests

# Départements of the shipped data (Centre-Val de Loire and the neighbours of its service points).
DEPARTEMENTS = {
    "03": "Allier", "18": "Cher", "23": "Creuse", "28": "Eure-et-Loir", "36": "Indre", "37": "Indre-et-Loire",
    "41": "Loir-et-Cher", "45": "Loiret", "58": "Nièvre", "86": "Vienne", "87": "Haute-Vienne", "89": "Yonne",
}


@dataclass(frozen=True)
class Place:
    label: str  # one line: "Salle des fêtes, 2 place de l'Église, 18510 Menetou-Salon, Cher"
    lat: float | None
    lon: float | None
    geocoded: bool  # the host site's own coordinates, not the commune's centre
    note: str = ""  # French, from the request: "adresse non trouvée, centre de la commune"


def departement_name(code: str) -> str:
    return DEPARTEMENTS.get(code, f"département {code}" if code else "")


def place_of(stop: Stop, scenario: Scenario) -> Place:
    """The stop's place: its serving request's geocoded site, else the commune's centre."""
    territory = scenario.territory
    commune = territory.commune(stop.insee) if stop.insee in territory else None
    name = stop.commune or (commune.name if commune else stop.insee)
    requests = stop_requests(stop, scenario.requests)
    request = next((r for r in requests if r.located), None) or next((r for r in requests if r.address or r.postcode), None)
    site = stop.host_site.strip() or next((r.host_site.strip() for r in requests if r.host_site.strip()), "")
    region = departement_name(commune.dep if commune else "")
    town = " ".join(p for p in ((request.postcode if request else ""), name) if p)
    if name and name.lower() in f"{site} {request.address if request else ''}".lower():
        town = ""  # the site already names its commune
    label = ", ".join(p for p in (site, request.address.strip() if request else "", town, region) if p)
    if request is not None and request.located:
        return Place(label, request.lat, request.lon, True, request.location_note)
    note = next((r.location_note for r in requests if r.location_note), "")
    if commune is None:
        return Place(label, None, None, False, note)
    return Place(label, commune.lat, commune.lon, False, note)
