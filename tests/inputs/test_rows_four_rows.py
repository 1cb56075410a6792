"""The row loop every loader shares (planner/inputs/rows.py), on a four-row table of communes and
counts: row 2 good, row 3 a bad code, row 4 a duplicate of row 2, row 5 a commune outside the
list. Every problem of the table is reported at once, each naming its file, row, column and value,
and only rows without a problem are kept."""

from __future__ import annotations

import pytest

from planner.domain.problems import DataError, Problem
from planner.inputs.rows import Rows
from planner.inputs.table import Table

KNOWN = {"18033": "Bourges", "18145": "Menetou-Salon"}


def table(*rows: tuple[str, str]) -> Table:
    return Table("communes.csv", ("insee_com", "n"),
                 tuple((i + 2, {"insee_com": code, "n": n}) for i, (code, n) in enumerate(rows)))


def parse(rows: Rows, row: int, cells: dict[str, str]):
    code = rows.commune(row, "insee_com", cells["insee_com"], KNOWN)
    if code is not None:
        rows.once(code, row, "insee_com", code, "commune")
    count = rows.cells.number(row, "n", cells["n"], required=True)
    if rows.failed():
        return None
    return code, count


def test_good_rows_come_back_in_order():
    rows: Rows = Rows(table(("18033", "2"), ("18145", "3,5")))
    assert rows.parse(lambda row, cells: parse(rows, row, cells)) == (("18033", 2.0), ("18145", 3.5))


def test_every_problem_of_the_table_is_reported_at_once():
    rows: Rows = Rows(table(("18033", "2"), ("1803", "1"), ("18033", "x"), ("18999", "4")))
    with pytest.raises(DataError) as error:
        rows.parse(lambda row, cells: parse(rows, row, cells))
    assert error.value.problems == [
        Problem("communes.csv", 3, "insee_com", "1803",
                "code INSEE sur 4 chiffres : le zéro initial a-t-il été perdu (01803) ?"),
        Problem("communes.csv", 4, "insee_com", "18033", "commune en double (déjà ligne 2)"),
        Problem("communes.csv", 4, "n", "x", "nombre attendu"),
        Problem("communes.csv", 5, "insee_com", "18999", "commune inconnue"),
    ]


def test_a_row_with_a_problem_gives_nothing_even_if_its_parser_returns_an_object():
    """The loop, not each parser, drops a row that recorded a problem: here the parser returns its
    row number whatever happens, and the bad row 3 is still left out (then reported)."""
    rows: Rows = Rows(table(("18033", "1"), ("18033", "1")))
    kept = []

    def careless(row, cells):
        rows.once(cells["insee_com"], row, "insee_com", cells["insee_com"], "commune")
        kept.append((row, rows.failed()))
        return row

    with pytest.raises(DataError):
        rows.parse(careless)
    assert kept == [(2, False), (3, True)]


def test_rows_the_parser_skips_are_not_kept_and_not_problems():
    rows: Rows = Rows(table(("18033", "1"), ("", ""), ("18145", "2")))
    assert rows.parse(lambda row, cells: None if not cells["insee_com"] else row) == (2, 4)


def test_an_empty_table_gives_no_rows():
    rows: Rows = Rows(table())
    assert rows.parse(lambda row, cells: row) == ()
