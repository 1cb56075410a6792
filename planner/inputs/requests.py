"""Reading stop requests (CSV/XLSX) sent by intercommunalities and communes.

Columns: ``insee_com``, ``start`` and ``end`` (one window) or ``windows``
("2026-10-01..2026-10-31; 2027-03-01..2027-03-15"), optional ``request_id``, ``days`` (default 1),
``priority`` (must / should), ``status`` (accepted / pending / refused), ``requester``,
``host_site``, ``contact``, ``note``; and where the bus parks and whom to call: ``address``,
``postcode``, ``lat`` and ``lon`` (the geocoded host site; empty = the commune's centre),
``location_note``, ``contact_role``, ``contact_email``, ``contact_phone``. French words are accepted
(obligatoire, souhaitée, acceptée...).
"""

from __future__ import annotations

from planner.domain.commune import Commune
from planner.domain.problems import DataError, Problem
from planner.domain.request import Request
from planner.inputs import contacts
from planner.inputs.cells import CellReader, parse_date
from planner.inputs.columns import aliases_of, canonical
from planner.inputs.rows import Rows
from planner.inputs.table import Source, open_table

PRIORITY_WORDS = {"must": "must", "obligatoire": "must", "impérative": "must", "imperative": "must",
                  "should": "should", "souhaitée": "should", "souhaitee": "should", "souhaitable": "should"}
STATUS_WORDS = {"accepted": "accepted", "acceptée": "accepted", "acceptee": "accepted", "pending": "pending",
                "en attente": "pending", "refused": "refused", "refusée": "refused", "refusee": "refused"}

MAX_DAYS = 366  # stop days one request may ask for: a whole season at most

REQUIRED = (aliases_of("insee_com"),)  # the header row is the first holding these columns


def read_requests(source: Source, communes: dict[str, Commune]) -> tuple[Request, ...]:
    """Requests of a file; ``communes`` are all communes a request may name (the whole dataset)."""
    table = open_table(source, required=REQUIRED)
    cols = canonical(table, "insee_com")
    has_windows = "windows" in table.columns
    if not has_windows and not {"start", "end"} <= set(table.columns):
        raise DataError([Problem(table.file, table.header_row, "start", "",
                                 "colonnes de dates absentes : « start » et « end », ou « windows »")])
    rows: Rows[Request] = Rows(table)
    cells = rows.cells

    def request(row: int, values: dict[str, str]) -> Request | None:
        code = rows.commune(row, cols["insee_com"], values.get(cols["insee_com"], ""), communes)
        windows = _windows(cells, row, values) if has_windows else _one_window(cells, row, values)
        days = cells.number(row, "days", values.get("days", ""), minimum=1, maximum=MAX_DAYS)
        if days is not None and not days.is_integer():
            cells.fail(row, "days", values.get("days", ""), "nombre entier de jours attendu")
        priority = cells.choice(row, "priority", values.get("priority", ""), PRIORITY_WORDS) or "should"
        status = cells.choice(row, "status", values.get("status", ""), STATUS_WORDS) or "accepted"
        request_id = values.get("request_id", "").strip() or f"R{row}"
        rows.once(request_id, row, "request_id", request_id, "identifiant")
        place = _place(cells, row, values)
        if rows.failed():
            return None
        return Request(
            request_id=request_id,
            insee=code,
            windows=windows,
            days=int(days or 1),
            priority=priority,
            status=status,
            requester=values.get("requester", values.get("demandeur", "")),
            host_site=values.get("host_site", values.get("lieu", "")),
            contact=values.get("contact", ""),
            note=values.get("note", ""),
            **place,
        )

    return rows.parse(request)


def _place(cells: CellReader, row: int, values: dict[str, str]) -> dict:
    """The optional address and contact columns, checked: both coordinates or none, inside France."""
    lat_text, lon_text = values.get("lat", "").strip(), values.get("lon", "").strip()
    coords = None
    if lat_text or lon_text:
        coords = cells.coordinates(row, "lat", lat_text, "lon", lon_text)
    return {
        "address": contacts.short_text(cells, row, "address", values.get("address", "")),
        "postcode": contacts.postcode(cells, row, "postcode", values.get("postcode", "")),
        "lat": coords[0] if coords else None,
        "lon": coords[1] if coords else None,
        "location_note": contacts.short_text(cells, row, "location_note", values.get("location_note", "")),
        "contact_role": contacts.short_text(cells, row, "contact_role", values.get("contact_role", "")),
        "contact_email": contacts.email(cells, row, "contact_email", values.get("contact_email", "")),
        "contact_phone": contacts.phone(cells, row, "contact_phone", values.get("contact_phone", "")),
    }


def _one_window(cells: CellReader, row: int, values: dict[str, str]):
    start = cells.date(row, "start", values.get("start", ""), required=True)
    end = cells.date(row, "end", values.get("end", ""), required=True)
    if start and end and end < start:
        cells.fail(row, "end", values.get("end", ""), "la fin précède le début")
        return ()
    return ((start, end),) if start and end else ()


def _windows(cells: CellReader, row: int, values: dict[str, str]):
    text = values.get("windows", "")
    windows = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        first, sep, last = part.partition("..")
        start, end = parse_date(first), parse_date(last)
        if not sep or start is None or end is None:
            cells.fail(row, "windows", part, "période invalide (attendu : 2026-10-01..2026-10-31)")
        elif end < start:
            cells.fail(row, "windows", part, "la fin précède le début")
        else:
            windows.append((start, end))
    if not text.strip() or (not windows and text.replace(";", "").strip() == ""):
        cells.fail(row, "windows", text, "période obligatoire manquante")
    return tuple(windows)
