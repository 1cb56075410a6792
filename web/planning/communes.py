"""The public side of the door: the shipped communes and postcodes, the search key of typed names,
and what a host gets of a published season (its stops' times and places, calendar, workbook, map)."""

from __future__ import annotations

from functools import lru_cache

import planner
from planner import host_ics_bytes, host_workbook_bytes
from planner.domain.commune import Commune
from planner.domain.names import search_key
from planner.exports.commune_facts import HOURS_UNKNOWN
from planner.exports.commune_facts import commune_facts as _commune_facts
from planner.exports.stop_details import UNKNOWN_SITE, details
from planner.inputs.dataset import shipped_communes, shipped_postcodes
from web.planning.plans import default_spec, scenario_for

__all__ = ["search_key"]


@lru_cache(maxsize=1)
def shipped_by_insee() -> dict[str, Commune]:
    return {c.insee: c for c in shipped_communes()}


@lru_cache(maxsize=1)
def search_keys() -> tuple[tuple[Commune, str], ...]:
    """Every shipped commune with its folded name, folded once (a search folded 1,756 names: ~20 ms)."""
    return tuple((c, search_key(c.name)) for c in shipped_by_insee().values())


@lru_cache(maxsize=1)
def postcodes() -> dict[str, tuple[str, ...]]:
    """Postal code -> INSEE codes, from the shipped data/postcodes.csv (La Poste's base)."""
    codes: dict[str, list[str]] = {}
    for insee, postals in shipped_postcodes().items():
        for postal in postals:
            codes.setdefault(postal, []).append(insee)
    return {k: tuple(v) for k, v in codes.items()}


def host_stop(stop, scenario) -> dict:
    """What a host reads of one stop besides its date: the kind of service and its label, the
    sessions' start and end times, and where it takes place: the planner's one label of the host
    site (``StopDetails.site_label``: a request's site, else the commune's usual site, else its
    mairie « — à confirmer »), which the workbooks and calendars use too."""
    info = details(stop, scenario)
    return {"kind": info.vehicle.kind if info.vehicle else "bus", "label": info.vehicle_label, "times": info.times,
            "place": info.site_label, "place_known": info.site_label != UNKNOWN_SITE,
            "place_to_confirm": info.site_to_confirm}


def commune_facts(scenario, insee: str) -> dict:
    """What the commune page tells a mairie secretary besides the dates (planner.commune_facts):
    the usual host site, the mairie's hours (known or not: never « fermé »), its public contact
    (telephone and web site: a public body's, never a person's nor an e-mail address), and the
    nearest places of digital help."""
    facts = _commune_facts(scenario, insee)
    mairie = scenario.territory.mairie(insee)
    return {"site": facts.site, "site_known": facts.site != UNKNOWN_SITE, "site_confirmed": facts.site_confirmed,
            "hours": "" if facts.mairie_hours == HOURS_UNKNOWN else facts.mairie_hours, "hours_known": facts.mairie_hours_known,
            "phone": mairie.phone if mairie else "", "website": mairie.website if mairie else "",
            "address": mairie.postal_address if mairie else "",
            "help": [{"name": h.name, "kind": h.kind_label, "address": h.address, "commune": h.commune,
                      "km": h.km, "minutes": h.minutes, "hours": h.hours} for h in facts.nearest_help]}


REGION = "centre-val-de-loire"


def region_facts(insee: str) -> dict | None:
    """A commune's facts in the region's default scenario (its directory's mairie and the shipped
    places of help), for a commune no published season covers; None outside the region."""
    scenario = scenario_for(default_spec(territory=REGION))
    return commune_facts(scenario, insee) if insee in scenario.territory else None


def host_calendar(plan, scenario, insee: str, *, previous: tuple = (), revision: int = 0) -> str:
    """A host commune's calendar text (DataError when the commune has nothing to show)."""
    return host_ics_bytes(plan, scenario, insee, previous=previous, revision=revision).decode("utf-8")


def host_workbook(plan, scenario, insee: str, *, previous: tuple = (), moves: dict | None = None) -> bytes:
    """A host commune's workbook (DataError when the commune has nothing to show); the stops of
    ``previous`` it no longer has are said cancelled, or moved to ``moves[date]``."""
    return host_workbook_bytes(plan, scenario, insee, previous=previous, moves=moves)


def commune_map(scenario, insee: str) -> str:
    """The SVG map of the territory with the commune marked, and the bus's parking place when known."""
    return planner.commune_map_svg(scenario.territory, insee, width=420, id_prefix="commune",
                                   territory_label="le territoire de la tournée",
                                   site=scenario.host_sites().get(insee))

