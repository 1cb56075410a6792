"""The season calendar of a plan: one row per ISO week, one column per weekday, stops and closures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Day:
    date: dt.date
    in_season: bool
    closed: str = ""
    stops: list[dict] = field(default_factory=list)


@dataclass
class Week:
    year: int
    number: int
    monday: dt.date
    days: list[Day]


def closed_label(reason: str) -> str:
    """The planner's closure reason as a calendar cell shows it: « vacances scolaires (Vacances
    d'hiver, zone B) » says "vacances" twice, « Vacances d'hiver (zone B) » once."""
    for prefix, kind in (("vacances scolaires (", ""), ("jour férié (", "Férié : ")):
        if reason.startswith(prefix) and reason.endswith(")"):
            inner = reason[len(prefix):-1]
            if not kind and ", zone " in inner:
                name, zone = inner.rsplit(", zone ", 1)
                return f"{name} (zone {zone})"
            return kind + inner
    return reason


def season_calendar(start: dt.date, end: dt.date, stops: list[dict], closed: list[tuple[dt.date, str]],
                    weekdays: tuple[int, ...] = (1, 2, 3, 4, 5)) -> tuple[tuple[int, ...], list[Week]]:
    """Weeks from the one holding ``start`` to the one holding ``end``; the columns are the
    working weekdays plus any weekday a stop falls on."""
    columns = tuple(sorted(set(weekdays) | {s["date"].isoweekday() for s in stops}))
    by_date: dict[dt.date, list[dict]] = {}
    for stop in stops:
        by_date.setdefault(stop["date"], []).append(stop)
    reasons = {day: closed_label(reason) for day, reason in closed}
    weeks = []
    monday = start - dt.timedelta(days=start.weekday())
    while monday <= end:
        days = []
        for iso in columns:
            day = monday + dt.timedelta(days=iso - 1)
            days.append(Day(day, start <= day <= end, reasons.get(day, ""), by_date.get(day, [])))
        year, number, _ = monday.isocalendar()
        weeks.append(Week(year, number, monday, days))
        monday += dt.timedelta(days=7)
    return columns, weeks
