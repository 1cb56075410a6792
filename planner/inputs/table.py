"""Reading user tables (CSV or XLSX) as text cells with the row numbers the user sees.

French public data comes as UTF-8 (often with a BOM) or Windows-1252, separated by semicolons or
commas, and INSEE spreadsheets put title lines above the header. This module hides all of that
and gives the validators plain strings, so that every check can quote the cell as it was typed.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from planner.domain.formatting import fr_number
from planner.domain.problems import DataError, Problem

HEADER_SEARCH_ROWS = 20
MAX_CELL_CHARS = 10_000  # a note of a page; a 1 MiB cell is a broken export, not data
MAX_ROWS = 200_000  # more rows than every commune of France: a sheet beyond is not a table of ours
MAX_COLUMNS = 200  # our tables have a few dozen columns; a sheet declaring 16,384 (A1:XFD...) is refused
DELIMITERS = (";", ",", "\t", "|")
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # long cells are refused by MAX_CELL_CHARS, with their line


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
    if path.is_dir():
        raise DataError([Problem(path.name, 0, "", str(path), "est un dossier : donnez un fichier CSV ou XLSX")])
    if not path.is_file():
        raise DataError([Problem(path.name, 0, "", str(path), "fichier introuvable")])
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError([Problem(path.name, 0, "", str(path), f"fichier illisible : {exc.strerror or exc}")]) from exc
    return table_from_bytes(data, path.name, required, sheet)


def table_from_bytes(data: bytes, name: str, required: Required = (), sheet: str | None = None) -> Table:
    """A CSV or XLSX file's content (an upload), by the extension of ``name``."""
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_table(data, name, required, sheet)
    if suffix in (".csv", ".txt", ".tsv", ""):
        grid, lines = _csv_grid(data, name)
        return _to_table(name, grid, required, lines)
    raise DataError([Problem(name, 0, "", suffix, "format non pris en charge : utilisez un fichier CSV ou XLSX")])


def rows_table(name: str, rows: Iterable[dict], required: Required = ()) -> Table:
    """Rows given as dicts (a scenario's uploaded table) as a Table named ``name``, rows numbered from 1."""
    cells = [{str(k).strip().lower(): _cell_text(v).strip() for k, v in row.items()} for row in rows]
    too_long = [Problem(name, i, column, value, _too_long(value))
                for i, row in enumerate(cells, start=1) for column, value in row.items() if len(value) > MAX_CELL_CHARS]
    if too_long:
        raise DataError(too_long)
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


