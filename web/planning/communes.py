"""The public side of the door: the shipped communes and postcodes, the search key of typed names,
and what a host gets of a published season (its stops' times and places, calendar, workbook, map)."""

from __future__ import annotations

from functools import lru_cache

import planner
from planner import host_ics_bytes, host_workbook_bytes
from planner.domain.commune import Commune
from planner.domain.names import search_key
from planner.exports.stop_details import details, host_site, session_times, vehicle_label, vehicle_of
from planner.inputs.dataset import shipped_communes, shipped_postcodes

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
    sessions' start and end times, and the host site the plan or an accepted request names."""
    vehicle = vehicle_of(stop, scenario)
    return {"kind": vehicle.kind if vehicle else "bus", "label": vehicle_label(vehicle),
            "times": session_times(stop, vehicle), "place": details(stop, scenario).site_label if host_site(
                stop, scenario.requests) else ""}


def host_calendar(plan, scenario, insee: str, *, previous: tuple = (), revision: int = 0) -> str:
    """A host commune's calendar text (DataError when the commune has nothing to show)."""
    return host_ics_bytes(plan, scenario, insee, previous=previous, revision=revision).decode("utf-8")


def host_workbook(plan, scenario, insee: str) -> bytes:
    """A host commune's workbook (DataError when the commune has nothing to show)."""
    return host_workbook_bytes(plan, scenario, insee)


def commune_map(scenario, insee: str) -> str:
    """The SVG map of the territory with the commune marked, and the bus's parking place when known."""
    return planner.commune_map_svg(scenario.territory, insee, width=420, id_prefix="commune",
                                   territory_label="le territoire de la tournée",
                                   site=scenario.host_sites().get(insee))

