"""Reading a hosts table: the planner's corrections of each commune's host, set once per scenario.

Columns: ``insee_com`` (required), then any of ``site`` (« Salle des fêtes »), ``address``
(« 2 place de l'Église, 18510 Menetou-Salon »), ``lat`` and ``lon`` (both or neither), ``hours``
(the mairie's opening hours in the notation of planner.domain.host_hours, « mardi (14h-18h) »;
« inconnus » says that the directory's hours are wrong and the true ones unknown). An empty cell
keeps what the directory says. A site without coordinates stands at its mairie's position (the
planner names a place of the bourg, the directory locates the bourg), else the commune's centre.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.domain.commune import Commune
from planner.domain.host_hours import HostHours, parse_hours
from planner.domain.host_site import DEFAULT_NAME, HostSite
from planner.domain.mairie import Mairie
from planner.inputs.columns import aliases_of, canonical
from planner.inputs.rows import Rows
from planner.inputs.table import Source, open_table

REQUIRED = (aliases_of("insee_com"),)
SITE_COLUMNS = ("site", "address", "lat", "lon")
UNKNOWN_WORDS = ("inconnu", "inconnus", "inconnues", "unknown")
SOURCE = "corrigé par l'équipe (scénario)"


@dataclass(frozen=True)
class HostCorrection:
    """One commune's corrections: its usual site and/or its mairie's hours (None: unchanged)."""

    insee: str
    site: HostSite | None = None
    hours: HostHours | None = None
    hours_unknown: bool = False  # the planner says the directory's hours are wrong, the true ones unknown


def read_hosts(source: Source, communes: dict[str, Commune], mairies: dict[str, Mairie]) -> tuple[HostCorrection, ...]:
    """Corrections of a hosts table; every problem of every row at once (DataError)."""
    table = open_table(source, required=REQUIRED)
    cols = canonical(table, "insee_com", "lat", "lon")
    rows: Rows[HostCorrection] = Rows(table)

    def correction(row: int, values: dict[str, str]) -> HostCorrection | None:
        code = rows.commune(row, cols["insee_com"], values.get(cols["insee_com"], ""), communes)
        if code is not None:
            rows.once(code, row, cols["insee_com"], code, "commune")
        lat_col, lon_col = cols.get("lat", "lat"), cols.get("lon", "lon")
        lat_text, lon_text = values.get(lat_col, ""), values.get(lon_col, "")
        coords = None
        if lat_text.strip() or lon_text.strip():
            coords = rows.cells.coordinates(row, lat_col, lat_text, lon_col, lon_text)
        hours_text = values.get("hours", "").strip()
        unknown = hours_text.lower() in UNKNOWN_WORDS
        if hours_text and not unknown:
            reading = parse_hours(hours_text)
            if not reading.known:
                rows.cells.fail(row, "hours", hours_text, f"{reading.problem} ; attendu par exemple « mardi (14h-18h) ; "
                                "jeudi, vendredi (9h-12h) » ou « inconnus »")
        if rows.failed() or code is None:
            return None
        mairie = mairies.get(code)
        site = None
        if any(values.get(c, "").strip() for c in ("site", "address")) or coords:
            name = values.get("site", "").strip() or DEFAULT_NAME
            address = values.get("address", "").strip()
            if not address and mairie is not None:  # the mairie itself, or a place of its bourg
                address = mairie.postal_address if name == DEFAULT_NAME else " ".join(
                    p for p in (mairie.postcode, mairie.town) if p)
            lat, lon = coords if coords else ((mairie.lat, mairie.lon) if mairie is not None else (None, None))
            site = HostSite(code, name, address, lat, lon, True, SOURCE)
        hours = HostHours(code, communes[code].name, hours_text, SOURCE, "") if hours_text and not unknown else None
        return HostCorrection(code, site, hours, unknown)

    return rows.parse(correction)