def decode_text(data: bytes, name: str = "fichier") -> str:
    """UTF-8 (with or without BOM), UTF-16 (Excel's "texte Unicode") or Windows-1252, the usual
    French export; DataError for a file mixing UTF-8 and Windows-1252 lines (it would otherwise be
    read as mojibake) and for a binary file."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(_decode(data, "utf-16", name), name)
    if len(data) >= 4 and data[1::2].count(0) > 0.4 * (len(data) // 2) and data[0::2].count(0) < len(data) // 8:
        return _checked(_decode(data, "utf-16-le", name), name)
    if len(data) >= 4 and data[0::2].count(0) > 0.4 * (len(data) // 2) and data[1::2].count(0) < len(data) // 8:
        return _checked(_decode(data, "utf-16-be", name), name)
    try:
        return _checked(data.decode("utf-8-sig"), name)
    except UnicodeDecodeError:
        pass
    if UTF8_SEQUENCE.search(data):
        bad = []
        for number, line in enumerate(data.splitlines(), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                bad.append(Problem(name, number, "", line.decode("cp1252", errors="replace")[:60],
                                   "encodage mélangé : cette ligne est en Windows-1252, d'autres en UTF-8 ; "
                                   "réenregistrez le fichier en UTF-8"))
        raise DataError(bad[:20])
    return _checked(data.decode("cp1252", errors="replace"), name)


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DataError([Problem(name, 0, "", "", f"fichier {encoding.upper()} illisible (octet {exc.start})")]) from exc


def _checked(text: str, name: str) -> str:
    """The text, unless it holds NUL characters: a binary file (a PDF, an .xls) renamed .csv."""
    if "\x00" in text:
        raise DataError([Problem(name, 0, "", "", "fichier binaire, pas un texte CSV : enregistrez-le en CSV (UTF-8) "
                                                  "ou en classeur XLSX")])
    return text


def _csv_grid(data: bytes, name: str) -> tuple[list[list[str]], list[int]]:
    """The rows of a CSV text and the line each starts on. The delimiter is the one of ; , tab |
    most frequent on the first line; a quote left open (which would swallow the rows after it
    into one cell) is an error, never a silent merge."""
    text = decode_text(data, name)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(DELIMITERS, key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    grid, lines, problems = [], [], []
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(name, line, "", "", _csv_error(str(exc), line, reader.line_num)))
            break
        for j, cell in enumerate(row):
            if "\n" in cell and (delimiter in cell or cell.count("\n") > 2):
                problems.append(Problem(name, line, "", cell, f"guillemet non fermé : les lignes {line} à "
                                        f"{reader.line_num} sont lues comme une seule cellule (colonne {j + 1})"))
            elif len(cell) > MAX_CELL_CHARS:
                problems.append(Problem(name, line, "", cell, _too_long(cell)))
        grid.append(row)
        lines.append(line)
        line = reader.line_num + 1
        if len(grid) > MAX_ROWS + HEADER_SEARCH_ROWS:  # refused as it is read: never a million rows in memory
            raise DataError([Problem(name, line, "", "", f"plus de {fr_number(MAX_ROWS)} lignes : ce n'est pas un "
                                     "tableau de communes, de marchés ou de demandes (au plus une ligne par commune "
                                     "et par jour)")])
    if problems:
        raise DataError(problems[:50])
    return grid, lines


def _csv_error(message: str, line: int, last: int) -> str:
    if "end of data" in message or "EOF" in message:
        return f"guillemet ouvert ligne {line} jamais fermé : la fin du fichier (ligne {last}) serait lue comme une cellule"
    if "expected after" in message:
        return f"guillemet mal placé ou non fermé à partir de la ligne {line} (jusqu'à la ligne {last})"
    if "larger than field limit" in message:
        return f"cellule trop longue (plus de {MAX_CELL_CHARS} caractères)"
    return f"ligne CSV illisible ({message})"


def _too_long(value: str) -> str:
    return f"cellule trop longue ({len(value)} caractères, au plus {MAX_CELL_CHARS})"


def _xlsx_table(data: bytes, name: str, required: Required, sheet: str | None) -> Table:
    """The table of the named sheet, or of the first sheet holding the ``required`` header (an
    INSEE workbook or a cover page may come first); DataError naming the sheets seen otherwise."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or mislabelled file
        raise DataError([Problem(name, 0, "", "", f"classeur illisible ({exc.__class__.__name__})")]) from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise DataError([Problem(name, 0, "", sheet, f"feuille absente (feuilles : {', '.join(book.sheetnames)})")])
        if sheet is not None:
            return _to_table(name, _sheet_grid(book[sheet], name), required)
        grids = [_sheet_grid(ws, name) for ws in book.worksheets]
        for grid in grids:
            if required and any(_has_all({c.strip().lower() for c in row}, required) for row in grid[:HEADER_SEARCH_ROWS]):
                return _to_table(name, grid, required)
        if required and len(grids) > 1:
            wanted = ", ".join(names[0] for names in required)
            raise DataError([Problem(name, 0, "", "", f"aucune feuille n'a l'en-tête attendu ({wanted}) ; "
                                                      f"feuilles vues : {', '.join(book.sheetnames)}")])
        return _to_table(name, grids[0] if grids else [], required)
    finally:
        book.close()


