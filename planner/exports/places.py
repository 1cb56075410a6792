"""Where a stop takes place, as a host and a calendar app need it: an address and coordinates.

The place is the geocoded host site of a request the stop serves (the public form geocodes it
with the Base Adresse Nationale); without one, the commune's usual host site (the planner's, else
its mairie from the public-sector directory, « à confirmer », with the mairie's own position:
``Territory.host_site``); without that either, the commune's centre, named with its département
so that a calendar app does not send people to a namesake (there is an Arçay in the Cher and one
in the Vienne), with its postcode from La Poste's base when the commune has a single one. Nothing
is made up: a commune with several postcodes and no geocoded site gets none.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from planner.domain.host_site import join_place
from planner.domain.names import normalize_name
from planner.domain.scenario import Scenario
from planner.domain.stop import Stop
from planner.exports.stop_details import site_requests
from planner.inputs.dataset import shipped_communes, shipped_postcodes

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
    """The stop's place: its serving request's site, else the commune's usual host site, else its centre."""
    territory = scenario.territory
    commune = territory.commune(stop.insee) if stop.insee in territory else None
    name = stop.commune or (commune.name if commune else stop.insee)
    requests = site_requests(stop, scenario.requests)
    request = next((r for r in requests if r.located), None) or next((r for r in requests if r.address or r.postcode), None)
    site = stop.host_site.strip() or next((r.host_site.strip() for r in requests if r.host_site.strip()), "")
    region = departement_name(commune.dep if commune else "")
    usual = territory.host_site(stop.insee) if commune is not None else None
    if not site and request is None and usual is not None and usual.address:
        if usual.located:  # its postcode names the commune
            return Place(usual.label(), usual.lat, usual.lon, True)
        return Place(usual.label(), commune.lat, commune.lon, False, "position du lieu inconnue : centre de la commune")
    postcode = request.postcode if request and request.postcode else _single_postcode(stop.insee, name)
    town = " ".join(p for p in (postcode, name) if p)
    if name and name.lower() in f"{site} {request.address if request else ''}".lower():
        town = ""  # the site already names its commune
    label = join_place(site, request.address.strip() if request else "", town, region)
    if request is not None and request.located:
        return Place(label, request.lat, request.lon, True, request.location_note)
    note = next((r.location_note for r in requests if r.location_note), "")
    if commune is None:
        return Place(label, None, None, False, note)
    return Place(label, commune.lat, commune.lon, False, note)


def _single_postcode(insee: str, name: str) -> str:
    """The commune's postcode when La Poste gives it exactly one and the code is the shipped commune
    of that name (a user's territory file may reuse a code for another place: then none)."""
    shipped = _shipped_names().get(insee)
    postals = shipped_postcodes().get(insee, ())
    return postals[0] if len(postals) == 1 and shipped is not None and shipped == normalize_name(name) else ""


@lru_cache(maxsize=1)
def _shipped_names() -> dict[str, str]:
    return {c.insee: normalize_name(c.name) for c in shipped_communes()}
