"""The row loop every loader shares: parse each row, collect the problems of the whole table, keep
the rows without one, and raise them all at once (the user fixes a file in one go)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from planner.domain.problems import DataError, Problem
from planner.inputs.cells import CellReader
from planner.inputs.table import Table

T = TypeVar("T")


class Rows(Generic[T]):
    def __init__(self, table: Table) -> None:
        self.table = table
        self.problems: list[Problem] = []
        self.cells = CellReader(table.file, self.problems)
        self._seen: dict = {}
        self._row_start = 0

    def parse(self, parse_row: Callable[[int, dict[str, str]], T | None]) -> tuple[T, ...]:
        """``parse_row(row, cells)`` for every row (None: nothing to keep); a row that recorded a
        problem gives nothing; DataError with every problem at the end."""
        items = []
        for row, values in self.table.rows:
            self._row_start = len(self.problems)
            item = parse_row(row, values)
            if item is not None and not self.failed():
                items.append(item)
        if self.problems:
            raise DataError(self.problems)
        return tuple(items)

    def failed(self) -> bool:
        """The row being parsed has a problem (its object need not be built)."""
        return len(self.problems) > self._row_start

    def once(self, key, row: int, column: str, text: str, what: str) -> None:
        """A key met on an earlier row is a duplicate: « <what> en double (déjà ligne N) », N its first row."""
        first = self._seen.setdefault(key, row)
        if first != row:
            self.cells.fail(row, column, text, f"{what} en double (déjà ligne {first})")

    def commune(self, row: int, column: str, text: str, communes: dict) -> str | None:
        """An INSEE code that must name one of ``communes``."""
        code = self.cells.insee(row, column, text)
        if code is not None and code not in communes:
            self.cells.fail(row, column, code, "commune inconnue")
        return code