def _sheet_grid(ws, name: str = "classeur") -> list[list[str]]:
    """The sheet's cells as text, read row by row within MAX_ROWS x MAX_COLUMNS: a sheet that declares
    more (its <dimension>, e.g. A1:XFD200000) is refused before it is read, since openpyxl would
    expand each row to the declared width; a sheet whose declaration is false is read whole in its
    rows but never beyond column MAX_COLUMNS, where no table of ours has a column."""
    declared_rows, declared_columns = ws.max_row or 0, ws.max_column or 0
    if declared_rows > MAX_ROWS + HEADER_SEARCH_ROWS or declared_columns > MAX_COLUMNS:
        raise DataError([_too_big(name, ws.title, f"déclare {fr_number(declared_rows)} lignes et "
                                                  f"{fr_number(declared_columns)} colonnes")])
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # rows below a declared size too small are read, not dropped
    grid = []
    for row in ws.iter_rows(max_col=MAX_COLUMNS, values_only=True):
        cells = [_cell_text(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()  # trailing empty cells hold no data, only memory
        grid.append(cells)
        if len(grid) > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise DataError([_too_big(name, ws.title, f"a plus de {fr_number(MAX_ROWS)} lignes")])
    return grid


def _too_big(name: str, sheet: str, what: str) -> Problem:
    return Problem(name, 0, "", sheet, f"la feuille « {sheet} » {what} : au plus {fr_number(MAX_ROWS)} lignes et {MAX_COLUMNS} "
                   "colonnes (supprimez les lignes et colonnes vides au-delà du tableau, ou copiez le tableau seul dans "
                   "un nouveau classeur)")


def _cell_text(value) -> str:
    """Text of a spreadsheet cell as a user would read it (12.0 -> '12', dates in ISO 8601)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _has_all(cells: set[str], required: Required) -> bool:
    return all(any(alias in cells for alias in names) for names in required)


def _to_table(name: str, grid: list[list[str]], required: Required, lines: list[int] | None = None) -> Table:
    """The table of a grid; ``lines`` gives the file line of each grid row (CSV cells may span lines)."""
    line_of = (lambda i: lines[i]) if lines is not None else (lambda i: i + 1)
    too_long = [Problem(name, line_of(i), "", c, _too_long(c)) for i, row in enumerate(grid) for c in row
                if len(c) > MAX_CELL_CHARS]
    if too_long:
        raise DataError(too_long[:50])
    header_index = None
    for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        if required and _has_all({c.strip().lower() for c in row}, required):
            header_index = i
            break
    if header_index is None:
        header_index = next((i for i, row in enumerate(grid) if any(c.strip() for c in row)), None)
        if header_index is None:
            raise DataError([Problem(name, 0, "", "", "fichier vide")])
        _check_header(name, grid[header_index], line_of(header_index), required)
    header = [c.strip().lower() for c in grid[header_index]]
    problems = [
        Problem(name, line_of(header_index), col, col, "colonne en double dans l'en-tête")
        for j, col in enumerate(header) if col and col in header[:j]
    ]
    if problems:
        raise DataError(problems)
    rows = []
    for index in range(header_index + 1, len(grid)):
        row = grid[index]
        if not any(c.strip() for c in row):
            continue
        cells = {col: (row[j].strip() if j < len(row) else "") for j, col in enumerate(header) if col}
        rows.append((line_of(index), cells))
    return Table(name, tuple(c for c in header if c), tuple(rows), line_of(header_index))


def _check_header(name: str, row: list[str], line: int, required: Required) -> None:
    """DataError for each required column missing from a header, saying when the file seems cut
    by another delimiter than ; , tab or | (one column holding them all)."""
    columns = tuple(c.strip().lower() for c in row)
    try:
        with_columns(Table(name, columns, (), line), required)
    except DataError as exc:
        if len([c for c in columns if c]) == 1 and any(ch in columns[0] for ch in ":/ "):
            raise DataError([Problem(name, line, "", row[0], "une seule colonne lue : séparateur inconnu "
                                                             "(attendu : point-virgule, virgule, tabulation ou |)")]) from exc
        raise


def _missing_message(names: tuple[str, ...]) -> str:
    if len(names) == 1:
        return "colonne obligatoire absente de l'en-tête"
    return f"colonne obligatoire absente de l'en-tête (noms acceptés : {', '.join(names)})"
