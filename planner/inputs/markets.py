"""Reading market tables: the shipped data/markets.csv or markets a user adds."""

from __future__ import annotations

from planner.domain.commune import Commune
from planner.domain.market import FREQUENCY_KINDS, STATUS_LABELS, STATUSES, Market
from planner.domain.weekdays import FRENCH, WEEKDAY_NAMES
from planner.inputs.columns import aliases_of, canonical
from planner.inputs.rows import Rows
from planner.inputs.table import Source, open_table

FREQUENCY_WORDS = {k: k for k in FREQUENCY_KINDS} | {
    "hebdomadaire": "weekly", "hebdo": "weekly", "chaque semaine": "weekly",
    "mensuel": "monthly", "occasionnel": "occasional", "ponctuel": "one_off",
    "inconnu": "unknown", "non précisé": "unknown",
}

STATUS_WORDS = {k: k for k in STATUSES} | {label: code for code, label in STATUS_LABELS.items()} | {
    "confirme": "confirmed", "a confirmer": "unconfirmed", "non confirmé": "unconfirmed"}

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
        months = _months(rows, row, values.get("months", values.get("mois", "")))
        status_col = "status" if "status" in values else "statut"
        status_text = values.get(status_col, "")
        # A user's own row is what they know: confirmed unless they say otherwise.
        status = rows.cells.choice(row, status_col, status_text, STATUS_WORDS) if status_text.strip() else "confirmed"
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
            months=months,
            status=status or "confirmed",
        )

    return rows.parse(market)


def _months(rows: Rows, row: int, text: str) -> tuple[int, ...]:
    """Months 1-12 of « 4|5|6 » or « 4,5,6 »; empty: all year."""
    months = []
    for part in filter(None, (p.strip() for p in text.replace(",", "|").split("|"))):
        if not part.isdigit() or not 1 <= int(part) <= 12:
            rows.cells.fail(row, "months", text, "mois attendus de 1 à 12, séparés par « | »")
            return ()
        months.append(int(part))
    return tuple(months)


def _frequency_kind(text: str) -> str:
    low = text.strip().lower()
    for word, kind in FREQUENCY_WORDS.items():
        if low.startswith(word):
            return kind
    return "unknown"
