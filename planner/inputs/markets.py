"""Reading market tables: the shipped data/markets.csv or markets a user adds."""

from __future__ import annotations

from planner.domain.commune import Commune
from planner.domain.market import FREQUENCY_KINDS, Market
from planner.domain.weekdays import FRENCH, WEEKDAY_NAMES
from planner.inputs.columns import aliases_of, canonical
from planner.inputs.rows import Rows
from planner.inputs.table import Source, open_table

FREQUENCY_WORDS = {k: k for k in FREQUENCY_KINDS} | {
    "hebdomadaire": "weekly", "hebdo": "weekly", "chaque semaine": "weekly",
    "mensuel": "monthly", "occasionnel": "occasional", "ponctuel": "one_off",
    "inconnu": "unknown", "non précisé": "unknown",
}

REQUIRED = (aliases_of("insee_com"), ("weekday", "jour"))  # the header row is the first holding these columns


def read_markets(source: Source, communes: dict[str, Commune]) -> tuple[Market, ...]:
    """Markets of a file; the weekday may be empty (market known, day unknown) but not wrong."""
    table = open_table(source, required=REQUIRED)
    cols = canonical(table, "insee_com")
    day_col = "weekday" if "weekday" in table.columns else "jour"
    rows: Rows[Market] = Rows(table)

    def market(row: int, values: dict[str, str]) -> Market | None:
        code = rows.commune(row, cols["insee_com"], values.get(cols["insee_com"], ""), communes)
        day_text = values.get(day_col, "")
        weekday = rows.cells.choice(row, day_col, day_text, WEEKDAY_NAMES, allowed=", ".join(FRENCH)) if day_text else None
        kind_text = values.get("frequency_kind") or values.get("frequency") or values.get("frequence", "")
        # A user row with a day and no frequency at all is a weekly market (documented in README).
        kind = _frequency_kind(kind_text) if kind_text or weekday is None else "weekly"
        if weekday is not None:
            rows.once((code, weekday, values.get("place", ""), values.get("time_of_day", "")), row, day_col, day_text,
                      "marché")
        if rows.failed():
            return None
        return Market(
            insee=code,
            commune=communes[code].name,
            weekday=weekday,
            time_of_day=values.get("time_of_day", values.get("horaire", "")),
            place=values.get("place", values.get("lieu", "")),
            frequency=values.get("frequency", values.get("frequence", "")),
            frequency_kind=kind,
            season=values.get("season", values.get("saison", "")),
            confidence=values.get("confidence", values.get("fiabilite", "")),
            source=values.get("source_url", values.get("source", table.file)),
        )

    return rows.parse(market)


def _frequency_kind(text: str) -> str:
    low = text.strip().lower()
    for word, kind in FREQUENCY_WORDS.items():
        if low.startswith(word):
            return kind
    return "unknown"
