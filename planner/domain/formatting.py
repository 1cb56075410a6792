"""French display of numbers and dates (UI text; files and APIs stay ISO 8601)."""

from __future__ import annotations

import datetime as dt


def fr_number(value: float, decimals: int = 0) -> str:
    """12345.6 -> '12 346' (or '12 345,6' with one decimal): French digit grouping."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",")


def fr_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def iso_week_label(day: dt.date) -> str:
    """'S37 2026': the ISO week used in sheet names and headings."""
    year, week, _ = day.isocalendar()
    return f"S{week:02d} {year}"


def plural(count: float, singular: str, plural_form: str | None = None) -> str:
    """« 1 point », « 2 points », « 0 arrêt imposé » (French: 0 and 1 take the singular);
    ``plural_form`` for words whose plural is not singular + s (« 3 journaux »). Each word of the
    singular takes the s: « 2 arrêts imposés »."""
    number = fr_number(count, 0 if float(count).is_integer() else 1)
    if abs(count) < 2:
        return f"{number} {singular}"
    words = plural_form or " ".join(w if w.endswith(("s", "x", "z")) else w + "s" for w in singular.split(" "))
    return f"{number} {words}"
