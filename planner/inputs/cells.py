"""Parsing single cells into typed values, recording a Problem instead of raising.

Each parser returns the value or None and appends to ``problems``, so that a validator can walk a
whole file and report every defect at once.
"""

from __future__ import annotations

import datetime as dt
import re

from planner.domain.problems import Problem

INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")

# Metropolitan France with its islands: a coordinate outside is a typo or a swapped pair.
LAT_RANGE = (41.0, 51.5)
LON_RANGE = (-5.5, 10.0)


class CellReader:
    """Typed access to the cells of one row, collecting problems for the whole file."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems

    def fail(self, row: int, column: str, value: str, message: str) -> None:
        self.problems.append(Problem(self.file, row, column, value, message))

    def insee(self, row: int, column: str, value: str) -> str | None:
        """An INSEE commune code, five characters, leading zero kept (e.g. 01001, 2A004)."""
        text = value.strip().upper()
        if text.endswith(".0"):
            text = text[:-2]
        if INSEE_CODE.match(text):
            return text
        if not text:
            self.fail(row, column, value, "code INSEE manquant")
        elif text.isdigit() and len(text) == 4:
            self.fail(row, column, value, f"code INSEE sur 4 chiffres : le zéro initial a-t-il été perdu (0{text}) ?")
        else:
            self.fail(row, column, value, "code INSEE invalide : 5 caractères attendus (ex. 18033)")
        return None

    def number(self, row: int, column: str, value: str, *, required: bool = False,
               minimum: float | None = None, maximum: float | None = None) -> float | None:
        """A decimal number; accepts the French comma and spaces as thousands separators."""
        text = value.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        if not text:
            if required:
                self.fail(row, column, value, "valeur obligatoire manquante")
            return None
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            self.fail(row, column, value, "nombre attendu")
            return None
        if number != number or number in (float("inf"), float("-inf")):
            self.fail(row, column, value, "nombre attendu")
            return None
        if minimum is not None and number < minimum:
            self.fail(row, column, value, f"doit être au moins {minimum:g}")
            return None
        if maximum is not None and number > maximum:
            self.fail(row, column, value, f"doit être au plus {maximum:g}")
            return None
        return number

    def coordinates(self, row: int, lat_col: str, lat_text: str, lon_col: str,
                    lon_text: str, *, required: bool = True) -> tuple[float, float] | None:
        """A (lat, lon) pair in WGS84 degrees inside metropolitan France."""
        lat = self.number(row, lat_col, lat_text, required=required)
        lon = self.number(row, lon_col, lon_text, required=required)
        if lat is None or lon is None:
            return None
        lat_ok = LAT_RANGE[0] <= lat <= LAT_RANGE[1]
        lon_ok = LON_RANGE[0] <= lon <= LON_RANGE[1]
        if lat_ok and lon_ok:
            return lat, lon
        if LAT_RANGE[0] <= lon <= LAT_RANGE[1] and LON_RANGE[0] <= lat <= LON_RANGE[1]:
            self.fail(row, lat_col, lat_text, "latitude hors de France métropolitaine : latitude et longitude inversées ?")
        elif not lat_ok:
            self.fail(row, lat_col, lat_text, f"latitude hors de France métropolitaine ({LAT_RANGE[0]:g} à {LAT_RANGE[1]:g})")
        else:
            self.fail(row, lon_col, lon_text, f"longitude hors de France métropolitaine ({LON_RANGE[0]:g} à {LON_RANGE[1]:g})")
        return None

    def text(self, row: int, column: str, value: str, *, required: bool = False) -> str:
        if required and not value.strip():
            self.fail(row, column, value, "valeur obligatoire manquante")
        return value.strip()

    def choice(self, row: int, column: str, value: str, choices: dict, *,
               required: bool = False, allowed: str = ""):
        """One of a fixed vocabulary, matched without case; the message lists what is allowed."""
        key = value.strip().lower()
        if not key:
            if required:
                self.fail(row, column, value, "valeur obligatoire manquante")
            return None
        if key in choices:
            return choices[key]
        allowed = allowed or ", ".join(sorted(dict.fromkeys(str(v) for v in choices.values())))
        self.fail(row, column, value, f"valeur inconnue (attendu : {allowed})")
        return None

    def date(self, row: int, column: str, value: str, *, required: bool = False) -> dt.date | None:
        """A date written 2026-10-06 (ISO 8601) or 06/10/2026 (French)."""
        text = value.strip()
        if not text:
            if required:
                self.fail(row, column, value, "date obligatoire manquante")
            return None
        parsed = parse_date(text)
        if parsed is None:
            self.fail(row, column, value, "date invalide (attendu : AAAA-MM-JJ ou JJ/MM/AAAA)")
        return parsed


def parse_date(text: str) -> dt.date | None:
    """Date of '2026-10-06', '2026-10-06T00:00:00' or '06/10/2026'; None if not a real date."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}(T00:00(:00)?)?", text):
            return dt.date.fromisoformat(text[:10])
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        if match:
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None
    return None
