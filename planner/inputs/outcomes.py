"""Reading what happened to a season's stops from a CSV or XLSX file: a past season kept outside
Tournée (the seasons before it), or the outcomes of a plan for its report.

Columns: ``date`` (2026-10-06 or 06/10/2026), the commune (``insee_com`` or one of its aliases,
or ``commune`` holding a code or a name of the territory) and ``participants``; optional:
``statut`` (tenu / annulé / prévu, or held / cancelled / planned; empty: held when participants
are given), ``inscrits`` (sign-ups), ``liste_attente`` (waiting list), ``raison`` (why it was
cancelled), ``remplace_le`` (the date it moved to) and ``vehicule``. Every problem of the file is
reported at once, with its line, column and value; nothing is kept from a file with one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from planner.domain.commune import Commune
from planner.domain.names import normalize_name
from planner.domain.outcome import CANCELLED, HELD, PLANNED, SeasonHistory, StopOutcome
from planner.domain.problems import DataError, Problem
from planner.inputs.columns import aliases_of
from planner.inputs.rows import Rows
from planner.inputs.table import Source, open_table

COMMUNE_COLUMNS = aliases_of("insee_com") + aliases_of("commune")
REQUIRED = (("date",), COMMUNE_COLUMNS, ("participants",))
STATUS_WORDS = {
    HELD: HELD, CANCELLED: CANCELLED, PLANNED: PLANNED,
    "tenu": HELD, "réalisé": HELD, "realise": HELD, "fait": HELD, "oui": HELD,
    "annulé": CANCELLED, "annule": CANCELLED, "non": CANCELLED,
    "prévu": PLANNED, "prevu": PLANNED, "à venir": PLANNED, "a venir": PLANNED,
}
OPTIONAL = {  # field -> accepted headers, first match wins
    "status": ("statut", "status", "etat", "état"),
    "signups": ("inscrits", "inscriptions", "signups"),
    "waiting": ("liste_attente", "liste d'attente", "attente", "waiting"),
    "reason": ("raison", "motif", "reason"),
    "replaced_by": ("remplace_le", "remplacé_le", "reporte_au", "reporté_au", "replaced_by"),
    "vehicle": ("vehicule", "véhicule", "vehicle"),
}
MAX_PARTICIPANTS = 1000  # seniors at one stop day: a bus seats 24, a figure beyond is a typo


def read_outcomes(source: Source, communes: Mapping[str, Commune], default_vehicle: str = "") -> tuple[StopOutcome, ...]:
    """The outcomes of a file, each in a commune of ``communes`` (the territory); DataError with
    every problem of the file."""
    table = open_table(source, required=REQUIRED)
    commune_column = next(c for c in COMMUNE_COLUMNS if c in table.columns)
    columns = {name: next((h for h in headers if h in table.columns), "") for name, headers in OPTIONAL.items()}
    by_name: dict[str, list[str]] = {}
    for code, commune in communes.items():
        by_name.setdefault(normalize_name(commune.name), []).append(code)
    rows: Rows[StopOutcome] = Rows(table)
    cells = rows.cells

    def count(row: int, field: str, values: dict[str, str], column: str = "") -> int | None:
        column = column or columns[field]
        text = values.get(column, "") if column else ""
        if not text.strip():
            return None
        number = cells.number(row, column, text, minimum=0, maximum=MAX_PARTICIPANTS)
        if number is not None and not float(number).is_integer():
            cells.fail(row, column, text, "nombre entier attendu")
            return None
        return None if number is None else int(number)

    def outcome(row: int, values: dict[str, str]) -> StopOutcome | None:
        day = cells.date(row, "date", values.get("date", ""), required=True)
        code = _commune(rows, row, commune_column, values.get(commune_column, ""), communes, by_name)
        participants = count(row, "participants", values, "participants")
        status_text = values.get(columns["status"], "") if columns["status"] else ""
        status = cells.choice(row, columns["status"], status_text, STATUS_WORDS,
                              allowed="tenu, annulé, prévu") if status_text.strip() else None
        if status is None and not status_text.strip():
            status = HELD if participants is not None else None
            if status is None and not rows.failed():
                cells.fail(row, "participants", "", "participants manquants (ou indiquez « annulé » dans la colonne "
                                                    "statut)")
        if status == CANCELLED and participants:
            cells.fail(row, "participants", values.get("participants", ""), "un arrêt annulé n'a pas de participants")
        replaced_text = values.get(columns["replaced_by"], "") if columns["replaced_by"] else ""
        replaced = cells.date(row, columns["replaced_by"], replaced_text) if replaced_text.strip() else None
        if replaced is not None and status != CANCELLED:
            cells.fail(row, columns["replaced_by"], replaced_text, "seul un arrêt annulé est remplacé à une autre date")
        if day is not None and code is not None:
            rows.once((day, code), row, "date", values.get("date", ""), "arrêt de ce jour dans cette commune")
        signups, waiting = count(row, "signups", values), count(row, "waiting", values)
        if rows.failed():
            return None
        vehicle = (values.get(columns["vehicle"], "") if columns["vehicle"] else "").strip() or default_vehicle
        reason = values.get(columns["reason"], "").strip() if columns["reason"] else ""
        return StopOutcome(day, vehicle, code, status, signups=signups, waiting=waiting, participants=participants,
                           reason=reason, replaced_by=replaced)

    found = rows.parse(outcome)
    if not found:
        raise DataError([Problem(table.file, 0, "", "", "aucun arrêt dans le fichier")])
    return found


def _commune(rows: Rows, row: int, column: str, text: str, communes: Mapping[str, Commune],
             by_name: dict[str, list[str]]) -> str | None:
    """A commune of the territory by its INSEE code, or by its name when the name is unique there."""
    value = text.strip()
    if value[:1].isdigit() or (value.upper().startswith(("2A", "2B")) and len(value) == 5):
        code = rows.cells.insee(row, column, value)
        if code is not None and code not in communes:
            rows.cells.fail(row, column, value, "commune hors du territoire")
            return None
        return code
    if not value:
        rows.cells.fail(row, column, text, "commune manquante (code INSEE ou nom)")
        return None
    codes = by_name.get(normalize_name(value), [])
    if len(codes) == 1:
        return codes[0]
    if codes:
        rows.cells.fail(row, column, value, f"plusieurs communes de ce nom ({', '.join(codes)}) : donnez le code INSEE")
    else:
        rows.cells.fail(row, column, value, "commune inconnue du territoire (code INSEE ou nom exact attendu)")
    return None


def season_label(days: list[dt.date] | tuple[dt.date, ...]) -> str:
    """« 2026-2027 » for a season across two years, « 2026 » within one."""
    if not days:
        return ""
    first, last = min(days).year, max(days).year
    return str(first) if first == last else f"{first}-{last}"


def read_history(source: Source, communes: Mapping[str, Commune], label: str = "") -> SeasonHistory:
    """A past season from a file (see ``read_outcomes``), labelled by its years unless ``label``."""
    outcomes = read_outcomes(source, communes)
    return SeasonHistory(label or season_label([o.date for o in outcomes]), outcomes)
