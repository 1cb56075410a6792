"""The editor's side of the door: what the pickers list from the shipped data, the season a spec
covers, the parameters (catalogue, defaults, checks), the team's contact checks and the uploads the
planner's loaders accept."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from planner import ScenarioSpec
from planner.domain.formatting import fr_number, plural
from planner.domain.parameters import Parameter, parameter, section
from planner.domain.params import Params
from planner.domain.problems import DataError, Problem
from planner.domain.season import build_season
from planner.domain.service_point import KIND_LABELS as SERVICE_KIND_LABELS
from planner.domain.team import TEAM_FIELDS
from planner.domain.territory import PRESETS
from planner.domain.weekdays import ENGLISH, parse_weekdays
from planner.inputs import contacts
from planner.inputs.cells import CellReader
from planner.inputs.communes import REQUIRED as COMMUNES_REQUIRED
from planner.inputs.communes import read_communes
from planner.inputs.dataset import preset_codes, shipped_communes
from planner.inputs.markets import REQUIRED as MARKETS_REQUIRED
from planner.inputs.markets import read_markets
from planner.inputs.requests import REQUIRED as REQUESTS_REQUIRED
from planner.inputs.requests import read_requests
from planner.inputs.scenario_build import DEFAULT_WEEKDAYS
from planner.inputs.scenario_build import season_bounds as _season_bounds
from planner.inputs.table import table_from_bytes

__all__ = ["SERVICE_KIND_LABELS", "TEAM_FIELDS", "Parameter", "parameter"]

UPLOAD_SUFFIXES = (".csv", ".xlsx")
WEEKDAY_CODES = tuple(name[:3] for name in ENGLISH)  # mon ... sun, as a spec's vehicle weekdays are written
PRESET_LABELS = {
    "bourges": "Bassin de vie de Bourges (103 communes)",
    "cher": "Département du Cher",
    "centre-val-de-loire": "Région Centre-Val de Loire",
}


# --- shipped data for pickers --------------------------------------------------------------------

@lru_cache(maxsize=1)
def epci_choices() -> tuple[tuple[str, str], ...]:
    """(SIREN, name with commune count) of every intercommunality in the shipped data."""
    counts: dict[str, list] = {}
    for c in shipped_communes():
        if c.epci:
            counts.setdefault(c.epci, [c.epci_name or c.epci, 0])[1] += 1
    return tuple(sorted(((siren, f"{name} ({plural(n, 'commune')})") for siren, (name, n) in counts.items()),
                        key=lambda item: item[1]))


@lru_cache(maxsize=1)
def epci_names() -> dict[str, str]:
    return {c.epci: c.epci_name or c.epci for c in shipped_communes() if c.epci}


def territory_communes(spec: dict) -> tuple[tuple[str, str], ...]:
    """(INSEE, name) of the communes a spec plans, for pickers; empty when it cannot be read."""
    known = {c.insee: c for c in shipped_communes()}
    rows = spec.get("territory_rows") or ()
    if rows:
        codes = [str(r.get("insee_com", "")) for r in rows]
        return tuple((c, known[c].name if c in known else str(r.get("commune", c))) for c, r in zip(codes, rows))
    territory = spec.get("territory", "bourges")
    if territory in PRESETS:
        codes = preset_codes(territory)
    elif territory.startswith("epci:"):
        codes = tuple(c.insee for c in shipped_communes() if c.epci == territory[5:])
    else:
        codes = ()
    return tuple(sorted(((c, known[c].name) for c in codes if c in known), key=lambda item: item[1]))


# --- the season and the vehicles -----------------------------------------------------------------

def season_bounds(spec: dict) -> tuple[dt.date, dt.date]:
    """First and last day of the spec's season, the planner's defaults where it has none."""
    return _season_bounds(ScenarioSpec(start=spec.get("start") or "", end=spec.get("end") or ""))


def closed_days(spec: dict) -> list[tuple[dt.date, str]]:
    """Closed dates of the spec's season (public holidays, school holidays of its zone, its own)."""
    start, end = season_bounds(spec)
    return list(_closed_days(start, end, spec.get("school_zone") or "", tuple(spec.get("closed", ()))))


