"""House style of Tournée's printed workbooks: a table sheet that fits an A4 landscape page.

``Sheet`` writes a titled table with real typed cells, column widths from the content, a frozen
and repeated header row, page numbers and a legend; the season and host workbooks both use it.
Widths are estimated for Arial 10 (Liberation Sans in LibreOffice has the same metrics).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from planner.exports.inert import set_value

FONT = "Arial"  # Liberation Sans has the same metrics, so LibreOffice prints what Excel shows
FORMATS = {"date": "DD/MM/YYYY", "int": "#,##0", "dec1": "#,##0.0", "pct": "0%"}
CHAR = 0.95  # column width units per character of Arial 10 text (a unit is the width of its digit "0")
DIGIT = 1.0  # per character of a number or a date
BOLD = 1.07
PAD = 1.6
LINE_PT = 12.75
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
CLOSED_FILL = PatternFill("solid", fgColor="E4E4E4")  # closed days and days without a stop
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
QUIET = Font(name=FONT, size=10, color="808080")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass(frozen=True)
class Column:
    """A table column: ``kind`` sets the number format (date, int, dec1, pct; text otherwise)."""

    header: str
    kind: str = "text"
    max_width: float = 40.0
    min_width: float = 4.0


class Sheet:
    """A worksheet written top to bottom (titles, notes, tables), then laid out for A4 printing.

    Column widths come from the cells actually written; long text wraps within ``max_width`` and
    row heights are set from the wrapped line count, since neither Excel nor LibreOffice resizes
    rows of a generated file reliably.
    """

    def __init__(self, ws: Worksheet, span: int, heading: str, footer: str) -> None:
        self.ws = ws
        self.span = span  # columns that titles and notes are merged across
        self.heading = heading
        self.footer = footer
        self.row = 1
        self.widths: dict[int, float] = defaultdict(lambda: 4.0)
        self.caps: dict[int, float] = {}
        self.merged: list[tuple[int, str, float]] = []  # (row, text, font size)
        self.wrapped: dict[int, list[tuple[int, str, bool]]] = defaultdict(list)  # row -> (column, text, bold)
        self.header_row: int | None = None

    def title(self, text: str) -> None:
        self._merged_text(text, Font(name=FONT, size=14, bold=True), 14)

    def note(self, text: str, *, bold: bool = False, quiet: bool = False) -> None:
        font = QUIET if quiet else Font(name=FONT, size=10, bold=bold)
        self._merged_text(text, font, 10)

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def page_break(self) -> None:
        self.ws.row_breaks.append(Break(id=self.row - 1))

    def table(self, columns: list[Column], rows: list[list], *, total: list | None = None, height: float | None = None,
              fills: dict[int, PatternFill] | None = None) -> int:
        """Header, body and an optional bold total row; returns the header's row number.

        ``fills`` shades body rows by their index in ``rows`` (closed days)."""
        header_row = self.row
        if self.header_row is None:
            self.header_row = header_row
        for j, column in enumerate(columns, start=1):
            cell = self.ws.cell(header_row, j)
            set_value(cell, column.header)
            cell.font = Font(name=FONT, size=10, bold=True)
            cell.fill = HEADER_FILL
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            # Headers wrap, on three lines at most.
            longest_word = max(len(w) for w in column.header.split())
            needed = max(longest_word + 1, math.ceil(len(column.header) / 3) + 2) * CHAR * BOLD + PAD
            self.widths[j] = max(self.widths[j], column.min_width, needed)
            self.caps[j] = max(self.caps.get(j, 0.0), column.max_width)
            self.wrapped[header_row].append((j, column.header, True))
        self.row += 1
        for n, values in enumerate(rows):
            self._row(columns, values, bold=False, height=height, fill=(fills or {}).get(n))
        if total is not None:
            self._row(columns, total, bold=True, height=None)
        return header_row

    def finish(self, *, freeze: bool = True, repeat_header: bool = True) -> None:
        """Widths, row heights, frozen header, and the print setup (A4 landscape, fit to width)."""
        ws = self.ws
        for j, width in self.widths.items():
            ws.column_dimensions[get_column_letter(j)].width = round(min(width, self.caps.get(j, width)), 1)
        for row, cells in self.wrapped.items():
            lines = max(_line_count(text, self._width(j), bold) for j, text, bold in cells)
            if lines > 1:
                ws.row_dimensions[row].height = LINE_PT * lines + 2
        spanned = sum(self._width(j) for j in range(1, self.span + 1))
        for row, text, size in self.merged:
            lines = _line_count(text, spanned * 10 / size, False)
            ws.row_dimensions[row].height = (LINE_PT * size / 10) * lines + 4
        if self.header_row is not None:
            if freeze:
                ws.freeze_panes = f"A{self.header_row + 1}"
            if repeat_header:
                ws.print_title_rows = f"{self.header_row}:{self.header_row}"
        print_setup(ws, self.heading, self.footer)

    def _width(self, j: int) -> float:
        return min(self.widths[j], self.caps.get(j, self.widths[j]))

    def _row(self, columns: list[Column], values: list, *, bold: bool, height: float | None,
             fill: PatternFill | None = None) -> None:
        r = self.row
        for j, (column, value) in enumerate(zip(columns, values), start=1):
            cell = self.ws.cell(r, j)
            set_value(cell, _cell_value(value))
            cell.font = Font(name=FONT, size=10, bold=bold)
            cell.border = BOX
            if bold or fill is not None:
                cell.fill = fill or TOTAL_FILL
            numeric = isinstance(value, (int, float, dt.date)) and not isinstance(value, bool)
            if isinstance(value, dt.date):
                cell.number_format = FORMATS["date"]
            elif numeric and column.kind in FORMATS:
                cell.number_format = FORMATS[column.kind]
            # A number in a text column (a parameter's value) reads as text: aligned left.
            # Dates are centred, so that a date never reads glued to the text of the next column.
            right = numeric and column.kind != "text"
            horizontal = "center" if isinstance(value, dt.date) else "right" if right else "left"
            cell.alignment = Alignment(wrap_text=not numeric, vertical="top", horizontal=horizontal)
            text = _display(value, column.kind)
            per_char = (DIGIT if numeric else CHAR) * (BOLD if bold else 1.0)
            if numeric or "\n" in text:
                needed = max(len(line) for line in text.split("\n")) * per_char + PAD
            else:
                needed = len(text) * per_char + PAD
            self.widths[j] = max(self.widths[j], needed)
            if not numeric and text:
                self.wrapped[r].append((j, text, bold))
        if height:
            self.ws.row_dimensions[r].height = height
        self.row += 1

    def _merged_text(self, text: str, font: Font, size: float) -> None:
        cell = self.ws.cell(self.row, 1)
        set_value(cell, text)
        cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if self.span > 1:
            self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.span)
        self.merged.append((self.row, text, size))
        self.row += 1


def new_workbook() -> Workbook:
    """An empty workbook whose default font is Arial 10.

    Column widths are counted in digits of the default font: with Excel's Calibri default they
    would print wider or narrower wherever Calibri is missing (LibreOffice on Linux), whereas
    Arial exists on Windows and macOS and has a metric twin, Liberation Sans, elsewhere.
    """
    workbook = Workbook()
    workbook._named_styles["Normal"].font = Font(name=FONT, size=10)  # openpyxl has no public setter
    return workbook


def finish_alike(sheets: list[Sheet], **finish) -> None:
    """Finish sheets of the same table with the same column widths, so that printed pages line up."""
    widths: dict[int, float] = defaultdict(float)
    for sheet in sheets:
        for j, width in sheet.widths.items():
            widths[j] = max(widths[j], width)
    for sheet in sheets:
        sheet.widths.update(widths)
        sheet.finish(**finish)


def print_setup(ws: Worksheet, heading: str, footer: str) -> None:
    """A4 landscape, one page wide and as many tall as needed, with headers and page numbers."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.7, bottom=0.7, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.oddHeader.left.text = _escape(heading)
    ws.oddHeader.right.text = "&A"
    ws.oddFooter.left.text = _escape(footer)
    ws.oddFooter.right.text = "Page &P / &N"


def _escape(text: str) -> str:
    return text.replace("&", "&&")


def _cell_value(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _display(value, kind: str) -> str:
    """The text a spreadsheet shows for a value, to size its column."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, dt.date):
        return "00/00/0000"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if kind == "int":
        return f"{value:,.0f}"
    if kind == "dec1":
        return f"{value:,.1f}"
    if kind == "pct":
        return f"{value:.0%}"
    return f"{value:g}"


def _line_count(text: str, width: float, bold: bool) -> int:
    """Lines a text takes once word-wrapped in a column of ``width`` units."""
    per_line = max(1, int((width - PAD) / (CHAR * (BOLD if bold else 1.0))))
    lines = 0
    for paragraph in str(text).split("\n"):
        used = 0
        lines += 1
        for word in paragraph.split():
            if used and used + 1 + len(word) > per_line:
                lines += 1
                used = 0
            used += (1 if used else 0) + len(word)
            while used > per_line:  # a word longer than the line breaks anywhere
                lines += 1
                used -= per_line
    return lines


# --- the season workbook ------------------------------------------------------------------------
