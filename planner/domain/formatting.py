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
