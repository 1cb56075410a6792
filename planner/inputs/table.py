"""Reading user tables (CSV or XLSX) as text cells with the row numbers the user sees.

French public data comes as UTF-8 (often with a BOM) or Windows-1252, separated by semicolons or
commas, and INSEE spreadsheets put title lines above the header. This module hides all of that
and gives the validators plain strings, so that every check can quote the cell as it was typed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from planner.domain.problems import DataError, Problem

HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Table:
    """Cells of a file as strings, keyed by lower-cased header; ``rows`` pairs each with its line."""

    file: str
    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]
    header_row: int = 1


Required = tuple[tuple[str, ...], ...]


def read_table(path: str | Path, required: Required = (), sheet: str | None = None) -> Table:
    """Read a CSV or XLSX file; the header is the first row holding every ``required`` column.

    Each entry of ``required`` lists the accepted names of one column (its aliases).
    """
    path = Path(path)
    if not path.is_file():
        raise DataError([Problem(path.name, 0, "", str(path), "fichier introuvable")])
    return table_from_bytes(path.read_bytes(), path.name, required, sheet)


def table_from_bytes(data: bytes, name: str, required: Required = (), sheet: str | None = None) -> Table:
    """A CSV or XLSX file's content (an upload), by the extension of ``name``."""
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        grid = _xlsx_grid(data, name, sheet)
    elif suffix in (".csv", ".txt", ".tsv", ""):
        grid = _csv_grid(data)
    else:
        raise DataError([Problem(name, 0, "", suffix, "format non pris en charge : utilisez un fichier CSV ou XLSX")])
    return _to_table(name, grid, required)


def rows_table(name: str, rows: Iterable[dict], required: Required = ()) -> Table:
    """Rows given as dicts (a scenario's uploaded table) as a Table named ``name``, rows numbered from 1."""
    cells = [{str(k).strip().lower(): _cell_text(v).strip() for k, v in row.items()} for row in rows]
    columns = tuple(dict.fromkeys(k for row in cells for k in row if k))
    table = Table(name, columns, tuple((i, row) for i, row in enumerate(cells, start=1)), 0)
    return with_columns(table, required)


def with_columns(table: Table, required: Required) -> Table:
    """The table, if it has every ``required`` column; else DataError naming each missing one."""
    present = set(table.columns)
    missing = [names for names in required if not any(a in present for a in names)]
    if missing:
        raise DataError([Problem(table.file, table.header_row, names[0], "", _missing_message(names)) for names in missing])
    return table


Source = str | Path | Table  # a file, or a table already read (uploaded rows, a file read earlier)


def open_table(source: Source, required: Required = ()) -> Table:
    """The table of a loader's source: read when it is a path, checked for ``required`` when given."""
    if isinstance(source, Table):
        return with_columns(source, required)
    return read_table(source, required)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) when it decodes, else Windows-1252, the usual French export."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_grid(data: bytes) -> list[list[str]]:
    text = decode_text(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _xlsx_grid(data: bytes, name: str, sheet: str | None) -> list[list[str]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or mislabelled file
        raise DataError([Problem(name, 0, "", "", f"classeur illisible ({exc.__class__.__name__})")]) from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise DataError([Problem(name, 0, "", sheet, f"feuille absente (feuilles : {', '.join(book.sheetnames)})")])
        ws = book[sheet] if sheet else book.worksheets[0]
        return [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        book.close()


def _cell_text(value) -> str:
    """Text of a spreadsheet cell as a user would read it (12.0 -> '12', dates in ISO 8601)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _has_all(cells: set[str], required: Required) -> bool:
    return all(any(alias in cells for alias in names) for names in required)


def _to_table(name: str, grid: list[list[str]], required: Required) -> Table:
    header_index = None
    for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        if required and _has_all({c.strip().lower() for c in row}, required):
            header_index = i
            break
    if header_index is None:
        header_index = next((i for i, row in enumerate(grid) if any(c.strip() for c in row)), None)
        if header_index is None:
            raise DataError([Problem(name, 0, "", "", "fichier vide")])
        with_columns(Table(name, tuple(c.strip().lower() for c in grid[header_index]), (), header_index + 1), required)
    header = [c.strip().lower() for c in grid[header_index]]
    problems = [
        Problem(name, header_index + 1, col, col, "colonne en double dans l'en-tête")
        for j, col in enumerate(header) if col and col in header[:j]
    ]
    if problems:
        raise DataError(problems)
    rows = []
    for offset, row in enumerate(grid[header_index + 1:], start=header_index + 2):
        if not any(c.strip() for c in row):
            continue
        cells = {col: (row[j].strip() if j < len(row) else "") for j, col in enumerate(header) if col}
        rows.append((offset, cells))
    return Table(name, tuple(c for c in header if c), tuple(rows), header_index + 1)


def _missing_message(names: tuple[str, ...]) -> str:
    if len(names) == 1:
        return "colonne obligatoire absente de l'en-tête"
    return f"colonne obligatoire absente de l'en-tête (noms acceptés : {', '.join(names)})"
