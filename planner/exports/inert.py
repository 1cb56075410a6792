"""Text from users never becomes a live formula in a file we hand out (CSV/formula injection).

A spreadsheet runs a cell that starts with = + - @ (or a tab / carriage return before them) as a
formula: a commune name or a request note such as ``=HYPERLINK("http://x","y")`` would become a
link, or worse, in the planner's or a host's spreadsheet. Workbook cells holding such text are
typed as strings with Excel's quote prefix (shown as typed, kept as text when edited); CSV cells
get a leading apostrophe, the convention spreadsheets read as "text follows".
"""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def risky(text: str) -> bool:
    return text.startswith(FORMULA_START)


def set_value(cell: Cell, value) -> None:
    """``cell.value = value``, a string always kept as text (never a formula, no illegal XML character)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        if risky(value):
            cell.data_type = "s"
            cell.quotePrefix = True
        return
    cell.value = value


def csv_text(value) -> str:
    """A CSV cell: user text starting like a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if risky(text) else text
