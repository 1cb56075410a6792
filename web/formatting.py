"""French display of dates, ISO weeks, numbers and durations in the templates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Flask

from web import planning, request_labels

PARIS = ZoneInfo("Europe/Paris")  # the people who plan and host stops read French local time

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
WEEKDAYS_SHORT = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def as_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def fr_date(value) -> str:
    day = as_date(value)
    return day.strftime("%d/%m/%Y") if day else ""


def fr_datetime(value: dt.datetime | None) -> str:
    """Stored times are naive UTC; shown in French local time (« 27/11/2026 à 04:27 »), which is what
    a coordinator's watch says."""
    if not value:
        return ""
    local = (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(PARIS)
    return local.strftime("%d/%m/%Y à %H:%M")


def fr_long_date(value) -> str:
    day = as_date(value)
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}" if day else ""


def short_date(value) -> str:
    """« mar. 05/01/2027 »: the weekday matters to hosts, the short form keeps tables narrow."""
    day = as_date(value)
    return f"{WEEKDAYS_SHORT[day.weekday()]} {day:%d/%m/%Y}" if day else ""


def solver_status(value: str) -> str:
    return planning.solver_status_label(value)


def iso_week(value) -> str:
    day = as_date(value)
    if not day:
        return ""
    year, week, _ = day.isocalendar()
    return f"S{week:02d} {year}"


def fr_number(value, decimals: int = 0) -> str:
    if value is None or value == "":
        return "—"
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def fr_figure(value) -> str:
    """A figure as people read it: whole numbers without decimals, others with one."""
    if value is None or value == "":
        return "—"
    return fr_number(value, 0 if float(value).is_integer() else 1)


def fr_percent(value, decimals: int = 1) -> str:
    """A fraction (0.004) as a French percentage (0,4 %)."""
    if value is None:
        return "—"
    return f"{fr_number(100 * float(value), decimals)}\u00a0%"


def weekday_name(iso: int) -> str:
    return WEEKDAYS[iso - 1]


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(date=fr_date, short_date=short_date, solver_status=solver_status, datetime=fr_datetime,
                                 long_date=fr_long_date, iso_week=iso_week, number=fr_number, figure=fr_figure, percent=fr_percent,
                                 weekday=weekday_name, periods=request_labels.periods_label,
                                 priority=lambda v: request_labels.PRIORITY_LABELS.get(v or "should", v),
                                 row_status=lambda v: request_labels.ROW_STATUS_LABELS.get(v or "", v))
    # {{ n|plural('arrêt imposé') }} -> « 1 arrêt imposé », « 2 arrêts imposés » (one French rule, planner's)
    app.jinja_env.filters["plural"] = planning.plural
    app.jinja_env.globals.update(WEEKDAYS=WEEKDAYS, WEEKDAYS_SHORT=WEEKDAYS_SHORT)


def parse_fr_date(text: str) -> dt.date | None:
    """dd/mm/yyyy as typed in the forms (ISO accepted too); None when it is not a real date."""
    text = (text or "").strip()
    try:
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
