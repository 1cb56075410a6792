"""Season: the working days of a vehicle between two dates, and why the other days are closed.

Closed days are French public holidays (``holidays``), optionally the school holidays of a zone
(``vacances-scolaires-france``; Orléans-Tours is zone B) and custom dates. Each closed date keeps
its reason, so that a request refused for "closed days" can say which.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property, lru_cache

import holidays
from vacances_scolaires_france import SchoolHolidayDates

SCHOOL_ZONES = ("A", "B", "C")


@dataclass(frozen=True)
class Season:
    start: dt.date
    end: dt.date
    weekdays: tuple[int, ...]
    closed: tuple[tuple[dt.date, str], ...] = ()

    @cached_property
    def closed_reasons(self) -> dict[dt.date, str]:
        return dict(self.closed)

    @cached_property
    def working_days(self) -> tuple[dt.date, ...]:
        """Dates on a working weekday and not closed, in order."""
        days = []
        day = self.start
        while day <= self.end:
            if day.isoweekday() in self.weekdays and day not in self.closed_reasons:
                days.append(day)
            day += dt.timedelta(days=1)
        return tuple(days)

    def working_days_all(self) -> tuple[dt.date, ...]:
        """Dates not closed on any weekday (vehicles pick their own weekdays among them)."""
        days = []
        day = self.start
        while day <= self.end:
            if day not in self.closed_reasons:
                days.append(day)
            day += dt.timedelta(days=1)
        return tuple(days)

def build_season(start: dt.date, end: dt.date, weekdays: tuple[int, ...], *, school_zone: str | None = None,
                 custom_closed: tuple[dt.date, ...] = ()) -> Season:
    """A season with public holidays, optional school holidays and custom closures removed."""
    if end < start:
        raise ValueError(f"la saison finit ({end:%d/%m/%Y}) avant de commencer ({start:%d/%m/%Y})")
    closed: dict[dt.date, str] = {}
    for day in custom_closed:
        closed[day] = "fermeture (date saisie)"
    if school_zone:
        closed.update({d: r for d, r in school_holidays(start, end, school_zone).items() if d not in closed})
    public = holidays.France(years=range(start.year, end.year + 1), language="fr")
    for day, name in sorted(public.items()):
        if start <= day <= end:
            closed[day] = f"jour férié ({name})"
    return Season(start, end, tuple(sorted(weekdays)), tuple(sorted(closed.items())))


@lru_cache(maxsize=1)
def _school_holiday_dates() -> SchoolHolidayDates:
    """The library parses its whole CSV on construction (0.1 s here, much more under load): once per process."""
    return SchoolHolidayDates()


def school_holidays(start: dt.date, end: dt.date, zone: str) -> dict[dt.date, str]:
    """Dates of school holidays of ``zone`` between two dates, with the holiday's name."""
    if zone.upper() not in SCHOOL_ZONES:
        raise ValueError(f"zone de vacances scolaires inconnue : {zone} (A, B ou C)")
    dates = _school_holiday_dates()
    found = {}
    for year in range(start.year, end.year + 1):
        for day, info in dates.holidays_for_year_and_zone(year, zone.upper()).items():
            if start <= day <= end:
                found[day] = f"vacances scolaires ({info['nom_vacances']}, zone {zone.upper()})"
    return found
