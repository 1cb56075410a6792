"""INSEE age tables (e.g. base-cc-evol-struct-pop-2021): 60-74 and 75+ per commune.

When a user supplies one, its 60+ count (P21_POP6074 + P21_POP75P) replaces the 65+ 2016
estimate for every commune the table covers; the others keep the estimate and say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from planner.domain.commune import Commune
from planner.domain.problems import DataError, Problem
from planner.inputs.columns import aliases_of
from planner.inputs.communes import MAX_POPULATION
from planner.inputs.rows import Rows
from planner.inputs.table import Source, open_table

_AGE_COLUMN = re.compile(r"^p(\d{2})_pop(6074|75p)$")

REQUIRED = (aliases_of("insee_com"),)  # the header row is the first holding these columns


@dataclass(frozen=True)
class AgeOverride:
    """Result of applying an age table: the updated communes and which ones it did not cover."""

    communes: tuple[Commune, ...]
    year: int
    replaced: int
    not_covered: tuple[str, ...]


def apply_age_table(source: Source, communes: tuple[Commune, ...]) -> AgeOverride:
    """Replace seniors by the 60+ of the table; raise DataError on any bad cell of a used row."""
    table = open_table(source, required=REQUIRED)
    code_col = next(a for a in aliases_of("insee_com") if a in table.columns)
    years = {}
    for column in table.columns:
        match = _AGE_COLUMN.match(column)
        if match:
            years.setdefault(int(match.group(1)), set()).add(match.group(2))
    complete = sorted(y for y, bands in years.items() if bands == {"6074", "75p"})
    if not complete:
        raise DataError([Problem(table.file, table.header_row, "P21_POP6074", "",
                                 "colonnes d'âge absentes : il faut Pxx_POP6074 et Pxx_POP75P (tables INSEE)")])
    yy = complete[-1]
    col_6074, col_75p = f"p{yy:02d}_pop6074", f"p{yy:02d}_pop75p"
    by_code = {c.insee: c for c in communes}
    wanted = set(by_code)
    rows: Rows[tuple[str, tuple[float, float]]] = Rows(table)

    def ages_of(row: int, values: dict[str, str]) -> tuple[str, tuple[float, float]] | None:
        code = rows.cells.insee(row, code_col, values.get(code_col, ""))
        if code is None or code not in wanted:
            return None
        rows.once(code, row, code_col, code, "commune")
        if rows.failed():
            return None
        a = rows.cells.number(row, col_6074.upper(), values.get(col_6074, ""), required=True, minimum=0,
                              maximum=MAX_POPULATION)
        b = rows.cells.number(row, col_75p.upper(), values.get(col_75p, ""), required=True, minimum=0,
                              maximum=MAX_POPULATION)
        population = by_code[code].population
        if a is not None and b is not None and population is not None and a + b > population:
            rows.cells.fail(row, col_6074.upper(), values.get(col_6074, ""),
                            f"plus de seniors ({a + b:g}) que d'habitants ({population:g})")
        return (code, (a, b)) if a is not None and b is not None else None

    found = dict(rows.parse(ages_of))
    if not found:
        raise DataError([Problem(table.file, 0, code_col, "", "aucune commune du territoire dans ce tableau")])
    basis = f"60+ en 20{yy:02d} (INSEE, {table.file})"
    updated = tuple(
        replace(c, seniors=sum(found[c.insee]), seniors_60_74=found[c.insee][0], seniors_75p=found[c.insee][1],
                seniors_basis=basis)
        if c.insee in found else c
        for c in communes
    )
    missing = tuple(c.insee for c in communes if c.insee not in found)
    return AgeOverride(updated, 2000 + yy, len(found), missing)