@lru_cache(maxsize=64)
def _closed_days(start: dt.date, end: dt.date, zone: str, closed: tuple[str, ...]) -> tuple[tuple[dt.date, str], ...]:
    """Cached: the school-holiday library reads its whole table on every call (~0.3 s)."""
    try:
        season = build_season(start, end, (1, 2, 3, 4, 5, 6, 7), school_zone=zone or None,
                              custom_closed=tuple(dt.date.fromisoformat(d) for d in closed))
    except Exception:  # noqa: BLE001 - e.g. a year the school-holiday data does not cover: show nothing
        return ()
    return season.closed


def default_weekdays() -> dict[str, tuple[str, ...]]:
    """The weekday codes a vehicle of each kind works when its row names none (the planner's defaults)."""
    return {kind: tuple(WEEKDAY_CODES[day - 1] for day in parse_weekdays(text)) for kind, text in DEFAULT_WEEKDAYS.items()}


# --- parameters ----------------------------------------------------------------------------------

def params_defaults() -> dict[str, dict]:
    """Every parameter section and its default values, from planner's Params (so they stay in sync)."""
    return Params().to_dict()


def check_params(values: dict) -> list[Problem]:
    try:
        Params.from_dict(values, "pondérations")
    except DataError as exc:
        return list(exc.problems)
    return []


def section_title(key: str) -> str:
    """The French heading of a parameter section."""
    return section(key).title


def contact_problems(email: str, phone: str) -> list[Problem]:
    """The e-mail and phone of a contact checked by the loader's own rules (column ``email``, ``phone``)."""
    problems: list[Problem] = []
    cells = CellReader("saison", problems)
    contacts.email(cells, 0, "email", email)
    contacts.phone(cells, 0, "phone", phone)
    return problems


def number(value: float | None, decimals: int = 0) -> str:
    return "—" if value is None else fr_number(value, decimals)


# --- uploads -------------------------------------------------------------------------------------

IMPORTS = {"markets": "marchés", "requests": "demandes", "territory": "communes"}
# Each import's loader and the columns its header is found by: the table validated is the table stored.
LOADERS = {"markets": (read_markets, MARKETS_REQUIRED), "requests": (read_requests, REQUESTS_REQUIRED),
           "territory": (read_communes, COMMUNES_REQUIRED)}
MAX_NAME = 100  # characters of an uploaded file's name kept in messages (a file system allows 255 bytes)


def upload_name(filename: str | None, default: str = "fichier") -> str:
    """The uploaded file's own name (no folder), shortened to MAX_NAME characters, suffix kept."""
    name = Path((filename or "").replace("\\", "/")).name or default
    if len(name) <= MAX_NAME:
        return name
    suffix = Path(name).suffix[:10]
    return name[:MAX_NAME - len(suffix) - 1] + "…" + suffix


def import_table(kind: str, filename: str, data: bytes):
    """The table of an upload as the planner's loader reads it (header found by its columns, on the
    sheet that has them), with what the loader made of it; DataError with every problem otherwise,
    and when no row is under the header."""
    name = upload_name(filename)
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise DataError([Problem(name, 0, "", suffix or name, "format non pris en charge : envoyez un fichier CSV ou XLSX")])
    loader, required = LOADERS[kind]
    table = table_from_bytes(data, name, required)
    loaded = loader(table, {c.insee: c for c in shipped_communes()})
    if not table.rows:
        raise DataError([Problem(name, table.header_row, "", "", "aucune ligne sous l'en-tête : rien n'a été importé")])
    return table, loaded


def import_rows(kind: str, filename: str, data: bytes) -> list[dict]:
    """Rows of an uploaded CSV/XLSX after the planner's loader accepted every one of them: the very
    rows it read, never a second reading of the file.

    Raises DataError with every problem (file, row, column, value) and nothing is kept otherwise.
    """
    table, _loaded = import_table(kind, filename, data)
    return [{k: v for k, v in values.items() if v != ""} for _row, values in table.rows]


def problem_rows(error: DataError) -> list[dict]:
    return [asdict(p) for p in error.problems]


def requests_in_upload(filename: str, data: bytes, known: dict | None = None) -> tuple:
    """The planner's Requests of an uploaded requests file, read from the very table that was checked;
    DataError with every problem of every row, and nothing read otherwise."""
    _table, requests = import_table("requests", filename, data)
    return tuple(requests)


def email_problem(text: str) -> str | None:
    """The loader's own e-mail check (planner.inputs.contacts), for the public request form."""
    return contacts.email_problem(text)


def phone_problem(text: str) -> str | None:
    """The loader's own telephone check (planner.inputs.contacts), for the public request form."""
    return contacts.phone_problem(text)
