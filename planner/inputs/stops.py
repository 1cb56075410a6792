"""Reading a list of stops (a plan exported by Tournée, or a hand-made tour) for evaluation.

Columns: ``date`` (2026-10-06 or 06/10/2026), ``insee_com``, optional ``vehicle`` (empty means
the only vehicle) and ``slot`` (1 / 2 for a mediator's morning / afternoon). The French headers of
Tournée's CSV (``code_insee``, ``vehicule``, ``demi_journee``, ``lieu_accueil``) are read as well.
Other columns, such as the figures Tournée writes, are ignored, so an exported plan can be edited
and read back.
"""

from __future__ import annotations

from collections.abc import Collection

from planner.domain.problems import DataError, Problem
from planner.domain.stop import Stop
from planner.inputs.columns import aliases_of, canonical
from planner.inputs.rows import Rows
from planner.inputs.table import Source, open_table, table_from_bytes


def read_stops(source: Source, default_vehicle: str = "", *, communes: Collection[str] | None = None,
               vehicles: Collection[str] | None = None) -> tuple[Stop, ...]:
    """The stops of a file; with ``communes`` and ``vehicles`` (a re-plan's territory and fleet)
    each stop must name one of them."""
    table = open_table(source, required=(("date",), aliases_of("insee_com")))
    cols = canonical(table, "insee_com")
    rows: Rows[Stop] = Rows(table)
    cells = rows.cells

    def stop(row: int, values: dict[str, str]) -> Stop | None:
        day = cells.date(row, "date", values.get("date", ""), required=True)
        code = cells.insee(row, cols["insee_com"], values.get(cols["insee_com"], ""))
        vehicle = _unquoted(values.get("vehicle", values.get("vehicule", "")).strip()) or default_vehicle
        slot_text = values.get("slot", values.get("demi_journee", ""))
        slot_column = "slot" if "slot" in values else "demi_journee"
        slot = cells.number(row, slot_column, slot_text, minimum=0, maximum=2) if slot_text else 0
        if slot is not None and not float(slot).is_integer():
            cells.fail(row, slot_column, slot_text, "attendu : 0, 1 ou 2")
        if code is not None and communes is not None and code not in communes:
            cells.fail(row, cols["insee_com"], code, "commune hors du territoire")
        if vehicles is not None and vehicle not in vehicles:
            column = "vehicule" if "vehicule" in values else "vehicle"
            cells.fail(row, column, vehicle, f"véhicule inconnu (flotte : {', '.join(sorted(vehicles))})")
        if rows.failed():
            return None
        rows.once((day, code, vehicle, slot), row, "date", values.get("date", ""), "arrêt")
        return Stop(date=day, vehicle=vehicle, insee=code, commune=values.get("commune", ""),
                    host_site=_unquoted(values.get("host_site", values.get("lieu_accueil", ""))), slot=int(slot or 0))

    stops = rows.parse(stop)
    if not stops:
        raise DataError([Problem(table.file, 0, "", "", "aucun arrêt dans le fichier")])
    return tuple(stops)


def _unquoted(text: str) -> str:
    """Text as typed: Tournée's CSV writes an apostrophe before text that a spreadsheet would run as a formula."""
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r", "\n") and text[1:2] else text


def read_stops_csv(data: bytes, name: str, default_vehicle: str = "") -> tuple[Stop, ...]:
    """The stops of an uploaded file (CSV or XLSX by the extension of ``name``); DataError on bad rows."""
    return read_stops(table_from_bytes(data, name), default_vehicle)
